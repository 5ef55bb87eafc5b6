// Admin routes for the per-invocation budget (lib/budget.ts): the largest subrequest and D1 query
// counts one cron tick or one queue batch of this isolate has spent, beside Cloudflare's limits, and a
// reset. Only this isolate's invocations: on Cloudflare the logs' `invocation.budget` lines show all.
import { Hono } from "hono";
import { budgetPeaks, CLOUDFLARE_LIMITS, resetBudgetPeaks } from "../lib/budget";
import type { AppEnv } from "./context";

export const budgetRoutes = new Hono<AppEnv>()
  .get("/", (c) => c.json({ scope: "this isolate", ...budgetPeaks(), limits: CLOUDFLARE_LIMITS }))
  .delete("/", (c) => {
    resetBudgetPeaks();
    return c.json({ reset: true });
  });
