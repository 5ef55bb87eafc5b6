// Reading and answering JSON at the API's edge: bodies are parsed with zod and every refusal names
// the field that was wrong, in one error shape for all routes.
import type { Context } from "hono";
import type { z } from "zod";
import { describeIssues } from "../domain/pair";

export type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

export function problem(
  c: Context,
  status: 400 | 404 | 409 | 500 | 503,
  error: string,
  problems: string[],
): Response {
  return c.json({ error, problems }, status);
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
  if (!parsed.success)
    return { ok: false, response: problem(c, 400, "invalid_request", describeIssues(parsed.error)) };
  return { ok: true, value: parsed.data };
}
