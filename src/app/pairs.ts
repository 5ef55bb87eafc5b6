// Admin routes for pairs: create, bulk import, read, replace, delete, and a pair's meetings with what
// each received. Every write is validated whole first; a refused request stores nothing.
import { Hono } from "hono";
import * as z from "zod";
import type { Pair } from "../config/pair";
import { pairSchema } from "../config/pair";
import { MAX_IMPORT_PAIRS } from "../domain/limits";
import { nextOccurrence } from "../domain/occurrences";
import { pairIdSchema } from "../domain/pair-id";
import { describeIssues } from "../lib/issues";
import type { AppEnv } from "./context";
import { deliveryView } from "./deliveries";
import { invalid, pageLimitSchema, problem, readJson } from "./http";
import { refuseSharedDestinations } from "./sharing";

/** A bulk import: a list of pairs, or `{ pairs: [...] }` (the same list with room for a comment). */
const importSchema = z.preprocess(
  (value) => (Array.isArray(value) ? { pairs: value } : value),
  z.strictObject(
    {
      pairs: z
        .array(z.unknown(), { error: "must be a list of pairs" })
        .min(1, "lists no pairs; an import needs at least one")
        .max(MAX_IMPORT_PAIRS, `lists more than ${MAX_IMPORT_PAIRS} pairs; import them in parts`),
    },
    {
      error: (issue) =>
        issue.code === "invalid_type" ? 'expected a list of pairs, or { "pairs": [...] }' : undefined,
    },
  ),
);

const CURSOR_PREFIX = "after:";

/** An opaque cursor: the last id of the page, so the next page starts after it whatever was added. */
function cursorAfter(id: string): string {
  return btoa(`${CURSOR_PREFIX}${id}`).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

function idInCursor(cursor: string): string | null {
  let text: string;
  try {
    text = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return null;
  }
  const id = text.startsWith(CURSOR_PREFIX) ? text.slice(CURSOR_PREFIX.length) : null;
  return id !== null && pairIdSchema.safeParse(id).success ? id : null;
}

const listQuery = z.strictObject({
  limit: pageLimitSchema,
  cursor: z
    .string()
    .max(200, "is not a cursor this API gave")
    .transform((cursor, ctx) => {
      const id = idInCursor(cursor);
      if (id === null) {
        ctx.addIssue({ code: "custom", message: "is not a cursor this API gave; use nextCursor as it was" });
        return z.NEVER;
      }
      return id;
    })
    .optional(),
});

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

/**
 * When the pair meets next, shown beside the pair rather than in it: what GET answers as `pair` is
 * exactly what PUT takes, so a read, edit and write back needs no cleaning.
 */
function nextMeetingOf(pair: Pair | null, nowMs: number) {
  const next = pair ? nextOccurrence(pair.schedule, nowMs) : null;
  return next ? { date: next.date, startsAt: next.startsAt } : null;
}

export const pairRoutes = new Hono<AppEnv>()
  .get("/", async (c) => {
    const query = listQuery.safeParse(c.req.query());
    if (!query.success) return invalid(c, query.error, "query");
    const page = await c.var.runtime.pairs.page(query.data.limit, query.data.cursor ?? null);
    const now = Date.now();
    return c.json({
      nextCursor: page.lastId === null ? null : cursorAfter(page.lastId),
      pairs: page.pairs.map((entry) => ({
        id: entry.id,
        pair: entry.pair,
        nextMeeting: nextMeetingOf(entry.pair, now),
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
    const { pairs, problems } = validateAll(body.value.pairs);
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
      pair: entry.pair,
      nextMeeting: nextMeetingOf(entry.pair, Date.now()),
      problems: entry.problems,
    });
  })
  .put("/:id", async (c) => {
    const id = pairIdSchema.safeParse(c.req.param("id"));
    if (!id.success) return invalid(c, id.error, "id");
    const body = await readJson(c, z.record(z.string(), z.unknown(), { error: "expected a pair object" }));
    if (!body.ok) return body.response;
    if (body.value.id !== undefined && body.value.id !== id.data) {
      return problem(c, 400, "invalid_request", [
        `id: body id "${String(body.value.id)}" differs from the URL's`,
      ]);
    }
    const parsed = pairSchema.safeParse({ ...body.value, id: id.data });
    if (!parsed.success) return invalid(c, parsed.error, "body");
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
    const id = c.req.param("id");
    const meetings = await runtime.meetings.listForPair(id);
    // A deleted pair keeps its meetings and they stay readable; an id that never had any is unknown.
    if (meetings.length === 0 && !(await runtime.pairs.get(id)))
      return problem(c, 404, "not_found", [`id: no pair "${id}"`]);
    const withItems = await Promise.all(
      meetings.map(async ({ claimToken: _fence, ...meeting }) => ({
        ...meeting,
        // Where the carried items came from: the previous agenda, made by the Worker or taken over.
        carriedFrom: meeting.carriedFrom ?? null,
        carried: await runtime.meetings.ledger(meeting.key),
        deliveries: (await runtime.deliveries.listForMeeting(meeting.key)).map(deliveryView),
      })),
    );
    return c.json({ meetings: withItems });
  });
