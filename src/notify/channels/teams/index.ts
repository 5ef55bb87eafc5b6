// The Microsoft Teams channel: Adaptive Cards posted as JSON to a Workflows webhook URL.
import type { ChannelModule } from "../channel";
import { jsonWebhookSender } from "../senders";
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
  limits: { payloadBytes: TEAMS_MAX_PAYLOAD_BYTES, budgetBytes: TEAMS_PAYLOAD_BUDGET_BYTES },
  sender: jsonWebhookSender,
} satisfies ChannelModule<TeamsPayload, TeamsRollupPayload>;
