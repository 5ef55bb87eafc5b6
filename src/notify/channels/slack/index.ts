// The Slack channel: Block Kit layouts posted as JSON to an incoming-webhook URL.
import type { ChannelModule } from "../channel";
import { jsonWebhookSender } from "../senders";
import {
  SLACK_FALLBACK_BUDGET,
  SLACK_MAX_BLOCKS,
  SLACK_MAX_HEADER_TEXT,
  SLACK_MAX_SECTION_TEXT,
  type SlackPayload,
  slackPayload,
} from "./digest";
import { rollupSlackPayload } from "./rollup";

export const slack = {
  digest: slackPayload,
  rollup: rollupSlackPayload,
  limits: {
    blocks: SLACK_MAX_BLOCKS,
    sectionText: SLACK_MAX_SECTION_TEXT,
    headerText: SLACK_MAX_HEADER_TEXT,
    fallbackText: SLACK_FALLBACK_BUDGET,
  },
  sender: jsonWebhookSender,
} satisfies ChannelModule<SlackPayload>;
