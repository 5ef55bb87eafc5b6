// Owns filling a copy of a person's template Google Doc: where its action-items (and discussion)
// headings are, the requests that insert the carried items right under them (bottom-up, so indices
// computed on the template hold in its copy) before `replaceAllText` fills the `{{placeholders}}`, and
// which list items are the template's own examples, never to be carried. Also the requests that write a
// whole agenda into a new, empty document. Both end their batch with the completion mark (a named range
// over the whole first tab) when asked: a batchUpdate is applied whole or not at all, so a document that
// holds the mark was filled, and one without it is a bare copy that a later run must finish.
import type { Agenda, Block, CarryRole, RichText } from "../../../domain/agenda";
import { CARRY_ROLES, plainText, textOf } from "../../../domain/agenda";
import { ROLE_HEADINGS, readCarryMark } from "../../../domain/carry";
import { carryRoleOfHeading } from "../../../domain/sections";
import type { AgendaDraft, OpenItems, ReadItems } from "../../types";
import type { DocsRequest } from "../api/client";
import type { DocDocument } from "../api/schemas";
import { documentTabs, type PlacedParagraph, paragraphsOf, type TabView, topIndex } from "../read/document";
import { copyRanges } from "../read/items";
import { openItemsOf } from "../read/read";
import { type StatusDropdown, statusDropdownFor } from "../read/status";
import { blockFromParagraph, blocksFromParagraphs } from "../read/to-model";
import { documentLayout, doneHintBlock, mentionsDoneHint } from "./compose";
import { insertRequests, type LayoutParagraph, layoutBlocks, type Span } from "./requests";

/** Where a group of blocks goes in the template, and the blocks. */
interface Insertion {
  index: number;
  leadingNewline: boolean;
  anchorHasBullet: boolean;
  tab: TabView;
  blocks: Block[];
}

interface FoundHeading {
  tab: TabView;
  paragraph: PlacedParagraph;
  /** The paragraph after the heading, if the next element is one. */
  next: PlacedParagraph | null;
}

/** The first heading of each carried role in the template, and the text that is there already. */
function templateHeadings(tabs: readonly TabView[]): {
  found: Partial<Record<CarryRole, FoundHeading>>;
  text: string;
} {
  const found: Partial<Record<CarryRole, FoundHeading>> = {};
  const words: string[] = [];
  for (const tab of tabs) {
    const context = { lists: tab.lists, doneOptionIds: new Set<string>() };
    tab.content.forEach((element, position) => {
      if (element.paragraph === undefined) return;
      const block = blockFromParagraph(element.paragraph, context);
      if (block === null || block.kind === "divider") return;
      words.push(plainText(block.text));
      if (block.kind !== "heading") return;
      const role = carryRoleOfHeading(plainText(block.text));
      if (role === null || found[role] !== undefined) return;
      const following = tab.content[position + 1];
      found[role] = {
        tab,
        paragraph: { start: element.startIndex, end: element.endIndex, paragraph: element.paragraph },
        next:
          following?.paragraph === undefined
            ? null
            : { start: following.startIndex, end: following.endIndex, paragraph: following.paragraph },
      };
    });
  }
  return { found, text: words.join("\n") };
}

/** Right under a heading: at the start of the paragraph after it, or at the end of its own text. */
function under(heading: FoundHeading, blocks: Block[]): Insertion {
  return heading.next === null
    ? {
        index: heading.paragraph.end - 1,
        leadingNewline: true,
        anchorHasBullet: false,
        tab: heading.tab,
        blocks,
      }
    : {
        index: heading.next.start,
        leadingNewline: false,
        anchorHasBullet: heading.next.paragraph.bullet !== undefined,
        tab: heading.tab,
        blocks,
      };
}

