// Checking what a vendor's API answered before we depend on it: one zod parse, and one error type that
// names the first field that was wrong, never the raw body.
import type { z } from "zod";

/** A vendor answer that lacks what we depend on. */
export class UnexpectedResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnexpectedResponseError";
  }
}

/** `value` checked against `schema`; an UnexpectedResponseError naming the first bad field otherwise. */
export function parseResponse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue === undefined ? "" : issue.path.map(String).join(".");
  throw new UnexpectedResponseError(
    `${what}: ${path === "" ? "" : `${path} `}${issue?.message ?? "is invalid"}`,
  );
}
