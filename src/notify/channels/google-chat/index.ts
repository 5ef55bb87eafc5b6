// The Google Chat channel: Cards v2 layouts posted as JSON to an incoming-webhook URL.
import type { ChannelModule } from "../channel";
import { jsonWebhookSender } from "../senders";
import {
  GOOGLE_CHAT_BUDGET_BYTES,
  GOOGLE_CHAT_MAX_MESSAGE_BYTES,
  GOOGLE_CHAT_MAX_TEXT,
  GOOGLE_CHAT_MAX_WIDGETS,
  type GoogleChatPayload,
  googleChatPayload,
} from "./digest";
import { type GoogleChatRollupPayload, rollupGoogleChatPayload } from "./rollup";

export const googleChat = {
  digest: googleChatPayload,
  rollup: rollupGoogleChatPayload,
  limits: {
    messageBytes: GOOGLE_CHAT_MAX_MESSAGE_BYTES,
    budgetBytes: GOOGLE_CHAT_BUDGET_BYTES,
    widgets: GOOGLE_CHAT_MAX_WIDGETS,
    text: GOOGLE_CHAT_MAX_TEXT,
  },
  sender: jsonWebhookSender,
} satisfies ChannelModule<GoogleChatPayload, GoogleChatRollupPayload>;