/** The carried items' places in the template, last in the document first (so earlier indices hold). */
function templateInsertions(template: DocDocument, carried: OpenItems): Insertion[] {
  const tabs = documentTabs(template);
  const { found, text } = templateHeadings(tabs);
  const hint = mentionsDoneHint(text) ? [] : [doneHintBlock()];
  const insertions: Insertion[] = [];
  const appended: Block[] = [];
  const actions = found.actions;
  if (actions !== undefined) insertions.push(under(actions, [...hint, ...carried.actions]));
  else if (carried.actions.length > 0) {
    appended.push({ kind: "heading", level: 2, text: textOf("Action items") }, ...hint, ...carried.actions);
  }
  for (const role of ["discussion", "parked"] as const) {
    if (carried[role].length === 0) continue;
    const heading = found[role];
    if (heading !== undefined) insertions.push(under(heading, [...carried[role]]));
    else appended.push({ kind: "heading", level: 2, text: textOf(ROLE_HEADINGS[role]) }, ...carried[role]);
  }
  const first = tabs[0];
  const last = first === undefined ? undefined : paragraphsOf(first.content).at(-1);
  if (appended.length > 0 && first !== undefined && last !== undefined) {
    insertions.push({
      index: last.end - 1,
      leadingNewline: true,
      anchorHasBullet: false,
      tab: first,
      blocks: appended,
    });
  }
  return insertions.sort((a, b) => b.index - a.index);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function words(text: RichText): string {
  return plainText(readCarryMark(text).text).replace(/\s+/g, " ").trim();
}

/**
 * The template's own example items ("New item (owner, due date)") as patterns, placeholders matching
 * anything: every agenda copied from the template has them, so they must not be carried as open items.
 */
export function templateExamples(template: DocDocument): RegExp[] {
  const examples = documentTabs(template).flatMap((tab) => {
    const blocks = blocksFromParagraphs(paragraphsOf(tab.content), {
      lists: tab.lists,
      doneOptionIds: new Set(),
    });
    const items = openItemsOf(blocks, CARRY_ROLES);
    return [...items.actions, ...items.discussion, ...items.parked];
  });
  return examples
    .map((item) => words(item.text))
    .filter((text) => text !== "")
    .map(
      (text) =>
        new RegExp(
          `^${text
            .split(/\{\{[^}]*\}\}/)
            .map(escapeRegExp)
            .join(".+?")}$`,
          "su",
        ),
    );
}

/** The open items less those that are the template's own examples. */
export function withoutExamples(open: ReadItems, examples: readonly RegExp[]): ReadItems {
  const mine = (item: OpenItems["actions"][number]) =>
    !examples.some((example) => example.test(words(item.text)));
  return {
    ...open,
    actions: open.actions.filter(mine),
    discussion: open.discussion.filter(mine),
    parked: open.parked.filter(mine),
  };
}

/** The named range that marks a filled document, over `[start, end)` of its first tab. */
function completionMark(name: string, start: number, end: number, tabId: string | undefined): DocsRequest[] {
  // A document with nothing in it (an empty template, nothing carried) has no text to mark; it is
  // then as finished as it will ever be, and refilling it later writes nothing twice.
  if (end <= start) return [];
  return [
    {
      createNamedRange: {
        name,
        range: { startIndex: start, endIndex: end, ...(tabId === undefined ? {} : { tabId }) },
      },
    },
  ];
}

/**
 * The requests that fill a copy of the template (or a bare copy of it left by an earlier run, passed as
 * `template`): insertions bottom-up, then the completion mark `mark` over the first tab's whole text
 * (its indices are exact there, after the insertions), then the placeholders, whose replacements stay
 * inside the mark.
 */
export function templateRequests(template: DocDocument, draft: AgendaDraft, mark?: string): DocsRequest[] {
  const tabs = documentTabs(template);
  const single = tabs.length <= 1;
  const first = tabs[0];
  const requests: DocsRequest[] = [];
  const statusByTab = new Map<string, StatusDropdown>();
  const insertions = templateInsertions(template, draft.carried);
  let insertedInFirst = 0;
  // Where each insertion's paragraphs end up: insertions go bottom-up, so each one moves every paragraph
  // already written below it in its tab.
  const written: { tab: TabView; tabId: string | undefined; layout: LayoutParagraph[]; spans: Span[] }[] = [];
  for (const insertion of insertions) {
    // A one-tab template is addressed without a tab id; its copy's tab id need not be the same.
    const tabId = single ? undefined : insertion.tab.tabId;
    const key = tabId ?? "";
    let status = statusByTab.get(key);
    if (status === undefined) {
      status = statusDropdownFor(insertion.tab.dropdownDefinitions, tabId);
      statusByTab.set(key, status);
      if (status.create !== null) requests.unshift(status.create);
    }
    const layout = layoutBlocks(insertion.blocks);
    const plan = insertRequests(layout, {
      index: insertion.index,
      ...(tabId === undefined ? {} : { tabId }),
      leadingNewline: insertion.leadingNewline,
      trailingNewline: !insertion.leadingNewline,
      anchorHasBullet: insertion.anchorHasBullet,
      status,
    });
    requests.push(...plan.requests);
    for (const earlier of written) {
      if (earlier.tab !== insertion.tab) continue;
      earlier.spans = earlier.spans.map((span) => ({
        start: span.start + plan.length,
        end: span.end + plan.length,
      }));
    }
    written.push({ tab: insertion.tab, tabId, layout, spans: plan.spans });
    if (insertion.tab.tabId === first?.tabId) insertedInFirst += plan.length;
  }
  // The carried copies' item ranges, at their final places.
  written.reverse().forEach((entry, order) => {
    requests.push(...copyRanges(entry.layout, entry.spans, `${mark ?? ""}\n${order}`, entry.tabId));
  });
  if (mark !== undefined && first !== undefined) {
    // The body ends with a newline that no range may hold.
    const end = (first.content.at(-1)?.endIndex ?? 1) - 1 + insertedInFirst;
    requests.push(...completionMark(mark, topIndex(first.content), end, single ? undefined : first.tabId));
  }
  for (const [key, value] of Object.entries(draft.placeholders)) {
    requests.push({
      replaceAllText: { containsText: { text: `{{${key}}}`, matchCase: true }, replaceText: value },
    });
  }
  return requests;
}

/**
 * The requests that write the whole agenda at the top of a new document, then the completion mark. A
 * document that is not empty (a bare one people typed in) keeps its text, below the agenda.
 */
export function blankRequests(agenda: Agenda, mark?: string, empty = true): DocsRequest[] {
  const status = statusDropdownFor({}, undefined);
  const layout = documentLayout(agenda);
  const plan = insertRequests(layout, { index: 1, trailingNewline: !empty, status });
  return [
    ...(status.create === null ? [] : [status.create]),
    ...plan.requests,
    ...copyRanges(layout, plan.spans, mark ?? "", undefined),
    ...(mark === undefined ? [] : completionMark(mark, 1, 1 + plan.length, undefined)),
  ];
}
