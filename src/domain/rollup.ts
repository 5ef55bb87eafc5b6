// The weekly roll-up model: one message per manager across all of their reports, computed once and
// purely, so every channel says the same totals in the same order. Each report's last agenda becomes a
// meeting `Digest` built by `buildDigest`, so item order, overdue days (on the pair's calendar, DST-safe),
// long-carried flags and labels are exactly those of the meeting digest people already received.
import { Temporal } from "temporal-polyfill";
import { buildDigest, cleanText, type Digest, type DigestItemInput, plural, problemWords } from "./digest";

export interface RollupInput {
  manager: { name: string; email: string; timeZone: string };
  /** The local date (YYYY-MM-DD, manager's zone) the roll-up is sent for. */
  date: string;
  reports: Array<{
    pairId: string;
    reportName: string;
    /** The latest meeting whose agenda was prepared, or null if none yet. */
    lastAgenda: {
      /** The meeting's local date in the pair's zone. */
      date: string;
      /** The meeting's start instant, ISO 8601 with offset or Z. */
      startsAt: string;
      /** The pair's IANA zone: the agenda's dates and the items' due dates are local to it. */
      timeZone: string;
      agendaUrl: string;
      closedSinceLastMeeting: number;
      /** Of those, the items closed in the meeting interval they first appeared in. */
      closedWithinWeek: number;
      carried: DigestItemInput[];
    } | null;
  }>;
}

/** One report in the roll-up: its last agenda as a meeting digest, or null when none was prepared yet. */
export interface RollupReport {
  pairId: string;
  /** Cleaned like item text (see `cleanText`); still untrusted for markup. */
  reportName: string;
  /**
   * The last agenda's digest. Overdue days are counted at that meeting's date, so the roll-up repeats
   * what the meeting digest said instead of contradicting it.
   */
  digest: Digest | null;
  /** "Last agenda Tue 31 Mar 2026" or "No agenda prepared yet". */
  agendaLabel: string;
  /** The week's figures for this report; all zero without an agenda. */
  figures: ReportFigures;
  /**
   * "closed 4 (3 within a week, 75%) · carried 5 · stuck 2", then what else needs a look ("1 overdue",
   * "1 in the parking lot"), or why there is no agenda: every channel shows one line per report.
   */
  summary: string;
}

/** How a report's items went: closed since the meeting before, carried into the last agenda, stuck. */
interface ReportFigures {
  /** Items closed since the meeting before the last agenda. */
  closed: number;
  /** Of those, closed in the meeting interval they first appeared in. */
  closedWithinWeek: number;
  /** Open items carried into the last agenda, parked ones included. */
  carried: number;
  /** Carried items carried 3 times or more. */
  stuck: number;
  /** Carried items waiting in the parking lot. */
  parked: number;
  overdue: number;
}

interface RollupTotals {
  /** Every report, with or without an agenda. */
  reports: number;
  reportsWithoutAgenda: number;
  /** Open items carried into the reports' last agendas. */
  open: number;
  overdue: number;
  /** Stuck items: carried 3 times or more. */
  longCarried: number;
  /** Items in the reports' parking lots. */
  parked: number;
  closedSinceLastMeetings: number;
  /** Of those, the items closed in the meeting interval they first appeared in. */
  closedWithinWeek: number;
}

export interface Rollup {
  /** Name cleaned like item text; email and zone as given (the sender addresses, the model only shows). */
  manager: { name: string; email: string; timeZone: string };
  /** The local date (YYYY-MM-DD, manager's zone) the roll-up is sent for. */
  date: string;
  /** "Fri 3 Apr 2026": the roll-up's date in the digest's wording. */
  shortDate: string;
  /** "Weekly 1:1 roll-up for Ada Lovelace". */
  title: string;
  /**
   * Most urgent first: most overdue items, then most open items, then name. Reports without an agenda
   * come last (by name): they have nothing to act on yet, but a manager should see they are missing.
   */
  reports: RollupReport[];
  totals: RollupTotals;
  /** "3 reports · 9 open items (2 overdue, 1 stuck) · 4 items closed since the last meetings (3 within a week, 75%) · 1 report without an agenda yet". */
  summary: string;
}

/**
 * "Fri 3 Apr 2026" for a local date. The digest owns date wording; asking it (for noon of that day in
 * the zone, with no items) keeps one weekday and month table in the code base instead of two.
 */
function shortDateOf(date: string, timeZone: string): string {
  const noon = Temporal.PlainDate.from(date).toZonedDateTime({ timeZone, plainTime: "12:00" });
  return buildDigest({
    pair: { id: "", managerName: "", reportName: "", timeZone },
    meeting: { date, startsAt: noon.toInstant().toString() },
    agendaUrl: "",
    carried: [],
    closedSinceLastMeeting: 0,
  }).meeting.shortDate;
}

// A fixed locale and options, so the order is the same in every runtime and for every user's locale.
const names = new Intl.Collator("en", { sensitivity: "base", numeric: true });

