// Owns the demo's account of one pair, Notion or Google Docs alike: its meeting, the agenda the Worker
// created (with its view URL in the emulator), each carried item as the admin API's ledger records it,
// and the done items it left behind. It also checks the story adds up: every open item of the previous
// agenda was carried.
import type { Schedule } from "../../../src/domain/schedule";
import type { LedgerEntry, Meeting } from "../admin";
import { ScriptError } from "../run";
import { out, style } from "../terminal";
import type { PlannedMeeting } from "../ticks";
import type { AgendaTodo } from "./agenda-read";
import { describeSchedule, localTime, utcTime } from "./describe";

/** What the report needs of a pair: who meets, when, what it carries, and the meeting the demo prepares. */
interface ReportedPair {
  pair: {
    id: string;
    manager: { name: string };
    report: { name: string };
    schedule: Schedule;
    carry: { discussion: boolean };
  };
  plan: PlannedMeeting;
}

export interface PairReport {
  seeded: ReportedPair;
  /** Where the agendas go and what they are made from, e.g. "Notion · weekly template". */
  destination: string;
  meeting: Meeting;
  title: string;
  viewUrl: string;
  /** The previous agenda's top-level to-dos, read back from the emulator. */
  previousTodos: AgendaTodo[];
  /** Notion user id or Google email → name. */
  names: ReadonlyMap<string, string>;
}

const label = (text: string): string => style.dim(text.padEnd(13));

function carriedSection(section: string, carriesDiscussion: boolean): boolean {
  const heading = section.toLowerCase();
  return heading.includes("action items") || (carriesDiscussion && heading.includes("discussion points"));
}

function describeItem(item: LedgerEntry, names: ReadonlyMap<string, string>): string[] {
  const owner =
    item.ownerUserId === null ? "no owner" : `owner ${names.get(item.ownerUserId) ?? item.ownerUserId}`;
  const due = item.dueDate === null ? "no due date" : `due ${item.dueDate}`;
  const overdue = item.overdue ? ` ${style.bold(style.red("⚠ overdue"))}` : "";
  const times =
    item.timesCarried > 1 ? style.yellow(`carried ${item.timesCarried}×`) : `carried ${item.timesCarried}×`;
  const role =
    item.role === "discussion"
      ? style.dim(" (discussion point)")
      : item.role === "parked"
        ? style.dim(" (parking lot)")
        : "";
  return [
    `    ↻ ${item.text}${role}`,
    `      ${style.dim(`${owner} · ${due}`)}${overdue}${style.dim(" · ")}${times}${style.dim(` · open since ${item.originDate}`)}`,
  ];
}

/** Prints the pair's story; throws when an open item of the previous agenda was not carried. */
export function printPairReport(report: PairReport): void {
  const { seeded, meeting, names } = report;
  const { pair, plan } = seeded;
  const tz = pair.schedule.timeZone;
  out();
  out(
    `${style.bold(pair.id)}  ${pair.manager.name} ↔ ${pair.report.name}  ${style.dim(`· ${report.destination} · ${describeSchedule(pair.schedule)}`)}`,
  );
  out(
    `  ${label("meeting")}${localTime(plan.meeting.startsAtMs, tz)} ${style.dim(`(${tz}); agenda due ${localTime(plan.meeting.prepareAtMs, tz)}, cron tick ${utcTime(plan.tickMs)}`)}`,
  );
  out(`  ${label("agenda")}${report.title}`);
  out(`  ${label("")}${style.cyan(report.viewUrl)}`);

  const expected = report.previousTodos.filter(
    (todo) => !todo.checked && carriedSection(todo.section, pair.carry.discussion),
  );
  out(
    `  ${label("carried")}${meeting.carried.length} open item${meeting.carried.length === 1 ? "" : "s"} from the ${plan.previous.date} agenda`,
  );
  for (const item of meeting.carried) for (const line of describeItem(item, names)) out(line);

  const done = report.previousTodos.filter(
    (todo) => todo.checked && carriedSection(todo.section, pair.carry.discussion),
  );
  out(`  ${label("left behind")}${done.length} done item${done.length === 1 ? "" : "s"}, not carried`);
  for (const todo of done) out(`    ${style.green("✓")} ${style.dim(todo.text)}`);

  if (meeting.carried.length !== expected.length) {
    throw new ScriptError(
      `${pair.id}: the previous agenda has ${expected.length} open items but ${meeting.carried.length} were carried`,
    );
  }
}
