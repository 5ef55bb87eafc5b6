// Outbox rows in a given state, for job tests that start from a delivery a send already settled.
import type { DeliveryStore, EnqueueRequest } from "../../src/store/deliveries";

type Settled = "pending" | "failed" | "delivered" | "sending";

/**
 * A delivery of its own (`meetingKey`) to a Slack channel, enqueued at `nowMs` and, unless "pending",
 * claimed once and left `state`: failed with `reason`, delivered, or still being sent under a live claim.
 */
export async function deliveryIn(
  deliveries: DeliveryStore,
  state: Settled,
  options: { meetingKey: string; nowMs: number; reason?: string; expires?: EnqueueRequest["expires"] },
): Promise<string> {
  const { id } = await deliveries.enqueue({
    meetingKey: options.meetingKey,
    channelKey: "team-slack",
    channel: "slack",
    secretName: "TEAM_SLACK_URL",
    payload: JSON.stringify({ text: "digest" }),
    nowMs: options.nowMs,
    ...(options.expires === undefined ? {} : { expires: options.expires }),
  });
  if (state === "pending") return id;
  const token = crypto.randomUUID();
  const claimed = await deliveries.claim(id, { token, nowMs: options.nowMs, leaseMs: 300_000 });
  if (claimed === null) throw new Error(`the delivery ${id} could not be claimed`);
  if (state === "failed") await deliveries.markFailed(id, token, options.reason ?? "failed", options.nowMs);
  if (state === "delivered") await deliveries.markDelivered(id, token, options.nowMs);
  return id;
}
