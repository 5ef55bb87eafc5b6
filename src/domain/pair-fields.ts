// The fields of a pair that are pure domain: its two people and how its items are carried.
// config/pair.ts composes them with a destination and a template into the schema every pair passes.
import * as z from "zod";
import { emailAddressSchema } from "./channels";

const NOTION_USER_ID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export const personSchema = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  email: emailAddressSchema,
  notionUserId: z.string().regex(NOTION_USER_ID, "must be a Notion user id (a UUID)").optional(),
});

export const carrySettingsSchema = z
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
  .default({ discussion: false, sync: true });
