// "Run now": prepare the due agendas of all pairs or one, at a given moment, optionally as a dry run
// that returns the agendas it would write and writes nothing. `at` decides which agendas are due; the
// digests it then sends are sent and retried on the real clock, and with `pairId` only that pair's.
import { Hono } from "hono";
import * as z from "zod";
import { runTick } from "../jobs/run-tick";
import type { AppEnv } from "./context";
import { problem, readJson } from "./http";

const runSchema = z.object({
  /** The moment to run at: an ISO 8601 instant or epoch milliseconds; defaults to now. */
  at: z
    .union([z.iso.datetime({ offset: true }), z.number().int().nonnegative()])
    .optional()
    .transform((at) => (at === undefined ? undefined : new Date(at).getTime())),
  pairId: z.string().min(1).optional(),
  dryRun: z.boolean().default(false),
});

export const runRoutes = new Hono<AppEnv>().post("/", async (c) => {
  const body = await readJson(c, runSchema);
  if (!body.ok) return body.response;
  const runtime = c.var.runtime;
  const { pairId, dryRun } = body.value;
  if (pairId !== undefined && !(await runtime.pairs.get(pairId))) {
    return problem(c, 404, "not_found", [`pairId: no pair "${pairId}"`]);
  }
  const result = await runTick(runtime, {
    nowMs: body.value.at ?? runtime.clock(),
    runId: crypto.randomUUID(),
    dryRun,
    ...(pairId === undefined ? {} : { pairId }),
  });
  return c.json(result);
});
