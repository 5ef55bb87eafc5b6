// The generic webhook channel: our own documented JSON events (agenda.prepared, rollup.weekly), signed
// per Standard Webhooks. No vendor caps it; its limit is its published schema.
import type { ChannelModule } from "../channel";
import { standardWebhookSender } from "../senders";
import { type WebhookPayload, webhookPayload, webhookPayloadSchema } from "./digest";
import { type RollupWebhookPayload, rollupWebhookPayload, rollupWebhookPayloadSchema } from "./rollup";

export const webhook = {
  digest: webhookPayload,
  rollup: rollupWebhookPayload,
  limits: {
    caps: {},
    problems(payload) {
      const schema = payload.type === "agenda.prepared" ? webhookPayloadSchema : rollupWebhookPayloadSchema;
      const parsed = schema.safeParse(payload);
      return parsed.success
        ? []
        : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    },
  },
  sender: standardWebhookSender,
} satisfies ChannelModule<WebhookPayload, RollupWebhookPayload>;
