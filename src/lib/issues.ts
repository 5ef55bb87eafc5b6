// Zod's issues in the form every error a person reads takes: one "path: message" line each.
import type * as z from "zod";

/**
 * Zod issues as "path: message" lines, the form every API error uses. An unknown field gets a line of
 * its own with its full path ("digests.0.To: unknown field"), so a typo is found where it was made.
 * `root` names the value itself, for issues about the whole of it ("body: expected an object").
 */
export function describeIssues(error: z.ZodError, prefix = "", root = ""): string[] {
  const line = (parts: readonly PropertyKey[], message: string) => {
    const path = [prefix, ...parts.map(String)].filter((part) => part !== "").join(".");
    const where = path === "" ? root : path;
    return where === "" ? message : `${where}: ${message}`;
  };
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => line([...issue.path, key], "unknown field; check its spelling and case"))
      : [line(issue.path, issue.message)],
  );
}
