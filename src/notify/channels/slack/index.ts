// The Slack channel: Block Kit layouts posted as JSON to an incoming-webhook URL.
import type { ChannelModule } from "../channel";
import { overCap } from "../channel";
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
    caps: {
      blocks: SLACK_MAX_BLOCKS,
      sectionText: SLACK_MAX_SECTION_TEXT,
      headerText: SLACK_MAX_HEADER_TEXT,
      fallbackText: SLACK_FALLBACK_BUDGET,
    },
    problems(payload) {
      return [
        ...overCap("blocks", payload.blocks.length, SLACK_MAX_BLOCKS),
        ...overCap("fallback text", payload.text.length, SLACK_FALLBACK_BUDGET),
        ...payload.blocks.flatMap((block, index) => {
          if (block.type === "header")
            return overCap(`header ${index}`, block.text.text.length, SLACK_MAX_HEADER_TEXT);
          if (block.type === "section" && block.text !== undefined) {
            return overCap(`section ${index}`, block.text.text.length, SLACK_MAX_SECTION_TEXT);
          }
          return [];
        }),
      ];
    },
  },
  sender: jsonWebhookSender,
} satisfies ChannelModule<SlackPayload>;
