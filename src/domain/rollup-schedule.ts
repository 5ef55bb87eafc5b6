// A manager's weekly roll-up: when it goes out (a weekday and a wall-clock time in the manager's zone)
// and to which channels. The send times come from the same occurrence code as meetings, so DST changes,
// missed ticks and catch-up behave the same way.
import * as z from "zod";
import { digestChannelsSchema, duplicateChannelProblems, emailAddressSchema } from "./channels";
import { occurrencesBetween } from "./occurrences";
import type { Schedule } from "./schedule";
import { localTimeSchema, timeZoneSchema, weekdaySchema } from "./schedule";

/** A roll-up whose time passed while the Worker was not running is still sent within this window. */
export const ROLLUP_CATCH_UP_MS = 12 * 3_600_000;

export const rollupConfigSchema = z
  .strictObject({
    manager: z.strictObject({
      name: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
      email: emailAddressSchema.transform((email) => email.toLowerCase()),
    }),
    weekday: weekdaySchema,
    time: localTimeSchema,
    timeZone: timeZoneSchema,
    paused: z.boolean().default(false),
    channels: digestChannelsSchema(1),
  })
  .superRefine((config, ctx) => {
    for (const problem of duplicateChannelProblems(config.channels)) {
      ctx.addIssue({ code: "custom", path: ["channels", problem.index], message: problem.message });
    }
  });

export type RollupConfig = z.infer<typeof rollupConfigSchema>;
export type RollupConfigInput = z.input<typeof rollupConfigSchema>;

function asSchedule(config: RollupConfig): Schedule {
  return {
    timeZone: config.timeZone,
    time: config.time,
    durationMinutes: 1,
    cadence: { kind: "weekly", weekday: config.weekday, everyWeeks: 1 },
    leadTime: { minutes: 0 },
    skipDates: [],
    paused: config.paused,
  };
}

/** The roll-up's stable name for one send: with the channel it fixes the delivery id. */
export function rollupKey(managerEmail: string, date: string): string {
  return `rollup/${managerEmail}/${date}`;
}

/**
 * The local date of the roll-up that is due at `nowMs`: its send time has passed, but by less than the
 * catch-up window. Null when none is due. The caller sends it once per date (the outbox ids see to it).
 */
export function dueRollupDate(config: RollupConfig, nowMs: number): string | null {
  const due = occurrencesBetween(asSchedule(config), nowMs - ROLLUP_CATCH_UP_MS, nowMs + 1);
  return due.at(-1)?.date ?? null;
}

/** When the next roll-up goes out after `nowMs`, as ISO 8601 with the zone's offset. */
export function nextRollupAt(config: RollupConfig, nowMs: number): string | null {
  const next = occurrencesBetween(asSchedule(config), nowMs + 1, nowMs + 8 * 24 * 3_600_000);
  return next[0]?.startsAt ?? null;
}
