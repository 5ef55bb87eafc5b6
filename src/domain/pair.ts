// A pair: one manager and one report who meet 1:1, with their schedule, template, destination and
// digest channels. This schema is the one gate every pair passes (admin API, bulk import), so a bad
// field is refused with its path before anything is stored.
import * as z from "zod";
import { destinationSchema } from "../destinations/config";
import { hasDiscussionSection, templateErrors, templateSchema } from "../templates";
import { digestChannelSchema, duplicateChannelProblems } from "./channels";
import { scheduleSchema } from "./schedule";

const NOTION_USER_ID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

const personSchema = z.object({
  name: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  email: z.email("must be an email address"),
  notionUserId: z.string().regex(NOTION_USER_ID, "must be a Notion user id (a UUID)").optional(),
});

export const pairIdSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    "must be 1-63 lower-case letters, digits or dashes, starting alphanumeric",
  );

export const pairSchema = z
  .object({
    id: pairIdSchema,
    manager: personSchema,
    report: personSchema,
    template: templateSchema.default("weekly"),
    schedule: scheduleSchema,
    destination: destinationSchema,
    carry: z.object({ discussion: z.boolean().default(false) }).default({ discussion: false }),
    /** The channels that get this pair's digest each time an agenda is prepared. */
    digests: z.array(digestChannelSchema).default([]),
  })
  .superRefine((pair, ctx) => {
    for (const problem of duplicateChannelProblems(pair.digests)) {
      ctx.addIssue({ code: "custom", path: ["digests", problem.index], message: problem.message });
    }
    for (const problem of templateErrors(pair.template)) {
      ctx.addIssue({ code: "custom", path: ["template"], message: problem });
    }
    if (pair.carry.discussion && !hasDiscussionSection(pair.template)) {
      ctx.addIssue({
        code: "custom",
        path: ["carry", "discussion"],
        message: `template "${pair.template}" has no discussion section to carry`,
      });
    }
  });

export type Pair = z.infer<typeof pairSchema>;
export type PairInput = z.input<typeof pairSchema>;

/** Zod issues as "path: message" lines, the form every API error uses. */
export function describeIssues(error: z.ZodError, prefix = ""): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== "").join(".");
    return path === "" ? issue.message : `${path}: ${issue.message}`;
  });
}
