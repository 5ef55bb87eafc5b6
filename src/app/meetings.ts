// Admin route for watching meetings in bulk: how many meetings of a date range are claimed, created or
// failed (and how many created ones carried nothing), in one query, without reading every pair.
import { Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "./context";
import { invalid } from "./http";

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date "YYYY-MM-DD"');

const summaryQuery = z
  .strictObject({ from: localDate, to: localDate })
  .refine((query) => query.from <= query.to, { path: ["to"], message: "must not be before from" });

export const meetingRoutes = new Hono<AppEnv>().get("/summary", async (c) => {
  const query = summaryQuery.safeParse(c.req.query());
  if (!query.success) return invalid(c, query.error, "query");
  const summary = await c.var.runtime.meetings.summary(query.data.from, query.data.to);
  return c.json({ from: query.data.from, to: query.data.to, ...summary });
});
