// Owns reading the date a person put in a heading or a file name ("2026-12-01", "Dec 1, 2026",
// "1 December 2026", "Tuesday 1 Dec", "01/12/2026"), so that notes people kept by hand before the
// Worker came can be taken over. The parsing is chrono-node's (English, strict mode: no "today" or
// "next week", which name no meeting); this module only decides what chrono cannot know: which way an
// ambiguous numeric date reads, and which year a date written without one belongs to.
import { Chrono, configuration } from "chrono-node/en";

/** How `01/12/2026` reads: 1 December (day first) or January 12 (month first). */
export type NumericOrder = "day-first" | "month-first";

const dayFirst = new Chrono(configuration.createConfiguration(true, true));
const monthFirst = new Chrono(configuration.createConfiguration(true, false));

const NUMERIC = /(?<![\d.])(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?![\d.])/gu;

/**
 * The order the numeric dates among `titles` show. Day first (as most of the world writes) unless one
 * of them can only be month first (`12/25/2026`), and none can only be day first: a doc or folder is
 * written one way, so one unambiguous date settles the ambiguous ones beside it.
 */
export function numericOrderOf(titles: Iterable<string>): NumericOrder {
  let onlyMonthFirst = false;
  let onlyDayFirst = false;
  for (const title of titles) {
    for (const match of title.matchAll(NUMERIC)) {
      const first = Number(match[1]);
      const second = Number(match[2]);
      if (first <= 12 && second > 12 && second <= 31) onlyMonthFirst = true;
      if (second <= 12 && first > 12 && first <= 31) onlyDayFirst = true;
    }
  }
  return onlyMonthFirst && !onlyDayFirst ? "month-first" : "day-first";
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/**
 * The date a heading or file name names, `YYYY-MM-DD`, or null when it names none. A date written
 * without its year is the latest such date on or before `reference` (the meeting being prepared, a
 * `YYYY-MM-DD` date): notes are written for meetings that happened, not next year's.
 */
export function dateInTitle(
  title: string,
  reference: string,
  order: NumericOrder = "day-first",
): string | null {
  const [year, month, day] = reference.split("-").map(Number);
  if (year === undefined || month === undefined || day === undefined) return null;
  const instant = new Date(Date.UTC(year, month - 1, day, 12));
  const parser = order === "day-first" ? dayFirst : monthFirst;
  for (const result of parser.parse(title, { instant, timezone: 0 }, { forwardDate: false })) {
    const start = result.start;
    // A day and a month that were written, with a digit among them: not a weekday alone, not a time.
    if (!start.isCertain("day") || !start.isCertain("month") || !/\d/u.test(result.text)) continue;
    const m = start.get("month");
    const d = start.get("day");
    let y = start.get("year");
    if (m === null || d === null || y === null) continue;
    if (!start.isCertain("year")) {
      const candidate = `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
      if (candidate > reference) y -= 1;
    }
    // chrono rolls an impossible day (31 April) over into the next month; a title never means that.
    const check = new Date(Date.UTC(y, m - 1, d));
    if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) continue;
    return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
  }
  return null;
}
