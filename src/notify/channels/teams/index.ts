// The Microsoft Teams channel: Adaptive Cards posted as JSON to a Workflows webhook URL.
import type { ChannelModule } from "../channel";
import { overCap } from "../channel";
import { jsonWebhookSender } from "../senders";
import { payloadBytes } from "../text";
import {
  TEAMS_MAX_PAYLOAD_BYTES,
  TEAMS_PAYLOAD_BUDGET_BYTES,
  type TeamsPayload,
  teamsPayload,
} from "./digest";
import { rollupTeamsPayload, type TeamsRollupPayload } from "./rollup";

export const teams = {
  digest: teamsPayload,
  rollup: rollupTeamsPayload,
  limits: {
    caps: { payloadBytes: TEAMS_MAX_PAYLOAD_BYTES, budgetBytes: TEAMS_PAYLOAD_BUDGET_BYTES },
    problems: (payload) => overCap("payload bytes", payloadBytes(payload), TEAMS_MAX_PAYLOAD_BYTES),
  },
  sender: jsonWebhookSender,
} satisfies ChannelModule<TeamsPayload, TeamsRollupPayload>;
