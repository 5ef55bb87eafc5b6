// Admin routes for pairs: create, bulk import, read, replace, delete, and a pair's meetings with what
// each received. Every write is validated whole first; a refused request stores nothing.
import { Hono } from "hono";
import * as z from "zod";
import type { Pair } from "../domain/pair";
import { describeIssues, pairIdSchema, pairSchema } from "../domain/pair";
import { nextOccurrence } from "../domain/schedule";
import type { AppEnv } from "./context";
import { deliveryView } from "./deliveries";
import { problem, readJson } from "./http";
import { refuseSharedDestinations } from "./sharing";

const importSchema = z.union([z.array(z.unknown()), z.object({ pairs: z.array(z.unknown()) })]);

/** Validates every pair of a bulk import; problems are prefixed with the pair's index. */
function validateAll(items: readonly unknown[]): { pairs: Pair[]; problems: string[] } {
  const pairs: Pair[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const parsed = pairSchema.safeParse(item);
    if (!parsed.success) {
      problems.push(...describeIssues(parsed.error, `pairs[${index}]`));
      return;
    }
    if (seen.has(parsed.data.id))
      problems.push(`pairs[${index}].id: "${parsed.data.id}" appears twice in the import`);
    seen.add(parsed.data.id);
    pairs.push(parsed.data);
  });
  return { pairs, problems };
}

function withNextMeeting(pair: Pair, nowMs: number) {
  const next = nextOccurrence(pair.schedule, nowMs);
  return { ...pair, nextMeeting: next ? { date: next.date, startsAt: next.startsAt } : null };
}

export const pairRoutes = new Hono<AppEnv>()
  .get("/", async (c) => {
    const stored = await c.var.runtime.pairs.list();
    const now = Date.now();
    return c.json({
      pairs: stored.map((entry) => ({
        id: entry.id,
        pair: entry.pair ? withNextMeeting(entry.pair, now) : null,
        problems: entry.problems,
        createdAt: entry.createdAt,
        updatedAt: entry.updatedAt,
      })),
    });
  })
  .post("/", async (c) => {
    const body = await readJson(c, pairSchema);
    if (!body.ok) return body.response;
    const shared = await refuseSharedDestinations(c, [body.value]);
    if (shared) return shared;
    const stored = await c.var.runtime.pairs.insert([body.value], new Date().toISOString());
    if (!stored)
      return problem(c, 409, "pair_exists", [
        `id: a pair "${body.value.id}" already exists; use PUT to update it`,
      ]);
    return c.json({ pair: body.value }, 201);
  })
  .post("/import", async (c) => {
    const body = await readJson(c, importSchema);
    if (!body.ok) return body.response;
    const items = Array.isArray(body.value) ? body.value : body.value.pairs;
    const { pairs, problems } = validateAll(items);
    if (problems.length > 0) return problem(c, 400, "invalid_pairs", problems);
    const shared = await refuseSharedDestinations(c, pairs, (index) => `pairs[${index}].`);
    if (shared) return shared;
    await c.var.runtime.pairs.upsert(pairs, new Date().toISOString());
    return c.json({ imported: pairs.map((pair) => pair.id) });
  })
  .get("/:id", async (c) => {
    const entry = await c.var.runtime.pairs.get(c.req.param("id"));
    if (!entry) return problem(c, 404, "not_found", [`id: no pair "${c.req.param("id")}"`]);
    return c.json({
      id: entry.id,
      pair: entry.pair ? withNextMeeting(entry.pair, Date.now()) : null,
      problems: entry.problems,
    });
  })
  .put("/:id", async (c) => {
    const id = pairIdSchema.safeParse(c.req.param("id"));
    if (!id.success) return problem(c, 400, "invalid_request", describeIssues(id.error, "id"));
    const body = await readJson(c, z.record(z.string(), z.unknown()));
    if (!body.ok) return body.response;
    if (body.value.id !== undefined && body.value.id !== id.data) {
      return problem(c, 400, "invalid_request", [
        `id: body id "${String(body.value.id)}" differs from the URL's`,
      ]);
    }
    const parsed = pairSchema.safeParse({ ...body.value, id: id.data });
    if (!parsed.success) return problem(c, 400, "invalid_request", describeIssues(parsed.error));
    const shared = await refuseSharedDestinations(c, [parsed.data]);
    if (shared) return shared;
    const replaced = await c.var.runtime.pairs.replace(parsed.data, new Date().toISOString());
    if (!replaced) return problem(c, 404, "not_found", [`id: no pair "${id.data}"`]);
    return c.json({ pair: parsed.data });
  })
  .delete("/:id", async (c) => {
    const deleted = await c.var.runtime.pairs.delete(c.req.param("id"));
    if (!deleted) return problem(c, 404, "not_found", [`id: no pair "${c.req.param("id")}"`]);
    return c.body(null, 204);
  })
  .get("/:id/meetings", async (c) => {
    const runtime = c.var.runtime;
    const meetings = await runtime.meetings.listForPair(c.req.param("id"));
    const withItems = await Promise.all(
      meetings.map(async (meeting) => ({
        ...meeting,
        carried: await runtime.meetings.ledger(meeting.key),
        deliveries: (await runtime.deliveries.listForMeeting(meeting.key)).map(deliveryView),
      })),
    );
    return c.json({ meetings: withItems });
  });
