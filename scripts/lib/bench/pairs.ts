// Owns the benchmark's pairs and their Notion side: every pair meets on the same weekly schedule, so one
// cron tick prepares them all, and each has a previous agenda (built like the weekly template) to carry
// from. Pairs are spread over databases shared through a Pair property, as teams do.

import type { NotionControl, SeedPageSpec } from "../../../emulators/notion/control";
import type { Schedule } from "../../../src/domain/schedule";
import { scheduleSchema } from "../../../src/domain/schedule";
import type { Person } from "../agenda-seed";
import { agendaProperties, agendaTitle, countBlocks, earlierAgendaBlocks } from "../agenda-seed";
import type { PlannedMeeting } from "../ticks";
import { addDays, planMeeting } from "../ticks";

/** The schedule every benchmark pair shares, as an import file has it. */
export const BENCH_SCHEDULE_INPUT = {
  timeZone: "Europe/Berlin",
  time: "10:00",
  cadence: { kind: "weekly", weekday: "tuesday" },
  leadTime: { hours: 24 },
} as const;

export const BENCH_SCHEDULE: Schedule = scheduleSchema.parse(BENCH_SCHEDULE_INPUT);

export interface BenchPair {
  id: string;
  manager: Person;
  report: Person;
}

export interface SeededGroup {
  /** The pairs' import objects, as a person would write them. */
  imports: unknown[];
  /** Blocks (nested included) in each previous agenda. */
  blocksPerAgenda: number;
}

/** The tick and dates every benchmark pair shares. */
export function benchPlan(nowMs: number): PlannedMeeting {
  return planMeeting("bench", BENCH_SCHEDULE, nowMs);
}

/**
 * The weeks the calls per agenda are measured in: four weeks back, so every meeting has started by the
 * real clock. One that has not is in live sync's window, and each later run's look and passes would count
 * as the agenda's calls (live sync's cost is its own stage's figure), on some days of the week and not others.
 */
export function callsPlan(nowMs: number): PlannedMeeting {
  return planMeeting("calls", BENCH_SCHEDULE, nowMs - 28 * 24 * 60 * 60_000);
}

function importOf(pair: BenchPair, dataSourceId: string, shared: boolean): unknown {
  const person = (p: Person, role: string) => ({
    name: p.name,
    email: `${pair.id}-${role}@example.com`,
    notionUserId: p.notionUserId,
  });
  return {
    id: pair.id,
    manager: person(pair.manager, "manager"),
    report: person(pair.report, "report"),
    template: "weekly",
    schedule: BENCH_SCHEDULE_INPUT,
    destination: { kind: "notion", dataSourceId, ...(shared ? { pairProperty: { name: "Pair" } } : {}) },
  };
}

/**
 * One database holding the previous agenda of each pair (shared through a Pair property when there are
 * several); returns the pairs' import objects.
 */
export async function seedPairs(
  notion: NotionControl,
  token: string,
  pairs: readonly BenchPair[],
  plan: PlannedMeeting,
  options: { title: string; subItems: boolean },
): Promise<SeededGroup> {
  const shared = pairs.length > 1;
  let blocksPerAgenda = 0;
  const pages: SeedPageSpec[] = pairs.map((pair) => {
    const children = earlierAgendaBlocks({
      manager: pair.manager,
      report: pair.report,
      date: plan.previous.date,
      pastDue: addDays(plan.previous.date, 3),
      futureDue: addDays(plan.meeting.date, 7),
      subItems: options.subItems,
      carriedSince: plan.earlier.date,
      discussionTodos: false,
    });
    blocksPerAgenda = countBlocks(children);
    const date = plan.previous.date;
    return {
      properties: agendaProperties(
        agendaTitle(pair.manager, pair.report, date),
        date,
        shared ? { property: "Pair", value: pair.id } : null,
      ),
      children,
    };
  });
  const database = await notion.seedDatabase(token, {
    title: options.title,
    properties: {
      Name: { type: "title" },
      Date: { type: "date" },
      ...(shared ? { Pair: { type: "rich_text" } } : {}),
    },
    pages,
  });
  return { imports: pairs.map((pair) => importOf(pair, database.dataSourceId, shared)), blocksPerAgenda };
}

/** Creates a person in the emulator, so mentions of them render with a name. */
export async function person(notion: NotionControl, name: string): Promise<Person> {
  const user = await notion.createUser({ name });
  return { name, notionUserId: user.id };
}
