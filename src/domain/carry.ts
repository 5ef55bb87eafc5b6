// Carry-forward: which open items of the previous agenda go into the new one, and how each is marked.
// The mark is written into the item's own text ("↻ open since 2026-11-03 · carried 2×"), so a person
// sees it where they work and the next run reads the origin back from the agenda itself; the ledger in
// D1 records what each meeting received.
import type { Agenda, Block, CarryRole, Inline, RichText, Section } from "./agenda";
import { CARRY_ROLES, plainText } from "./agenda";

export type TodoBlock = Extract<Block, { kind: "todo" }>;

/** One item as it goes into the new agenda. */
export interface CarriedItem {
  role: CarryRole;
  /** The item without any earlier carry mark; children intact; `id` its block in the previous agenda, if read. */
  block: TodoBlock;
  /** Date of the agenda where the item first appeared. */
  originDate: string;
  /** How many meetings the item has been carried into, this one included. */
  timesCarried: number;
  ownerUserId: string | null;
  /** The owner as the item shows them (the mention's text, without "@"), for digests. */
  ownerName: string | null;
  dueDate: string | null;
  overdue: boolean;
  /** Plain text of the item, for the ledger, logs and digests. */
  text: string;
}

const CARRY_MARK = /^\s*↻ open since (\d{4}-\d{2}-\d{2}) · carried (\d+)×\s*$/u;
const OVERDUE_MARK = /^\s*⚠ overdue\s*$/u;
const PLAIN_DUE = /\bdue:?\s*(\d{4}-\d{2}-\d{2})\b/iu;

interface ReadMark {
  text: RichText;
  originDate: string | null;
  timesCarried: number;
}

/** Splits an item's text into what a person wrote and the carry mark this Worker added before. */
export function readCarryMark(text: RichText): ReadMark {
  let end = text.length;
  let originDate: string | null = null;
  let timesCarried = 0;
  while (end > 0) {
    const last = text[end - 1];
    if (last === undefined || last.kind !== "text") break;
    const carry = CARRY_MARK.exec(last.text);
    if (carry?.[1] !== undefined && carry[2] !== undefined) {
      originDate = carry[1];
      timesCarried = Number.parseInt(carry[2], 10);
    } else if (!OVERDUE_MARK.test(last.text)) {
      break;
    }
    end -= 1;
  }
  return { text: trimTrailingSpace(text.slice(0, end)), originDate, timesCarried };
}

function trimTrailingSpace(text: RichText): RichText {
  const last = text[text.length - 1];
  if (last === undefined || last.kind !== "text" || !/\s$/u.test(last.text)) return text;
  const trimmed = last.text.trimEnd();
  const head = text.slice(0, -1);
  return trimmed === "" ? head : [...head, { ...last, text: trimmed }];
}

/** The first person mentioned in the item: Notion's way of naming an owner. */
export function ownerOf(text: RichText): string | null {
  return ownerMention(text)?.mention.userId ?? null;
}

/** The first person mentioned, as the item shows them: "@Ada Lovelace" reads "Ada Lovelace". */
export function ownerNameOf(text: RichText): string | null {
  const name = ownerMention(text)?.text.replace(/^@/u, "").trim();
  return name === undefined || name === "" ? null : name;
}

function ownerMention(text: RichText): { text: string; mention: { type: "user"; userId: string } } | null {
  for (const inline of text) {
    if (inline.kind === "mention" && inline.mention.type === "user") {
      return { text: inline.text, mention: inline.mention };
    }
  }
  return null;
}

/** The first date mentioned in the item, or a typed "due 2026-12-04", as a `YYYY-MM-DD` date. */
export function dueDateOf(text: RichText): string | null {
  for (const inline of text) {
    if (inline.kind === "mention" && inline.mention.type === "date") return inline.mention.start.slice(0, 10);
  }
  return PLAIN_DUE.exec(plainText(text))?.[1] ?? null;
}

/** How a pair carries: `maxTimes` is the most carries an item gets in its own section (absent: no limit). */
export interface CarryRule {
  maxTimes?: number | undefined;
}

/**
 * The items to carry into the meeting on `meetingDate`, from the open to-dos of the agenda dated
 * `previousDate`. An item without a mark first appeared in the previous agenda; a marked one keeps
 * the origin its mark names. Done items never reach this function: the destination reads only open ones.
 * An item carried more than `rule.maxTimes` times (this carry included) goes to the parking lot, and one
 * read from the parking lot stays there: still open, still counted, its text and sub-items intact.
 */
export function carryForward(
  open: Readonly<Partial<Record<CarryRole, readonly TodoBlock[]>>>,
  previousDate: string,
  meetingDate: string,
  rule: CarryRule = {},
): CarriedItem[] {
  const items: CarriedItem[] = [];
  // The parking lot is read first so that items parked before stay ahead of those parked now.
  for (const from of ["parked", "actions", "discussion"] as const) {
    for (const todo of open[from] ?? []) {
      const mark = readCarryMark(todo.text);
      const dueDate = dueDateOf(mark.text);
      const timesCarried = mark.timesCarried + 1;
      const overLimit = rule.maxTimes !== undefined && timesCarried > rule.maxTimes;
      items.push({
        role: overLimit ? "parked" : from,
        block: { ...todo, checked: false, text: mark.text },
        originDate: mark.originDate ?? previousDate,
        timesCarried,
        ownerUserId: ownerOf(mark.text),
        ownerName: ownerNameOf(mark.text),
        dueDate,
        overdue: dueDate !== null && dueDate < meetingDate,
        text: plainText(mark.text),
      });
    }
  }
  return [
    ...items.filter((item) => item.role !== "parked"),
    ...items.filter((item) => item.role === "parked"),
  ];
}

/** The item as written into the new agenda: its text, then the carry mark, then an overdue flag. */
export function markedTodo(item: CarriedItem): TodoBlock {
  const marks: Inline[] = [
    {
      kind: "text",
      text: ` ↻ open since ${item.originDate} · carried ${item.timesCarried}×`,
      style: { italic: true, color: "gray" },
    },
  ];
  if (item.overdue) marks.push({ kind: "text", text: " ⚠ overdue", style: { bold: true, color: "red" } });
  // The copy is a new block: the source's id (kept on the carried item for the ledger) is not its own.
  const { id: _sourceId, ...block } = item.block;
  return { ...block, text: [...item.block.text, ...marks] };
}

/** The heading of a section the Worker adds for a role the template has no section for. */
export const ROLE_HEADINGS: Readonly<Record<CarryRole, string>> = {
  actions: "Action items",
  discussion: "Discussion points",
  parked: "Parking lot",
};

/**
 * The agenda with carried items placed first in their sections, so the open work is the first thing
 * people see under the heading. A role without a section in the template gets a section of its own at
 * the end rather than losing its items; the parking lot is always last, and only written when it holds
 * something (unless the template has its own).
 */
export function withCarriedItems(agenda: Agenda, items: readonly CarriedItem[]): Agenda {
  const sections: Section[] = agenda.sections.map((section) => ({ ...section, blocks: [...section.blocks] }));
  for (const role of CARRY_ROLES) {
    const blocks = items.filter((item) => item.role === role).map(markedTodo);
    if (blocks.length === 0) continue;
    const section = sections.find((candidate) => candidate.role === role);
    if (section) section.blocks.unshift(...blocks);
    else sections.push({ heading: [{ kind: "text", text: ROLE_HEADINGS[role] }], level: 1, role, blocks });
  }
  return { ...agenda, sections };
}
