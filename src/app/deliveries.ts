// Admin routes for the digest outbox: what was sent where, what failed and why, and resending one
// delivery once a person has fixed the cause. Payloads hold no secrets (only secret NAMES are stored).
import { Hono } from "hono";
import * as z from "zod";
import { resendDelivery } from "../jobs/resend-delivery";
import type { DeliveryRecord } from "../store/deliveries";
import { DELIVERY_STATUSES } from "../store/deliveries";
import type { AppEnv } from "./context";
import { invalid, pageLimitSchema, problem, readJson } from "./http";

/** A delivery as the API shows it in lists: its state, without the payload. */
export function deliveryView(delivery: DeliveryRecord) {
  return {
    id: delivery.id,
    digestKey: delivery.meetingKey,
    channelKey: delivery.channelKey,
    channel: delivery.channel,
    secretName: delivery.secretName,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.status === "pending" ? new Date(delivery.nextAttemptAt).toISOString() : null,
    /** After this it is no longer sent: its meeting has begun (a roll-up: a week has passed). */
    expiresAt: delivery.expiresAt === null ? null : new Date(delivery.expiresAt).toISOString(),
    lastError: delivery.lastError,
    deliveredAt: delivery.deliveredAt,
    createdAt: delivery.createdAt,
    updatedAt: delivery.updatedAt,
  };
}

/** The stored body parsed back, so the API answers with JSON rather than a JSON string. */
function payloadOf(delivery: DeliveryRecord): unknown {
  try {
    return JSON.parse(delivery.payload);
  } catch {
    return delivery.payload;
  }
}

const listQuery = z.strictObject({
  status: z.enum(DELIVERY_STATUSES).default("failed"),
  limit: pageLimitSchema,
});

const resendSchema = z.strictObject({
  /** Resending a digest that was delivered is a deliberate choice; without this only failed or pending ones are. */
  includeDelivered: z.boolean().default(false),
});

export const deliveryRoutes = new Hono<AppEnv>()
  .get("/", async (c) => {
    const query = listQuery.safeParse(c.req.query());
    if (!query.success) return invalid(c, query.error, "query");
    const deliveries = await c.var.runtime.deliveries.listByStatus(query.data.status, query.data.limit);
    return c.json({ deliveries: deliveries.map(deliveryView) });
  })
  .get("/:id", async (c) => {
    const delivery = await c.var.runtime.deliveries.get(c.req.param("id"));
    if (!delivery) return problem(c, 404, "not_found", [`id: no delivery "${c.req.param("id")}"`]);
    return c.json({ delivery: { ...deliveryView(delivery), payload: payloadOf(delivery) } });
  })
  .post("/:id/resend", async (c) => {
    const body = await readJson(c, resendSchema);
    if (!body.ok) return body.response;
    const id = c.req.param("id");
    const result = await resendDelivery(c.var.runtime, id, { includeDelivered: body.value.includeDelivered });
    if (result.status === "not_found") return problem(c, 404, "not_found", [`id: no delivery "${id}"`]);
    if (result.status === "not_resendable") {
      const why = {
        expired: "its moment has passed (its meeting has begun), so it is no longer sent",
        delivered: "it was delivered; send includeDelivered: true to send it again",
        sending: "it is being sent right now; try again when that attempt has finished",
      }[result.why];
      return problem(c, 409, "not_resendable", [`id: delivery "${id}" was not reset: ${why}`]);
    }
    const after = result.after;
    return c.json({ delivery: after ? deliveryView(after) : null }, 202);
  });
