// The doctor's route: GET /admin/doctor checks every stored pair (destination reachable, properties
// right, channels ready, next meeting) and, with ?dryRun=true, adds each pair's next agenda as a dry run
// answers it. The checks live in jobs/doctor.ts.
import { Hono } from "hono";
import * as z from "zod";
import { dryRunNext, runDoctor } from "../jobs/doctor";
import { mapWithConcurrency } from "../lib/pool";
import type { AppEnv } from "./context";
import { invalid } from "./http";

const doctorQuery = z.strictObject({
  dryRun: z
    .enum(["true", "false"], { error: 'must be "true" or "false"' })
    .transform((value) => value === "true")
    .default(false),
});

/** Dry runs at once: each is a run of its own, reading the pair's previous agenda. */
const DRY_RUN_CONCURRENCY = 2;

export const doctorRoutes = new Hono<AppEnv>().get("/", async (c) => {
  const query = doctorQuery.safeParse(c.req.query());
  if (!query.success) return invalid(c, query.error, "query");
  const runtime = c.var.runtime;
  const report = await runDoctor(runtime);
  if (!query.data.dryRun) return c.json(report);
  const pairs = new Map(
    (await runtime.pairs.list()).flatMap((entry) =>
      entry.pair === null ? [] : [[entry.id, entry.pair] as const],
    ),
  );
  const rows = await mapWithConcurrency(report.pairs, DRY_RUN_CONCURRENCY, async (row) => {
    const pair = pairs.get(row.pairId);
    return {
      ...row,
      dryRun:
        pair === undefined ? { error: "the stored pair is not valid" } : await dryRunNext(runtime, pair),
    };
  });
  return c.json({ ...report, pairs: rows });
});
