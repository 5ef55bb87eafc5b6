// The digest model: what every channel says about one prepared agenda, computed once and purely, so the
// Slack, Teams, Discord, Google Chat and JSON payloads cannot disagree about order, overdue days or dates.
// Channels only lay this out and escape it; no channel recomputes urgency or formats a date itself.
import { Temporal } from "temporal-polyfill";
import { withoutControlCharacters } from "../lib/control-characters";
import type { CarriedItem } from "./carry";

/** Items carried this many times or more are "stuck": the pair keeps postponing them. */
const LONG_CARRIED_THRESHOLD = 3;

/** The heading every channel puts over the parked items, as the agenda names their section. */
export const PARKING_LOT_HEADING = "🅿️ Parking lot";

/**
 * One open item as the digest receives it: the carried item's text (as written by a person: untrusted,
 * escaped by every channel), owner's name (null: nobody), due date (`YYYY-MM-DD` in the pair's zone),
 * origin and carry count, and whether it waits in the agenda's parking lot.
 */
export type DigestItemInput = Pick<CarriedItem, DigestFields> & { parked?: boolean };

type DigestFields = "text" | "ownerName" | "dueDate" | "timesCarried" | "originDate";

/**
 * What a digest needs of a carried item: a ledger entry (with live sync's word on whether it was ticked
 * done), or an item a run has just carried (open by definition).
 */
export type DigestSource = Pick<CarriedItem, DigestFields | "role"> & { closedAt?: string | null };

/** Whether an item is still open: live sync did not see it ticked in the previous agenda before the meeting. */
export function stillOpen(item: DigestSource): boolean {
  return (item.closedAt ?? null) === null;
}

/**
 * The open action items of a ledger as the digest takes them, and the parked items (shown under their
 * own heading, so nothing parked is out of sight). Discussion points are not actions.
 */
export function digestItemsOf(ledger: readonly DigestSource[]): DigestItemInput[] {
  return ledger
    .filter((item) => (item.role === "actions" || item.role === "parked") && stillOpen(item))
    .map((item) => ({
      text: item.text,
      ownerName: item.ownerName,
      dueDate: item.dueDate,
      timesCarried: item.timesCarried,
      originDate: item.originDate,
      parked: item.role === "parked",
    }));
}

export interface DigestInput {
  pair: { id: string; managerName: string; reportName: string; timeZone: string };
  /** `date` is the meeting's local date in the pair's zone; `startsAt` the instant (ISO 8601 with offset or Z). */
  meeting: { date: string; startsAt: string };
  agendaUrl: string;
  carried: readonly DigestItemInput[];
  /** Items that were open at the previous meeting and a person has closed since. */
  closedSinceLastMeeting: number;
}

export interface DigestItem {
  /** The item's text made safe to lay out on one line (see `cleanText`); still untrusted for markup. */
  text: string;
  owner: string | null;
  dueDate: string | null;
  originDate: string;
  timesCarried: number;
  /** Calendar days from the due date to the meeting date in the pair's zone; 0 when not overdue. */
  overdueDays: number;
  /** Stuck: carried LONG_CARRIED_THRESHOLD times or more. */
  longCarried: boolean;
  /** In the agenda's parking lot: listed after every other item, under PARKING_LOT_HEADING. */
  parked: boolean;
  /** "Ada Lovelace" or "no owner". */
  ownerLabel: string;
  /** "due 2026-03-01 · 5 days overdue", "due 2026-03-10" or "no due date". */
  dueLabel: string;
  /** "carried 4× since 2026-01-06". */
  carriedLabel: string;
}

export interface Digest {
  pair: { id: string; managerName: string; reportName: string; timeZone: string };
  meeting: {
    date: string;
    startsAt: string;
    /** Local wall time in the pair's zone: "Tuesday 31 March 2026, 10:00 (Europe/Berlin)". */
    display: string;
    /** Short form for titles: "Tue 31 Mar 2026". */
    shortDate: string;
  };
  agendaUrl: string;
  /** "1:1 Ada Lovelace / Charles Babbage", names cleaned like item text. */
  title: string;
  /**
   * Most urgent first: overdue days desc, then times carried desc, then due date (none last); the parked
   * items after all others, in the same order among themselves.
   */
  items: DigestItem[];
  counts: {
    carried: number;
    overdue: number;
    /** Stuck items: carried LONG_CARRIED_THRESHOLD times or more. */
    longCarried: number;
    /** Items in the parking lot (counted in `carried` too). */
    parked: number;
    closedSinceLastMeeting: number;
  };
  /** "3 open items carried (1 overdue, 2 stuck, 1 in the parking lot) · 2 items closed since the last meeting". */
  summary: string;
}

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

// Control characters (lib/control-characters.ts) would break lines or JSON consumers; bidi embeddings and
// overrides (not the harmless LRM/RLM marks) can reorder the text around an item, e.g. make "overdue"
// read as something else ("Trojan Source"). Right-to-left letters themselves are kept: they are what
// people wrote.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/gu;
const LINE_BREAKS = /[\t\n\r\u2028\u2029]+/gu;

/**
 * Item text as one clean line: digests show an item per line, and a newline inside an item would let it
 * start a Markdown heading or quote on some channels. Nothing is cut here: each channel truncates
 * visibly to its own limits.
 */
