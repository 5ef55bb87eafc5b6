// A pair: one manager and one report who meet 1:1, with their schedule, template, destination and
// digest channels. This schema is the one gate every pair passes (admin API, bulk import), so a bad
// field is refused with its path before anything is stored.
import * as z from "zod";
import { destinationSchema } from "../destinations/config";
import { digestChannelsSchema, duplicateChannelProblems, emailAddressSchema } from "../domain/channels";
import { MAX_PAIR_JSON_BYTES } from "../domain/limits";
import { pairIdSchema } from "../domain/pair-id";
import { scheduleSchema } from "../domain/schedule";
import { hasDiscussionSection, templateErrors, templateSchema } from "../templates";

const NOTION_USER_ID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

const personSchema = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  email: emailAddressSchema,
  notionUserId: z.string().regex(NOTION_USER_ID, "must be a Notion user id (a UUID)").optional(),
});

/** Bytes of `value` as JSON text, as D1 stores it. */
function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).byteLength;
}

export const pairSchema = z
  .strictObject({
    id: pairIdSchema,
    manager: personSchema,
    report: personSchema,
    template: templateSchema.default("weekly"),
    schedule: scheduleSchema,
    destination: destinationSchema,
    carry: z
      .strictObject({
        discussion: z.boolean().default(false),
        /**
         * After this many carries an item moves to the agenda's "Parking lot" (still open, still carried,
         * still in the digest under its own heading). Absent: items stay in their section however long.
         */
        maxTimes: z
          .int("must be a whole number")
          .min(1, "must be at least 1")
          .max(52, "must be at most 52 (a year of weekly meetings)")
          .optional(),
        /**
         * Live sync: until the meeting starts, the carried items follow the previous agenda (ticked there:
         * checked here; added there: added here; edited there: rewritten here unless a person edited the
         * copy). On unless turned off.
         */
        sync: z.boolean("must be true or false").default(true),
      })
      .default({ discussion: false, sync: true }),
    /** The channels that get this pair's digest each time an agenda is prepared. */
    digests: digestChannelsSchema(0).default([]),
  })
  .superRefine((pair, ctx) => {
    const bytes = jsonBytes(pair);
    if (bytes > MAX_PAIR_JSON_BYTES) {
      ctx.addIssue({
        code: "custom",
        message: `the pair is ${bytes} bytes as JSON; at most ${MAX_PAIR_JSON_BYTES} are stored (fewer channels, recipients or skip dates)`,
      });
    }
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
