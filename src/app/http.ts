// Reading and answering JSON at the API's edge: bodies are parsed with zod and every refusal names
// the field that was wrong, in one error shape for all routes.
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import * as z from "zod";
import { describeIssues } from "../lib/issues";

/** `?limit=` on every listing route: how many rows one answer holds (100 unless asked, at most 500). */
export const pageLimitSchema = z.coerce
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(500, "must be at most 500")
  .default(100);

export type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

export function problem(
  c: Context,
  status: 400 | 401 | 404 | 405 | 409 | 413 | 500 | 503,
  error: string,
  problems: string[],
): Response {
  return c.json({ error, problems }, status);
}

/** A zod failure as the API's 400, naming each bad field; issues about the whole value name `root`. */
export function invalid(c: Context, error: z.ZodError, root: string): Response {
  return problem(c, 400, "invalid_request", describeIssues(error, "", root));
}

/** The request's JSON body, checked against `schema`; a 400 naming each bad field otherwise. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<Parsed<z.infer<S>>> {
  let body: unknown;
  try {
    const text = await c.req.text();
    body = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    return { ok: false, response: problem(c, 400, "invalid_json", ["body: is not valid JSON"]) };
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { ok: false, response: invalid(c, parsed.error, "body") };
  return { ok: true, value: parsed.data };
}

/**
 * Refuses a body larger than `maxBytes` with 413 before it is read whole: by its Content-Length when it
 * has one, otherwise by counting while it streams in (a chunked body has no length up front).
 */
export function limitBody(maxBytes: (c: Context) => number): MiddlewareHandler {
  return (c, next) =>
    bodyLimit({
      maxSize: maxBytes(c),
      onError: (c) =>
        problem(c, 413, "payload_too_large", [
          `body: is larger than ${maxBytes(c)} bytes, the limit for ${c.req.method} ${c.req.path}`,
        ]),
    })(c, next);
}
