// Owns turning an operator's typed answers (or flag values) into the parts of a pair: schedule text such
// as "every 2 weeks monday 09:30 from 2027-01-04", lead times such as "1d 2h", ids pasted as addresses,
// secret names. Pure: each parser answers a value or the one sentence that says what was wrong, and the
// Worker's own schemas decide wherever Node can load them.
import { Temporal } from "temporal-polyfill";
import type * as z from "zod";
import { normalizeDocumentId, normalizeFolderId } from "../../../src/destinations/google/config";
import { normalizeNotionId } from "../../../src/destinations/notion/config";
import { DIGEST_CHANNEL_NAMES, emailAddressSchema } from "../../../src/domain/channels";
import { pairIdSchema } from "../../../src/domain/pair-id";
import type { Weekday } from "../../../src/domain/schedule";
import { localDateSchema, localTimeSchema, timeZoneSchema, weekdays } from "../../../src/domain/schedule";
import type { TemplateId } from "../../../src/templates/ids";
import { TEMPLATE_IDS } from "../../../src/templates/ids";

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/** The first issue of a zod schema's verdict as one sentence, or the parsed value. */
function bySchema<T>(schema: z.ZodType<T>, text: string): Parsed<T> {
  const parsed = schema.safeParse(text);
  return parsed.success ? ok(parsed.data) : fail(parsed.error.issues[0]?.message ?? "is not valid");
}

export function parsePairId(text: string): Parsed<string> {
  const id = text.trim();
  return pairIdSchema.safeParse(id).success
    ? ok(id)
    : fail("must be 1-63 lower-case letters, digits or dashes, starting alphanumeric (like ada-bo)");
}

/** "Ada Lovelace" and "Bo Chen" make "ada-bo": the first names, as a pair id. */
export function suggestPairId(managerName: string, reportName: string): string {
  const first = (name: string) =>
    (name.trim().split(/\s+/)[0] ?? "")
      .normalize("NFKD")
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "");
  const id = [first(managerName), first(reportName)].filter((part) => part !== "").join("-");
  return parsePairId(id).ok ? id : "";
}

export function parseName(text: string): Parsed<string> {
  const name = text.trim();
  if (name === "") return fail("must not be empty");
  return name.length > 200 ? fail("must be at most 200 characters") : ok(name);
}

export function parseEmail(text: string): Parsed<string> {
  return bySchema(emailAddressSchema, text.trim());
}

export function parseTemplate(text: string): Parsed<TemplateId> {
  const id = text.trim().toLowerCase();
  const found = TEMPLATE_IDS.find((candidate) => candidate === id);
  return found === undefined ? fail(`must be one of: ${TEMPLATE_IDS.join(", ")}`) : ok(found);
}

export function parseTimeZone(text: string): Parsed<string> {
  return bySchema(timeZoneSchema, text.trim());
}

// ---------------------------------------------------------------------------------------------------------
// Schedule text
// ---------------------------------------------------------------------------------------------------------

type CadenceInput =
  | { kind: "weekly"; weekday: Weekday; everyWeeks?: number; startDate?: string }
  | { kind: "monthly"; dayOfMonth: number }
  | { kind: "monthly"; weekday: Weekday; nth: 1 | 2 | 3 | 4 | 5 | -1 };

export interface ScheduleText {
  cadence: CadenceInput;
  time: string;
}

export const SCHEDULE_EXAMPLES = [
  "weekly tuesday 10:00",
  "every 2 weeks monday 09:30 from 2027-01-04",
  "monthly 15 14:00",
  "monthly last friday 16:00",
];

function weekdayOf(word: string | undefined): Weekday | null {
  if (word === undefined) return null;
  const lower = word.toLowerCase().replace(/s$/, "");
  if (lower.length < 3) return null;
  return weekdays.find((day) => day.startsWith(lower)) ?? null;
}

const NTH: Readonly<Record<string, 1 | 2 | 3 | 4 | 5 | -1>> = {
  first: 1,
  "1st": 1,
  second: 2,
  "2nd": 2,
  third: 3,
  "3rd": 3,
  fourth: 4,
  "4th": 4,
  fifth: 5,
  "5th": 5,
  last: -1,
};

const show = (word: string | undefined) => (word === undefined ? "nothing" : `"${word}"`);

/**
 * "weekly tuesday 10:00", "every 2 weeks monday 09:30 from 2027-01-04", "monthly 15 14:00",
 * "monthly first thursday 10:00", "monthly last friday 16:00". Filler words ("on", "at", "the") may be
 * left in; the time zone is its own answer.
 */
