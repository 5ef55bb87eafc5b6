// A pair: one manager and one report who meet 1:1, with their schedule, template, destination and
// digest channels. This schema is the one gate every pair passes (admin API, bulk import), so a bad
// field is refused with its path before anything is stored. It lives apart from domain/ because it
// composes the destinations' and the templates' own schemas with the pair's domain fields.
import * as z from "zod";
import { destinationSchema } from "../destinations/config";
import { digestChannelsSchema, duplicateChannelProblems } from "../domain/channels";
import { MAX_PAIR_JSON_BYTES } from "../domain/limits";
import { carrySettingsSchema, personSchema } from "../domain/pair-fields";
import { pairIdSchema } from "../domain/pair-id";
import { scheduleSchema } from "../domain/schedule";
import { hasDiscussionSection, templateErrors, templateSchema } from "../templates";

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
    carry: carrySettingsSchema,
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
