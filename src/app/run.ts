// "Run now": prepare the due agendas of all pairs or one, at a given moment, optionally as a dry run
// that returns the agendas it would write and writes nothing. `at` decides which agendas are due; the
// digests it then sends are sent and retried on the real clock, and with `pairId` only that pair's.
import { Hono } from "hono";
import * as z from "zod";
import { runTick } from "../jobs/run-tick";
import type { AppEnv } from "./context";
import { problem, readJson } from "./http";

// A run computes dates up to a year past `at`; keeping `at` within four-digit years leaves all of that
// inside what a Date and Temporal can hold (±8.64e15 ms).
const EARLIEST_AT_MS = 0;
const LATEST_AT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const AT_RANGE = "between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z";

const runSchema = z.strictObject({
  /** The moment to run at: an ISO 8601 instant or epoch milliseconds; defaults to now. */
  at: z
    .union([z.iso.datetime({ offset: true }), z.number().int()], {
      error: "must be an ISO 8601 instant with its offset (2026-12-01T09:00:00Z) or epoch milliseconds",
    })
    .transform((at, ctx) => {
      const ms = new Date(at).getTime();
      if (!Number.isFinite(ms) || ms < EARLIEST_AT_MS || ms > LATEST_AT_MS) {
        ctx.addIssue({ code: "custom", message: `must be ${AT_RANGE}` });
        return z.NEVER;
      }
      return ms;
    })
    .optional(),
  pairId: z.string().min(1, "must not be empty").max(63, "is longer than any pair id").optional(),
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