export function parseSchedule(text: string): Parsed<ScheduleText> {
  const words = text
    .trim()
    .toLowerCase()
    .split(/[\s,]+/)
    .filter((word) => word !== "" && !["on", "at", "the", "of", "each", "month"].includes(word));
  const examples = `; for example ${SCHEDULE_EXAMPLES.map((example) => `"${example}"`).join(", ")}`;
  const time = (word: string | undefined): Parsed<string> =>
    word !== undefined && localTimeSchema.safeParse(word).success
      ? ok(word)
      : fail(`expected a time "HH:MM" (24-hour), got ${show(word)}${examples}`);
  const end = (rest: string[]): Parsed<null> =>
    rest.length === 0 ? ok(null) : fail(`did not expect "${rest.join(" ")}" at the end${examples}`);

  const [first, ...rest] = words;
  if (first === "weekly" || (first === "every" && weekdayOf(rest[0]) !== null)) {
    const weekday = weekdayOf(rest[0]);
    if (weekday === null) return fail(`expected a weekday after "${first}", got ${show(rest[0])}${examples}`);
    const at = time(rest[1]);
    if (!at.ok) return at;
    const done = end(rest.slice(2));
    return done.ok ? ok({ cadence: { kind: "weekly", weekday }, time: at.value }) : done;
  }
  if (first === "every") {
    const count = Number(rest[0]);
    if (!Number.isInteger(count) || count < 1 || count > 52 || !/^weeks?$/.test(rest[1] ?? "")) {
      return fail(
        `expected "every N weeks" with N from 1 to 52, got "${words.slice(0, 3).join(" ")}"${examples}`,
      );
    }
    const weekday = weekdayOf(rest[2]);
    if (weekday === null)
      return fail(`expected a weekday after "every ${count} weeks", got ${show(rest[2])}${examples}`);
    const at = time(rest[3]);
    if (!at.ok) return at;
    let tail = rest.slice(4);
    let startDate: string | undefined;
    if (tail[0] === "from" || tail[0] === "starting") {
      const date = localDateSchema.safeParse(tail[1]);
      if (!date.success) return fail(`expected a date "YYYY-MM-DD" after "${tail[0]}", got ${show(tail[1])}`);
      startDate = date.data;
      tail = tail.slice(2);
    }
    if (count > 1 && startDate === undefined) {
      return fail(
        `every ${count} weeks needs "from YYYY-MM-DD", the date of one meeting, to say which weeks`,
      );
    }
    const done = end(tail);
    if (!done.ok) return done;
    return ok({
      cadence: {
        kind: "weekly",
        weekday,
        ...(count > 1 ? { everyWeeks: count } : {}),
        ...(startDate === undefined ? {} : { startDate }),
      },
      time: at.value,
    });
  }
  if (first === "monthly") {
    const which = rest[0] ?? "";
    const nth = NTH[which];
    if (nth !== undefined) {
      const weekday = weekdayOf(rest[1]);
      if (weekday === null)
        return fail(`expected a weekday after "monthly ${which}", got ${show(rest[1])}${examples}`);
      const at = time(rest[2]);
      if (!at.ok) return at;
      const done = end(rest.slice(3));
      return done.ok ? ok({ cadence: { kind: "monthly", weekday, nth }, time: at.value }) : done;
    }
    const day = Number(which.replace(/(st|nd|rd|th)$/, ""));
    if (!Number.isInteger(day) || day < 1 || day > 31) {
      return fail(
        `expected a day of the month (1-31) or first, second, third, fourth, fifth or last after "monthly", got ${show(rest[0])}${examples}`,
      );
    }
    const at = time(rest[1]);
    if (!at.ok) return at;
    const done = end(rest.slice(2));
    return done.ok ? ok({ cadence: { kind: "monthly", dayOfMonth: day }, time: at.value }) : done;
  }
  return fail(`expected "weekly", "every" or "monthly" first, got ${show(first)}${examples}`);
}

export interface LeadTime {
  days?: number;
  hours?: number;
  minutes?: number;
}

