// Admin routes for the managers' weekly roll-ups: set one up (or change it) per manager email, read it
// with its next send time and its latest deliveries, and remove it.
import { Hono } from "hono";
import { emailAddressSchema } from "../domain/channels";
import type { RollupConfig } from "../domain/rollup-schedule";
import { nextRollupAt, rollupConfigSchema, rollupKey } from "../domain/rollup-schedule";
import type { Runtime } from "../runtime";
import type { AppEnv } from "./context";
import { deliveryView } from "./deliveries";
import { invalid, problem, readJson } from "./http";

const emailParam = emailAddressSchema.transform((email) => email.toLowerCase());

/** Deliveries shown with a roll-up: about two months of weekly sends on a few channels. */
const RECENT_DELIVERIES = 20;

async function rollupView(runtime: Runtime, config: RollupConfig) {
  const recent = await runtime.deliveries.listByKeyPrefix(
    rollupKey(config.manager.email, ""),
    RECENT_DELIVERIES,
  );
  return {
    rollup: config,
    nextRollupAt: nextRollupAt(config, Date.now()),
    deliveries: recent.map(deliveryView),
  };
}

export const rollupRoutes = new Hono<AppEnv>()
  .get("/", async (c) => {
    const stored = await c.var.runtime.rollups.list();
    const now = Date.now();
    return c.json({
      rollups: stored.map((entry) => ({
        managerEmail: entry.managerEmail,
        rollup: entry.config,
        nextRollupAt: entry.config ? nextRollupAt(entry.config, now) : null,
        problems: entry.problems,
      })),
    });
  })
  .get("/:email", async (c) => {
    const email = emailParam.safeParse(c.req.param("email"));
    if (!email.success) return invalid(c, email.error, "email");
    const stored = await c.var.runtime.rollups.get(email.data);
    if (!stored) return problem(c, 404, "not_found", [`email: no roll-up for "${email.data}"`]);
    if (!stored.config) return c.json({ rollup: null, problems: stored.problems });
    return c.json(await rollupView(c.var.runtime, stored.config));
  })
  .put("/:email", async (c) => {
    const email = emailParam.safeParse(c.req.param("email"));
    if (!email.success) return invalid(c, email.error, "email");
    const body = await readJson(c, rollupConfigSchema);
    if (!body.ok) return body.response;
    if (body.value.manager.email !== email.data) {
      return problem(c, 400, "invalid_request", [
        `manager.email: "${body.value.manager.email}" differs from the URL's "${email.data}"`,
      ]);
    }
    const created = await c.var.runtime.rollups.put(body.value, new Date().toISOString());
    return c.json(await rollupView(c.var.runtime, body.value), created ? 201 : 200);
  })
  .delete("/:email", async (c) => {
    const email = emailParam.safeParse(c.req.param("email"));
    if (!email.success) return invalid(c, email.error, "email");
    const deleted = await c.var.runtime.rollups.delete(email.data);
    if (!deleted) return problem(c, 404, "not_found", [`email: no roll-up for "${email.data}"`]);
    return c.body(null, 204);
  });
