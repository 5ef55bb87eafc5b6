// Owns the demo's Notion workspace: the people, one database per destination in the pairs file (shared
// ones get a Pair property), and for each pair the agendas of its two previous meetings, dated by its own
// schedule relative to today, so that the next cron tick has open items to carry.
import type { NotionControl, SeedPageSpec } from "../../../emulators/notion/control";
import type { EarlierAgenda, PairMark, Person } from "../agenda-seed";
import { agendaProperties, agendaTitle, earlierAgendaBlocks } from "../agenda-seed";
import { ScriptError } from "../run";
import type { PlannedMeeting } from "../ticks";
import { addDays, planMeeting } from "../ticks";
import type { DemoPair } from "./pairs";

export interface SeededPair {
  pair: DemoPair;
  plan: PlannedMeeting;
  dataSourceId: string;
  /** The previous meeting's agenda, whose open items the Worker should carry. */
  previousPageId: string;
}

const person = (p: DemoPair["manager"]): Person => ({ name: p.name, notionUserId: p.notionUserId });

function destinationKey(pair: DemoPair): string {
  return pair.destination.dataSourceId ?? pair.destination.databaseId ?? pair.id;
}

function databaseTitle(pairs: readonly DemoPair[]): string {
  const [first] = pairs;
  if (first === undefined) return "1:1s";
  if (pairs.length === 1) return `1:1s · ${first.manager.name} & ${first.report.name}`;
  const sameManager = pairs.every((pair) => pair.manager.notionUserId === first.manager.notionUserId);
  return sameManager ? `${first.manager.name}'s 1:1s` : "Team 1:1s";
}

/** The two earlier pages of a pair: the one before last (where a still-open item began) and the last. */
function earlierPages(pair: DemoPair, plan: PlannedMeeting): SeedPageSpec[] {
  const manager = person(pair.manager);
  const report = person(pair.report);
  const property = pair.destination.pairProperty;
  const mark: PairMark | null = property
    ? { property: property.name, value: property.value ?? pair.id }
    : null;
  const agenda: EarlierAgenda = {
    manager,
    report,
    date: plan.previous.date,
    // Due after the previous meeting but before the next one: overdue when the next agenda is made.
    pastDue: addDays(plan.previous.date, 3),
    futureDue: addDays(plan.meeting.date, 7),
    subItems: true,
    carriedSince: plan.earlier.date,
    discussionTodos: pair.carry.discussion,
  };
  const page = (date: string, children: SeedPageSpec["children"], preparedAtMs: number): SeedPageSpec => ({
    properties: agendaProperties(agendaTitle(manager, report, date), date, mark),
    children,
    createdTime: new Date(preparedAtMs).toISOString(),
  });
  return [
    page(
      plan.earlier.date,
      [
        { heading_2: { rich_text: [{ text: { content: "Action items" } }] } },
        {
          to_do: {
            rich_text: [
              { text: { content: "Ask finance about the training budget — " } },
              { mention: { user: { id: manager.notionUserId } } },
            ],
            checked: false,
          },
        },
      ],
      plan.earlier.prepareAtMs,
    ),
    page(plan.previous.date, earlierAgendaBlocks(agenda), plan.previous.prepareAtMs),
  ];
}

export async function seedDemoWorkspace(
  notion: NotionControl,
  token: string,
  pairs: readonly DemoPair[],
  nowMs: number,
): Promise<SeededPair[]> {
  const people = new Map(
    pairs.flatMap((pair) => [pair.manager, pair.report]).map((p) => [p.notionUserId, p]),
  );
  for (const p of people.values())
    await notion.createUser({ id: p.notionUserId, name: p.name, email: p.email });

  const groups = new Map<string, DemoPair[]>();
  for (const pair of pairs)
    groups.set(destinationKey(pair), [...(groups.get(destinationKey(pair)) ?? []), pair]);

  const seeded: SeededPair[] = [];
  for (const group of groups.values()) {
    const [first] = group;
    if (first === undefined) continue;
    const planned = group.map((pair) => ({ pair, plan: planMeeting(pair.id, pair.schedule, nowMs) }));
    const shared = group.find((pair) => pair.destination.pairProperty !== undefined);
    const database = await notion.seedDatabase(token, {
      ...(first.destination.databaseId === undefined ? {} : { id: first.destination.databaseId }),
      ...(first.destination.dataSourceId === undefined
        ? {}
        : { dataSourceId: first.destination.dataSourceId }),
      title: databaseTitle(group),
      properties: {
        Name: { type: "title" },
        Date: { type: "date" },
        ...(shared?.destination.pairProperty
          ? { [shared.destination.pairProperty.name]: { type: "rich_text" } }
          : {}),
      },
      pages: planned.flatMap(({ pair, plan }) => earlierPages(pair, plan)),
    });
    planned.forEach(({ pair, plan }, index) => {
      // Two pages per pair, in order: the earlier one, then the previous meeting's.
      const previous = database.pages[index * 2 + 1];
      if (previous === undefined) throw new ScriptError(`${pair.id}: the emulator did not seed its agendas`);
      seeded.push({ pair, plan, dataSourceId: database.dataSourceId, previousPageId: previous.id });
    });
  }
  // Back in the file's order, which is the order the demo tells the story in.
  return pairs.flatMap((pair) => seeded.filter((entry) => entry.pair === pair));
}
