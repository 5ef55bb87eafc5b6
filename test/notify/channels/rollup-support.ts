// What the roll-up tests share and the meeting-digest fixtures do not have: roll-up inputs (ordinary,
// hostile, and big enough to overflow every channel), and the vendor checks in a form that takes any
// payload (the meeting-digest tests keep theirs inside their test files). Items come from
// ./fixtures.ts, so both kinds of digest face the same hostile text.
import * as AC from "adaptivecards";
import { Temporal } from "temporal-polyfill";
import { expect } from "vitest";
import type { DigestItemInput } from "../../../src/domain/digest";
import type { Rollup, RollupInput } from "../../../src/domain/rollup";
import { buildRollup } from "../../../src/domain/rollup";
import { HOSTILE_TEXTS, item } from "./fixtures";

type ReportInput = RollupInput["reports"][number];
type AgendaInput = NonNullable<ReportInput["lastAgenda"]>;

export const MANAGER = { name: "Grace Hopper", email: "grace@example.com", timeZone: "Europe/Berlin" };

/** A distinct agenda link per report, so a test can tell whose "open the agenda" a link is. */
export function agendaUrlOf(pairId: string): string {
  return `https://www.notion.so/acme/1-1-${pairId}-0123456789abcdef`;
}

/** A report whose last agenda is Tuesday 31 March 2026, 10:00 in Berlin, two days after the spring change. */
export function report(
  reportName: string,
  carried: DigestItemInput[],
  overrides: Partial<AgendaInput> = {},
  pairId = reportName.toLowerCase().replace(/[^a-z0-9]+/gu, "-"),
): ReportInput {
  return {
    pairId,
    reportName,
    lastAgenda: {
      date: "2026-03-31",
      startsAt: "2026-03-31T08:00:00Z",
      timeZone: "Europe/Berlin",
      agendaUrl: agendaUrlOf(pairId),
      closedSinceLastMeeting: 1,
      closedWithinWeek: 1,
      carried,
      ...overrides,
    },
  };
}

export function noAgenda(reportName: string, pairId = reportName.toLowerCase()): ReportInput {
  return { pairId, reportName, lastAgenda: null };
}

export function rollupInput(reports: ReportInput[], overrides: Partial<RollupInput> = {}): RollupInput {
  return { manager: MANAGER, date: "2026-04-03", reports, ...overrides };
}

/** An item `overdue` days overdue at the 31 March meeting (0: due that day, so not overdue). */
export function overdueItem(overdue: number, overrides: Partial<DigestItemInput> = {}): DigestItemInput {
  const due = Temporal.PlainDate.from("2026-03-31").subtract({ days: overdue }).toString();
  return item({ dueDate: due, ...overrides });
}

/** Agenda links that try to break out of a link, or to run script. */
export const HOSTILE_URLS = {
  script: "javascript:alert(document.cookie)",
  breakout: 'https://docs.example/d/x?a=1&b=(2)|<3> "q"',
} as const;

/** Report names that try to ping, format or link; the RTL text checks bidi isolation in headings. */
const HOSTILE_NAMES = [
  "Rep @here",
  "<@U0123ABC> *Rep* <!channel>",
  "Rep `x` [l](https://evil.example) <b>",
  HOSTILE_TEXTS.rtl,
];

/**
 * Every hostile text at once: one report per hostile item (so each channel has room to show each),
 * owners and the manager's and reports' names hostile too, agenda links that try to break out or run
 * script, and a report without an agenda whose name is markup.
 */
export function hostileRollupInput(): RollupInput {
  const owners = ["<@U999> *Eve* @everyone", "עדה"];
  const reports = Object.values(HOSTILE_TEXTS).map((text, index) =>
    report(
      HOSTILE_NAMES[index] ?? `Rep ${index}`,
      [item({ text, ownerName: owners[index % 2] ?? null, timesCarried: index + 1 })],
      index === 1
        ? { agendaUrl: HOSTILE_URLS.breakout }
        : index === 2
          ? { agendaUrl: HOSTILE_URLS.script }
          : {},
      `hostile-${index}`,
    ),
  );
  return rollupInput([...reports, noAgenda(HOSTILE_TEXTS.script, "script")], {
    manager: { ...MANAGER, name: "Mal <!channel> *Manager* <script>x</script>" },
  });
}

/**
 * `reports` reports of `items` items each, report r's items named "R<r> item <i>" so a test can count
 * what each channel shows. Report r has (reports - r) overdue items, so the order is R0, R1, ….
 */
export function bigRollupInput(reports: number, items: number): RollupInput {
  return rollupInput(
    Array.from({ length: reports }, (_, r) =>
      report(
        `Report ${r}`,
        Array.from({ length: items }, (_, i) =>
          i < reports - r
            ? overdueItem(1, { text: `R${r} item ${i} ${"with detail ".repeat(4)}` })
            : item({ text: `R${r} item ${i} ${"with detail ".repeat(4)}`, dueDate: null }),
        ),
        {},
        `report-${r}`,
      ),
    ),
  );
}

/**
 * An Adaptive Card read by Microsoft's own parser: its parse and validation messages, and what it
 * kept (a round trip through toJSON shows anything it silently dropped).
 */
export function parseAdaptiveCard(content: object): { problems: string[]; roundTrip: unknown } {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(content, context);
  const problems: string[] = [];
  for (let index = 0; index < context.eventCount; index += 1)
    problems.push(context.getEventAt(index).message);
  for (const event of card.validateProperties().validationEvents) problems.push(event.message);
  return { problems, roundTrip: card.toJSON() };
}

export function utf8Bytes(value: unknown): number {
  return new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value)).length;
}

/** Three reports, in an order the roll-up must change: Bea has the overdue item, Dan no agenda yet. */
export function threeReportRollup(): Rollup {
  return buildRollup(
    rollupInput([
      report("Bea", [
        item({ dueDate: null, text: "Book the offsite" }),
        overdueItem(2, { timesCarried: 3, text: "Send the review" }),
      ]),
      noAgenda("Dan"),
      report("Cleo", [item({ dueDate: null, text: "Draft the RFC" })]),
    ]),
  );
}

/** What every channel must keep readable of `hostileRollupInput()` once its own escaping is undone. */
export function expectHostileTextReadable(readable: string): void {
  for (const key of ["script", "pings", "markdown", "emoji"] as const)
    expect(readable).toContain(HOSTILE_TEXTS[key]);
  expect(readable).toContain("לסיים את הדוח مراجعة التقرير reversed");
  for (const name of HOSTILE_NAMES.slice(0, 3)) expect(readable).toContain(name);
  // The long item is cut visibly.
  expect(readable).toMatch(/Very long item text\. Very long[^\n]*…/u);
}

export { slackBlockProblems } from "./vendor-schemas";
