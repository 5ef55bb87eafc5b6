// The generic webhook channel: our own documented JSON events (agenda.prepared, rollup.weekly), signed
// per Standard Webhooks. No vendor caps it; its limit is its published schema.
import type { ChannelModule } from "../channel";
import { standardWebhookSender } from "../senders";
import { type WebhookPayload, webhookPayload } from "./digest";
import { type RollupWebhookPayload, rollupWebhookPayload } from "./rollup";

export const webhook = {
  digest: webhookPayload,
  rollup: rollupWebhookPayload,
  limits: {},
  sender: standardWebhookSender,
} satisfies ChannelModule<WebhookPayload, RollupWebhookPayload>;
