// Resending one digest delivery once a person has fixed the cause: the admin API's POST
// /admin/deliveries/:id/resend and the console's Resend button both come here. The row is made due again
// with a fresh attempt count and handed to the work queue at once, as a tick would.
import type { Logger } from "../lib/log";
import { errorMessage } from "../lib/log";
import type { DeliveryRecord, DeliveryStore } from "../store/deliveries";
import type { WorkQueue } from "./work";

export interface ResendDeps {
  deliveries: DeliveryStore;
  work: WorkQueue;
  log: Logger;
  clock(): number;
}

/** Why a delivery was not reset: its moment passed, it was delivered, or a send holds it right now. */
type NotResendable = "expired" | "delivered" | "sending";

export type ResendResult =
  | { status: "resent"; before: DeliveryRecord; after: DeliveryRecord | null }
  | { status: "not_found" }
  | { status: "not_resendable"; why: NotResendable };

export async function resendDelivery(
  deps: ResendDeps,
  id: string,
  options: { includeDelivered?: boolean } = {},
): Promise<ResendResult> {
  const before = await deps.deliveries.get(id);
  if (!before) return { status: "not_found" };
  const now = deps.clock();
  const reset = await deps.deliveries.resetForResend(id, now, {
    includeDelivered: options.includeDelivered === true,
  });
  if (!reset) {
    const why: NotResendable =
      before.status === "expired" || (before.expiresAt !== null && before.expiresAt <= now)
        ? "expired"
        : before.status === "delivered"
          ? "delivered"
          : "sending";
    return { status: "not_resendable", why };
  }
  deps.log.info("delivery.resend", { id, channel: before.channel, was: before.status });
  // Should the queue refuse, the row is due all the same and the next tick's sweep sends it.
  try {
    await deps.work.send([{ kind: "deliver", deliveryId: id }]);
  } catch (error) {
    deps.log.warn("delivery.resend_queued_later", { id, error: errorMessage(error) });
  }
  return { status: "resent", before, after: await deps.deliveries.get(id) };
}
