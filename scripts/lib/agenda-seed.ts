// Owns the earlier agendas the scripts seed into the emulator: pages built like the weekly template, as
// two people would have left them after a meeting, with open and done action items in Notion's own
// request JSON (owners as user mentions, due dates as date mentions, bold text, links, sub-items).
import type { PropertyValues, SeedBlock } from "../../emulators/notion/control";

export interface Person {
  name: string;
  notionUserId: string;
}

export interface EarlierAgenda {
  manager: Person;
  report: Person;
  /** The agenda's meeting date, YYYY-MM-DD. */
  date: string;
  /** Due date of the item that will be overdue by the next meeting. */
  pastDue: string;
  /** Due date of the items that are not yet due at the next meeting. */
  futureDue: string;
  /** Add an open item with sub-items (costs the reader one call more per such item). */
  subItems: boolean;
  /** Add an item carried once already, first seen on this date; null for none. */
  carriedSince: string | null;
  /** Put open to-dos under "Discussion points" too, for a pair that carries them. */
  discussionTodos: boolean;
}

interface TextOptions {
  bold?: boolean;
  italic?: boolean;
  color?: string;
  link?: string;
}

type RichTextItem = Record<string, unknown>;

function text(content: string, options: TextOptions = {}): RichTextItem {
  const { link, ...annotations } = options;
  return {
    text: { content, ...(link === undefined ? {} : { link: { url: link } }) },
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}

const user = (person: Person): RichTextItem => ({ mention: { user: { id: person.notionUserId } } });
const day = (date: string): RichTextItem => ({ mention: { date: { start: date } } });

function block(type: string, richText: RichTextItem[], extra: Record<string, unknown> = {}): SeedBlock {
  return { [type]: { rich_text: richText, ...extra } };
}

function todo(richText: RichTextItem[], checked: boolean, children: SeedBlock[] = []): SeedBlock {
  return block("to_do", richText, { checked, ...(children.length > 0 ? { children } : {}) });
}

const heading = (title: string): SeedBlock => block("heading_2", [text(title)]);
const bullet = (content: string, children: SeedBlock[] = []): SeedBlock =>
  block("bulleted_list_item", [text(content)], children.length > 0 ? { children } : {});
const note = (content: string): SeedBlock => block("paragraph", [text(content, { italic: true })]);

/** The title the weekly template gives a meeting's page. */
export function agendaTitle(manager: Person, report: Person, date: string): string {
  return `1:1 ${manager.name} & ${report.name} · ${date}`;
}

/** Which pair an agenda belongs to, in a database that several pairs share. */
export interface PairMark {
  property: string;
  value: string;
}

/** The page properties of an agenda: title, date and, when the database is shared, the pair. */
export function agendaProperties(title: string, date: string, pair: PairMark | null): PropertyValues {
  return {
    Name: { title: [{ text: { content: title } }] },
    Date: { date: { start: date } },
    ...(pair === null ? {} : { [pair.property]: { rich_text: [{ text: { content: pair.value } }] } }),
  };
}

function actionItems(agenda: EarlierAgenda): SeedBlock[] {
  const { manager, report } = agenda;
  const items: SeedBlock[] = [
    todo(
      [
        text("Draft the Q1 hiring plan", { bold: true }),
        text(" and share it with the team — "),
        user(report),
        text(" by "),
        day(agenda.pastDue),
      ],
      false,
    ),
    todo(
      [
        text("Read "),
        text("the staff engineer ladder", { link: "https://example.com/career/staff-engineer" }),
        text(" and mark where you stand — "),
        user(report),
        text(" by "),
        day(agenda.futureDue),
      ],
      false,
    ),
  ];
  if (agenda.subItems) {
    items.push(
      todo(
        [text("Prepare the on-call handover — "), user(manager), text(" by "), day(agenda.futureDue)],
        false,
        [
          todo([text("Write the runbook")], true),
          todo([text("Shadow one incident with Sam")], false, [
            block("paragraph", [text("Pick a P2, not a P1")]),
          ]),
        ],
      ),
    );
  }
  if (agenda.carriedSince !== null) {
    // The mark the Worker wrote when it carried this item before; the next carry counts on from it.
    items.push(
      todo(
        [
          text("Ask finance about the training budget — "),
          user(manager),
          text(` ↻ open since ${agenda.carriedSince} · carried 1×`, { italic: true, color: "gray" }),
        ],
        false,
      ),
    );
  }
  items.push(
    todo([text("Book the room for the team offsite — "), user(manager)], true),
    todo(
      [text("Send "), text("the promotion packet", { bold: true }), text(" to HR — "), user(report)],
      true,
    ),
  );
  return items;
}

/** The blocks of an earlier agenda, in the weekly template's order. */
export function earlierAgendaBlocks(agenda: EarlierAgenda): SeedBlock[] {
  const { manager, report } = agenda;
  return [
    note("This page is shared: both of you add to it before the meeting."),
    block("paragraph", [text("Before we meet", { bold: true })]),
    todo([text(`${report.name}: add your discussion points`)], true),
    todo([text(`${manager.name}: note progress worth praising and any feedback`)], true),
    heading("How did you feel about the week?"),
    bullet("Busy but good: the payments migration finally landed."),
    heading("Discussion points"),
    bullet(`From ${report.name}: what the path to staff engineer looks like`),
    ...(agenda.discussionTodos
      ? [
          todo([text("Which conference talk to submit — "), user(report)], false),
          todo([text("Dates for the team offsite")], true),
        ]
      : []),
    heading("Progress on priorities"),
    bullet("Priority: payments migration", [
      bullet("What was done: cut-over on Tuesday"),
      bullet("Result: no downtime"),
    ]),
    heading("Feedback"),
    bullet(`${manager.name} to ${report.name}: the incident write-up was excellent`),
    heading("Action items"),
    note("One to-do per item, each with an owner and a deadline."),
    ...actionItems(agenda),
  ];
}

/** Blocks in a seed tree, nested ones included: what "an agenda of under 100 blocks" counts. */
export function countBlocks(blocks: readonly SeedBlock[]): number {
  let count = 0;
  for (const seed of blocks) {
    count += 1;
    for (const payload of Object.values(seed)) {
      const children: unknown =
        typeof payload === "object" && payload !== null ? Reflect.get(payload, "children") : undefined;
      if (Array.isArray(children)) count += countBlocks(children as SeedBlock[]);
    }
  }
  return count;
}