function compareReports(a: RollupReport, b: RollupReport): number {
  if ((a.digest === null) !== (b.digest === null)) return a.digest === null ? 1 : -1;
  const overdue = (b.digest?.counts.overdue ?? 0) - (a.digest?.counts.overdue ?? 0);
  if (overdue !== 0) return overdue;
  const open = (b.digest?.counts.carried ?? 0) - (a.digest?.counts.carried ?? 0);
  if (open !== 0) return open;
  const byName = names.compare(a.reportName, b.reportName);
  if (byName !== 0) return byName;
  // Equal names (two pairs with one report): the pair id keeps the order stable.
  return a.pairId < b.pairId ? -1 : a.pairId > b.pairId ? 1 : 0;
}

/** "3 within a week, 75%": the share of closed items that were closed in the week they appeared. */
function withinWeekWords(closed: number, withinWeek: number): string {
  return `${withinWeek} within a week, ${Math.round((100 * withinWeek) / closed)}%`;
}

/** The report's line: "closed 4 (3 within a week, 75%) · carried 5 · stuck 2 · 1 overdue". */
function figuresSummary(figures: ReportFigures): string {
  const closed =
    figures.closed === 0
      ? "closed 0"
      : `closed ${figures.closed} (${withinWeekWords(figures.closed, figures.closedWithinWeek)})`;
  return [
    closed,
    `carried ${figures.carried}`,
    `stuck ${figures.stuck}`,
    ...problemWords(figures.overdue, 0, figures.parked),
  ].join(" · ");
}

function rollupReport(report: RollupInput["reports"][number], managerName: string): RollupReport {
  const reportName = cleanText(report.reportName);
  const agenda = report.lastAgenda;
  if (agenda === null) {
    return {
      pairId: report.pairId,
      reportName,
      digest: null,
      agendaLabel: "No agenda prepared yet",
      figures: { closed: 0, closedWithinWeek: 0, carried: 0, stuck: 0, parked: 0, overdue: 0 },
      summary: "No agenda prepared yet",
    };
  }
  const digest = buildDigest({
    pair: { id: report.pairId, managerName, reportName: report.reportName, timeZone: agenda.timeZone },
    meeting: { date: agenda.date, startsAt: agenda.startsAt },
    agendaUrl: agenda.agendaUrl,
    carried: agenda.carried,
    closedSinceLastMeeting: agenda.closedSinceLastMeeting,
  });
  const figures: ReportFigures = {
    closed: agenda.closedSinceLastMeeting,
    // Never more than closed, whatever a caller passes.
    closedWithinWeek: Math.min(agenda.closedWithinWeek, agenda.closedSinceLastMeeting),
    carried: digest.counts.carried,
    stuck: digest.counts.longCarried,
    parked: digest.counts.parked,
    overdue: digest.counts.overdue,
  };
  return {
    pairId: report.pairId,
    reportName,
    digest,
    agendaLabel: `Last agenda ${digest.meeting.shortDate}`,
    figures,
    summary: figuresSummary(figures),
  };
}

/** Builds the roll-up. Pure: the same input gives the same roll-up, whatever the clock or locale. */
export function buildRollup(input: RollupInput): Rollup {
  const managerName = cleanText(input.manager.name);
  const reports = input.reports
    .map((report) => rollupReport(report, input.manager.name))
    .sort(compareReports);

  const totals: RollupTotals = {
    reports: reports.length,
    reportsWithoutAgenda: 0,
    open: 0,
    overdue: 0,
    longCarried: 0,
    parked: 0,
    closedSinceLastMeetings: 0,
    closedWithinWeek: 0,
  };
  for (const { digest, figures } of reports) {
    if (digest === null) {
      totals.reportsWithoutAgenda += 1;
      continue;
    }
    totals.open += figures.carried;
    totals.overdue += figures.overdue;
    totals.longCarried += figures.stuck;
    totals.parked += figures.parked;
    totals.closedSinceLastMeetings += figures.closed;
    totals.closedWithinWeek += figures.closedWithinWeek;
  }

  const details = problemWords(totals.overdue, totals.longCarried, totals.parked);
  const closed = totals.closedSinceLastMeetings;
  const parts = [
    plural(totals.reports, "report", "reports"),
    `${plural(totals.open, "open item", "open items")}${details.length > 0 ? ` (${details.join(", ")})` : ""}`,
    `${plural(closed, "item", "items")} closed since the last meetings${closed > 0 ? ` (${withinWeekWords(closed, totals.closedWithinWeek)})` : ""}`,
  ];
  if (totals.reportsWithoutAgenda > 0) {
    parts.push(`${plural(totals.reportsWithoutAgenda, "report", "reports")} without an agenda yet`);
  }

  return {
    manager: { name: managerName, email: input.manager.email, timeZone: input.manager.timeZone },
    date: input.date,
    shortDate: shortDateOf(input.date, input.manager.timeZone),
    title: `Weekly 1:1 roll-up for ${managerName}`,
    reports,
    totals,
    summary: parts.join(" · "),
  };
}
