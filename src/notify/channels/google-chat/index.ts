// The Google Chat channel: Cards v2 layouts posted as JSON to an incoming-webhook URL.
import type { ChannelModule } from "../channel";
import { overCap } from "../channel";
import { jsonWebhookSender } from "../senders";
import { payloadBytes } from "../text";
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
    caps: {
      messageBytes: GOOGLE_CHAT_MAX_MESSAGE_BYTES,
      budgetBytes: GOOGLE_CHAT_BUDGET_BYTES,
      widgets: GOOGLE_CHAT_MAX_WIDGETS,
      text: GOOGLE_CHAT_MAX_TEXT,
    },
    problems(payload) {
      const sections: readonly { widgets: readonly unknown[] }[] = payload.cardsV2[0].card.sections;
      const widgets = sections.reduce((sum, section) => sum + section.widgets.length, 0);
      return [
        ...overCap("message bytes", payloadBytes(payload), GOOGLE_CHAT_MAX_MESSAGE_BYTES),
        ...overCap("widgets", widgets, GOOGLE_CHAT_MAX_WIDGETS),
        ...overCap("text", payload.text.length, GOOGLE_CHAT_MAX_TEXT),
      ];
    },
  },
  sender: jsonWebhookSender,
} satisfies ChannelModule<GoogleChatPayload, GoogleChatRollupPayload>;