/** "24h", "1d", "90m", "1d 2h", "2 days": how long before the meeting its agenda appears. */
export function parseLeadTime(text: string): Parsed<LeadTime> {
  const compact = text.trim().toLowerCase();
  const part = /(\d+)\s*(days?|d|hours?|hrs?|h|minutes?|mins?|m)\b\s*,?\s*/y;
  const lead: LeadTime = {};
  let at = 0;
  while (at < compact.length) {
    part.lastIndex = at;
    const match = part.exec(compact);
    if (match === null) break;
    const amount = Number(match[1]);
    const unit = match[2]?.[0];
    const key = unit === "d" ? "days" : unit === "h" ? "hours" : "minutes";
    lead[key] = (lead[key] ?? 0) + amount;
    at = part.lastIndex;
  }
  if (compact === "" || at < compact.length) {
    return fail('expected a duration such as "24h", "1d", "90m" or "1d 2h"');
  }
  const minutes = ((lead.days ?? 0) * 24 + (lead.hours ?? 0)) * 60 + (lead.minutes ?? 0);
  if (minutes < 15) return fail("must be at least 15 minutes: the schedule is checked every 15 minutes");
  if (minutes > 366 * 24 * 60) return fail("must be at most 366 days");
  return ok(lead);
}

/** The machine's own time zone, the default a person most likely means. */
export function localTimeZone(): string {
  return Temporal.Now.timeZoneId();
}

// ---------------------------------------------------------------------------------------------------------
// Destinations and channels
// ---------------------------------------------------------------------------------------------------------

export type DestinationKind = "notion" | "google-docs";

export function parseDestinationKind(text: string): Parsed<DestinationKind> {
  const word = text.trim().toLowerCase();
  if (word === "notion") return ok("notion");
  if (["google-docs", "google", "docs", "google docs"].includes(word)) return ok("google-docs");
  return fail('must be "notion" or "google-docs"');
}

export function parseNotionId(what: string): (text: string) => Parsed<string> {
  return (text) => {
    // A Notion address ends in the id, after the page's title: …/Team-1-1s-0123456789abcdef0123456789abcdef?v=…
    const trimmed = text.trim();
    const fromUrl = /([0-9a-f]{32}|[0-9a-f-]{36})(?:[?#].*)?$/i.exec(trimmed)?.[1];
    const id = normalizeNotionId(fromUrl ?? trimmed);
    return id === null ? fail(`must be a Notion ${what}'s id (32 hex characters) or its address`) : ok(id);
  };
}

export function parseDocumentId(text: string): Parsed<string> {
  const id = normalizeDocumentId(text);
  return id === null
    ? fail("must be a Google Doc: its id or its address, like https://docs.google.com/document/d/<id>/edit")
    : ok(id);
}

export function parseFolderId(text: string): Parsed<string> {
  const id = normalizeFolderId(text);
  return id === null
    ? fail("must be a Drive folder: its id or its address, like https://drive.google.com/drive/folders/<id>")
    : ok(id);
}

/** The NAME of a Worker secret; a value pasted by mistake is refused without being echoed. */
export function parseSecretName(text: string): Parsed<string> {
  const name = text.trim();
  if (!/^[A-Z][A-Z0-9_]*$/.test(name)) {
    return fail("must be the NAME of a Worker secret (upper case, digits and _), never its value");
  }
  if (name.length > 100) return fail("must be at most 100 characters");
  if (name.endsWith("_SIGNING_SECRET")) {
    return fail("names ending in _SIGNING_SECRET hold a webhook's signing key; name the URL's secret");
  }
  return ok(name);
}

export const CHANNEL_KINDS = DIGEST_CHANNEL_NAMES;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** "slack, email" (blank or "none" for none): the channels a pair's digests go to, each once. */
export function parseChannelKinds(text: string): Parsed<ChannelKind[]> {
  const words = text
    .toLowerCase()
    .split(/[\s,]+/)
    .filter((word) => word !== "" && word !== "none");
  const kinds: ChannelKind[] = [];
  for (const word of words) {
    const kind = CHANNEL_KINDS.find((candidate) => candidate === word);
    if (kind === undefined) return fail(`"${word}" is not a channel; use ${CHANNEL_KINDS.join(", ")}`);
    if (!kinds.includes(kind)) kinds.push(kind);
  }
  return ok(kinds);
}

/** A chosen word out of a few (a menu answered by its word or its first letter). */
export function parseChoice<T extends string>(choices: readonly T[]): (text: string) => Parsed<T> {
  return (text) => {
    const word = text.trim().toLowerCase();
    const found =
      choices.find((choice) => choice === word) ??
      (word.length === 1 ? choices.find((choice) => choice.startsWith(word)) : undefined);
    return found === undefined ? fail(`answer one of: ${choices.join(", ")}`) : ok(found);
  };
}

/** Optional text: blank is "none". */
export function optional<T>(parse: (text: string) => Parsed<T>): (text: string) => Parsed<T | null> {
  return (text) => (text.trim() === "" || text.trim().toLowerCase() === "none" ? ok(null) : parse(text));
}