export function cleanText(text: string): string {
  const cleaned = withoutControlCharacters(text.replace(LINE_BREAKS, " "))
    .replace(BIDI_CONTROLS, "")
    .replace(/ {2,}/gu, " ")
    .trim();
  return cleaned === "" ? "(no text)" : cleaned;
}

/** "1 item", "3 items": every count the digests and roll-ups print. */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * Days overdue, counted on the calendar in the pair's zone: both dates are local dates, so
 * PlainDate arithmetic is exact across DST changes, where milliseconds / 86 400 000 would lose a day.
 */
export function overdueDaysOf(dueDate: string | null, meetingDate: string): number {
  if (dueDate === null) return 0;
  const days = Temporal.PlainDate.from(dueDate).until(Temporal.PlainDate.from(meetingDate), {
    largestUnit: "days",
  }).days;
  return Math.max(0, days);
}

function compareItems(a: DigestItem, b: DigestItem): number {
  if (a.parked !== b.parked) return a.parked ? 1 : -1;
  if (a.overdueDays !== b.overdueDays) return b.overdueDays - a.overdueDays;
  if (a.timesCarried !== b.timesCarried) return b.timesCarried - a.timesCarried;
  if (a.dueDate !== b.dueDate) {
    // An item with a due date is more pressing than one without.
    if (a.dueDate === null) return 1;
    if (b.dueDate === null) return -1;
    return a.dueDate < b.dueDate ? -1 : 1;
  }
  // Older items first, so equal items keep a stable, meaningful order.
  return a.originDate < b.originDate ? -1 : a.originDate > b.originDate ? 1 : 0;
}

function digestItem(item: DigestItemInput, meetingDate: string): DigestItem {
  const overdueDays = overdueDaysOf(item.dueDate, meetingDate);
  const owner = item.ownerName === null ? null : cleanText(item.ownerName);
  let dueLabel = "no due date";
  if (item.dueDate !== null) {
    dueLabel = `due ${item.dueDate}`;
    if (overdueDays > 0) dueLabel += ` · ${plural(overdueDays, "day", "days")} overdue`;
  }
  return {
    text: cleanText(item.text),
    owner,
    dueDate: item.dueDate,
    originDate: item.originDate,
    timesCarried: item.timesCarried,
    overdueDays,
    longCarried: item.timesCarried >= LONG_CARRIED_THRESHOLD,
    parked: item.parked === true,
    ownerLabel: owner ?? "no owner",
    dueLabel,
    carriedLabel: `carried ${item.timesCarried}× since ${item.originDate}`,
  };
}

/** "1 overdue", "2 stuck", "1 in the parking lot": what needs a look, in the words every summary uses. */
export function problemWords(overdue: number, stuck: number, parked: number): string[] {
  return [
    overdue > 0 ? `${overdue} overdue` : null,
    stuck > 0 ? `${stuck} stuck` : null,
    parked > 0 ? `${parked} in the parking lot` : null,
  ].filter((part) => part !== null);
}

/** Whether `items[index]` is the first parked one: where a channel puts PARKING_LOT_HEADING. */
export function startsParkingLot(items: readonly DigestItem[], index: number): boolean {
  return items[index]?.parked === true && items[index - 1]?.parked !== true;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** Builds the digest. Pure: the same input gives the same digest, whatever the clock or locale. */
export function buildDigest(input: DigestInput): Digest {
  const local = Temporal.Instant.from(input.meeting.startsAt).toZonedDateTimeISO(input.pair.timeZone);
  const weekday = WEEKDAYS[local.dayOfWeek - 1] ?? "";
  const month = MONTHS[local.month - 1] ?? "";
  const display = `${weekday} ${local.day} ${month} ${local.year}, ${pad(local.hour)}:${pad(local.minute)} (${input.pair.timeZone})`;
  const shortDate = `${weekday.slice(0, 3)} ${local.day} ${month.slice(0, 3)} ${local.year}`;

  const items = input.carried.map((item) => digestItem(item, input.meeting.date)).sort(compareItems);
  const overdue = items.filter((item) => item.overdueDays > 0).length;
  const longCarried = items.filter((item) => item.longCarried).length;
  const parked = items.filter((item) => item.parked).length;
  const details = problemWords(overdue, longCarried, parked);
  const carriedPart = `${plural(items.length, "open item carried", "open items carried")}${details.length > 0 ? ` (${details.join(", ")})` : ""}`;
  const closedPart = `${plural(input.closedSinceLastMeeting, "item", "items")} closed since the last meeting`;

  const pair = {
    id: input.pair.id,
    managerName: cleanText(input.pair.managerName),
    reportName: cleanText(input.pair.reportName),
    timeZone: input.pair.timeZone,
  };
  return {
    pair,
    meeting: { date: input.meeting.date, startsAt: input.meeting.startsAt, display, shortDate },
    agendaUrl: input.agendaUrl,
    title: `1:1 ${pair.managerName} / ${pair.reportName}`,
    items,
    counts: {
      carried: items.length,
      overdue,
      longCarried,
      parked,
      closedSinceLastMeeting: input.closedSinceLastMeeting,
    },
    summary: `${carriedPart} · ${closedPart}`,
  };
}
