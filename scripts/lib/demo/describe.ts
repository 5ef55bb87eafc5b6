// Owns how the demo words schedules and instants for a person: "every other Thursday 16:30
// America/New_York", "Mon 2026-11-30 10:00", "2026-11-29 09:00 UTC".
import { Temporal } from "temporal-polyfill";
import type { Schedule } from "../../../src/domain/schedule";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const NTH: Record<number, string> = {
  1: "first",
  2: "second",
  3: "third",
  4: "fourth",
  5: "fifth",
  [-1]: "last",
};

const capital = (word: string): string => `${word.slice(0, 1).toUpperCase()}${word.slice(1)}`;

function ordinal(day: number): string {
  const tens = day % 100;
  if (tens >= 11 && tens <= 13) return `${day}th`;
  return `${day}${{ 1: "st", 2: "nd", 3: "rd" }[day % 10] ?? "th"}`;
}

export function describeSchedule(schedule: Schedule): string {
  const cadence = schedule.cadence;
  let when: string;
  if (cadence.kind === "weekly") {
    const every =
      cadence.everyWeeks === 1
        ? "every"
        : cadence.everyWeeks === 2
          ? "every other"
          : `every ${cadence.everyWeeks} weeks on`;
    when = `${every} ${capital(cadence.weekday)}`;
  } else if ("dayOfMonth" in cadence) {
    when = `monthly on the ${ordinal(cadence.dayOfMonth)}`;
  } else {
    when = `monthly on the ${NTH[cadence.nth] ?? String(cadence.nth)} ${capital(cadence.weekday)}`;
  }
  return `${when} ${schedule.time} ${schedule.timeZone}`;
}

/** "Mon 2026-11-30 10:00" in `timeZone`. */
export function localTime(epochMs: number, timeZone: string): string {
  const zoned = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
  const hhmm = zoned.toPlainTime().toString({ smallestUnit: "minute" });
  return `${WEEKDAYS[zoned.dayOfWeek - 1] ?? ""} ${zoned.toPlainDate().toString()} ${hhmm}`;
}

/** "Sun 2026-11-29 09:00 UTC". */
export function utcTime(epochMs: number): string {
  return `${localTime(epochMs, "UTC")} UTC`;
}
