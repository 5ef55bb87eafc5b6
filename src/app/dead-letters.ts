// Admin routes for dead letters: the work the queue gave up on (a meeting it could not prepare, a digest
// it could not send), each with its last reason, and replaying one once a person has fixed the cause.
import { Hono } from "hono";
import * as z from "zod";
import { replayDeadLetter } from "../jobs/dead-letters";
import type { DeadLetter } from "../store/dead-letters";
import type { AppEnv } from "./context";
import { invalid, pageLimitSchema, problem } from "./http";

const listQuery = z.strictObject({ limit: pageLimitSchema });

/** A dead letter as the API shows it: the message as JSON, not a JSON string. */
function deadLetterView(letter: DeadLetter) {
  return {
    subject: letter.subject,
    kind: letter.kind,
    message: JSON.parse(letter.body) as unknown,
    reason: letter.reason,
    deaths: letter.deaths,
    attempts: letter.attempts,
    firstDiedAt: letter.firstDiedAt,
    lastDiedAt: letter.lastDiedAt,
  };
}

export const deadLetterRoutes = new Hono<AppEnv>()
  .get("/", async (c) => {
    const query = listQuery.safeParse(c.req.query());
    if (!query.success) return invalid(c, query.error, "query");
    const letters = await c.var.runtime.deadLetters.listOpen(query.data.limit);
    return c.json({ deadLetters: letters.map(deadLetterView) });
  })
  .post("/:subject/replay", async (c) => {
    const subject = c.req.param("subject");
    const result = await replayDeadLetter(c.var.runtime, subject);
    if (result.status === "not_found")
      return problem(c, 404, "not_found", [`subject: no dead letter "${subject}"`]);
    if (result.status === "already_replayed") {
      return problem(c, 409, "already_replayed", [
        `subject: "${subject}" was replayed and has not failed since`,
      ]);
    }
    return c.json({ replayed: subject }, 202);
  });
