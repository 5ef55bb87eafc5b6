// Admin route for the cron's ticks: what each handed out to the queue and how far the work has got, so a
// busy morning can be watched while it runs.
import { Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "./context";
import { invalid } from "./http";

const listQuery = z.strictObject({
  limit: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(100, "must be at most 100")
    .default(10),
});

export const tickRoutes = new Hono<AppEnv>().get("/", async (c) => {
  const query = listQuery.safeParse(c.req.query());
  if (!query.success) return invalid(c, query.error, "query");
  const ticks = await c.var.runtime.ticks.latest(query.data.limit);
  return c.json({
    ticks: ticks.map((tick) => ({
      ...tick,
      scheduledAt: new Date(tick.scheduledAt).toISOString(),
      /** Handed-out meetings neither created nor failed yet: waiting in the queue or being prepared. */
      waiting: tick.dispatched - tick.created - tick.failed,
    })),
  });
});
