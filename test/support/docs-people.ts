// What people do in a Google doc between runs, through the emulator's API as a signed-in user: type an
// item under the newest action-items heading, strike one through, pick a status chip's option, reword an
// item, delete a line, write a paragraph of their own; and how a person reads an agenda's action items.
// Shared by the end-to-end Docs tests.
import type {
  DocsDocument,
  DocsRequest,
  DocsStructuralElement,
  GoogleControl,
} from "../../emulators/google/control";

/** The person who edits: the pairs of these tests have Ada as their manager. */
const EDITOR = "ada@example.com";

/** The doc's first tab's body. */
export function bodyOf(doc: DocsDocument): DocsStructuralElement[] {
  return doc.tabs?.[0]?.documentTab?.body?.content ?? [];
}

/** A paragraph's text as people read it; a chip shows as U+E907, as the Docs API writes it. */
export function paragraphText(element: DocsStructuralElement): string {
  return (element.paragraph?.elements ?? []).map((part) => part.textRun?.content ?? "\ue907").join("");
}

/** The first "Action items" heading from the top: in a running doc, the newest section's. */
export function actionsHeading(doc: DocsDocument): DocsStructuralElement {
  const heading = bodyOf(doc).find(
    (element) =>
      element.paragraph?.paragraphStyle?.namedStyleType?.startsWith("HEADING") === true &&
      /action items/iu.test(paragraphText(element)),
  );
  if (!heading) throw new Error("no action-items heading");
  return heading;
}

/** A person types a new item without any chip, as a bullet right under the action-items heading. */
export async function typeItem(emu: GoogleControl, documentId: string, label: string): Promise<void> {
  await typeItemAt(emu, documentId, actionsHeading(await emu.document(documentId)).endIndex ?? 1, label);
}

/** A person (Ada unless named) types a new item without any chip, as a bullet starting at index `at`. */
export async function typeItemAt(
  emu: GoogleControl,
  documentId: string,
  at: number,
  label: string,
  editor = EDITOR,
): Promise<void> {
  const requests: DocsRequest[] = [
    { insertText: { location: { index: at }, text: `${label}\n` } },
    {
      updateParagraphStyle: {
        range: { startIndex: at, endIndex: at + label.length + 1 },
        paragraphStyle: { namedStyleType: "NORMAL_TEXT" },
        fields: "namedStyleType",
      },
    },
    {
      createParagraphBullets: {
        range: { startIndex: at, endIndex: at + label.length },
        bulletPreset: "BULLET_DISC_CIRCLE_SQUARE",
      },
    },
  ];
  await emu.batchUpdateAs(editor, documentId, requests);
}

/** A person strikes an item through: done, by the rule for items without a status chip. */
export async function strikeThrough(emu: GoogleControl, documentId: string, label: string): Promise<void> {
  const element = bodyOf(await emu.document(documentId)).find((candidate) =>
    paragraphText(candidate).includes(label),
  );
  if (!element) throw new Error(`no "${label}" to strike through`);
  await strikeParagraph(emu, documentId, element);
}

/** A person strikes a paragraph's text through (or, with `struck` false, takes the strike away). */
export async function strikeParagraph(
  emu: GoogleControl,
  documentId: string,
  element: DocsStructuralElement,
  struck = true,
  editor = EDITOR,
): Promise<void> {
  const requests: DocsRequest[] = [
    {
      updateTextStyle: {
        range: { startIndex: element.startIndex ?? 0, endIndex: element.endIndex - 1 },
        textStyle: { strikethrough: struck },
        fields: "strikethrough",
      },
    },
  ];
  await emu.batchUpdateAs(editor, documentId, requests);
}

/** A person picks `option` on the first dropdown chip of a paragraph. */
export async function pickStatus(
  emu: GoogleControl,
  documentId: string,
  element: DocsStructuralElement,
  option: string,
  editor = EDITOR,
): Promise<void> {
  const chip = element.paragraph?.elements.find((part) => part.dropdown !== undefined)?.dropdown;
  if (chip === undefined) throw new Error(`no chip in "${paragraphText(element)}"`);
  await emu.setDropdown(documentId, { dropdownId: chip.dropdownId }, option, { principal: editor });
}

/** Where an item's words are in its paragraph: after a leading chip, before the Worker's carry mark. */
function wordsSpan(element: DocsStructuralElement): { start: number; end: number } {
  const text = paragraphText(element).replace(/\n$/u, "");
  const lead = /^\ue907\s*/u.exec(text)?.[0].length ?? 0;
  const mark = text.indexOf(" ↻");
  const start = (element.startIndex ?? 0) + lead;
  return { start, end: (element.startIndex ?? 0) + (mark === -1 ? text.length : mark) };
}

/**
 * A person rewords an item: its words (after its chip, before any carry mark) become `words`. The new words
 * go in after the first old letter and the old ones around them go after, so the line is never emptied:
 * a line whose every character is deleted loses its named ranges, as in Google Docs.
 */
export async function rewordItem(
  emu: GoogleControl,
  documentId: string,
  element: DocsStructuralElement,
  words: string,
  editor = EDITOR,
): Promise<void> {
  const { start, end } = wordsSpan(element);
  if (end - start < 1) throw new Error(`no words to reword in "${paragraphText(element)}"`);
  const requests: DocsRequest[] = [{ insertText: { location: { index: start + 1 }, text: words } }];
  // An old word of one letter leaves nothing between the new words and the mark to delete.
  if (end - start > 1)
    requests.push({
      deleteContentRange: { range: { startIndex: start + 1 + words.length, endIndex: end + words.length } },
    });
  requests.push({ deleteContentRange: { range: { startIndex: start, endIndex: start + 1 } } });
  await emu.batchUpdateAs(editor, documentId, requests);
}

/** A person deletes a whole line (paragraph), its newline with it. */
export async function deleteParagraph(
  emu: GoogleControl,
  documentId: string,
  element: DocsStructuralElement,
  editor = EDITOR,
): Promise<void> {
  const requests: DocsRequest[] = [
    { deleteContentRange: { range: { startIndex: element.startIndex ?? 0, endIndex: element.endIndex } } },
  ];
  await emu.batchUpdateAs(editor, documentId, requests);
}

/** A person writes a plain paragraph of their own (no bullet) starting at index `at`. */
export async function writeParagraphAt(
  emu: GoogleControl,
  documentId: string,
  at: number,
  text: string,
  editor = EDITOR,
): Promise<void> {
  const range = { startIndex: at, endIndex: at + text.length + 1 };
  const requests: DocsRequest[] = [
    { insertText: { location: { index: at }, text: `${text}\n` } },
    {
      updateParagraphStyle: {
        range,
        paragraphStyle: { namedStyleType: "NORMAL_TEXT" },
        fields: "namedStyleType",
      },
    },
    { deleteParagraphBullets: { range } },
  ];
  await emu.batchUpdateAs(editor, documentId, requests);
}

// ---- reading an agenda as a person does ----------------------------------------------------------

/**
 * One agenda's paragraphs: in a running doc the section whose title (a first-level heading) contains
 * `title`, up to the next section's title; the whole body when `title` is undefined (a doc per meeting).
 */
export function agendaPart(doc: DocsDocument, title?: string): DocsStructuralElement[] {
  const body = bodyOf(doc);
  if (title === undefined) return body;
  const isTitle = (element: DocsStructuralElement) =>
    element.paragraph?.paragraphStyle.namedStyleType === "HEADING_1";
  const start = body.findIndex((element) => isTitle(element) && paragraphText(element).includes(title));
  if (start === -1) throw new Error(`no section "${title}"`);
  const end = body.findIndex((element, index) => index > start && isTitle(element));
  return body.slice(start, end === -1 ? body.length : end);
}

/** An action item as a person reads it. */
export interface ReadItem {
  element: DocsStructuralElement;
  /** Its words: chips and the Worker's carry mark left out. */
  words: string;
  /** It bears the Worker's carry mark (a copy the Worker wrote). */
  marked: boolean;
  /** Its status chip says Done, or (no chip) its text is struck through. */
  done: boolean;
  /** The name of the Worker's named range on it, if any. */
  rangeName: string | null;
}

/** Named ranges of the document's first tab: name and where each of its ranges starts. */
function rangeStarts(doc: DocsDocument): { name: string; start: number }[] {
  const ranges = doc.tabs?.[0]?.documentTab?.namedRanges ?? {};
  return Object.values(ranges).flatMap((entry) =>
    entry.namedRanges.flatMap((named) =>
      named.ranges.map((range) => ({ name: entry.name, start: range.startIndex ?? 0 })),
    ),
  );
}

/** The Worker's item range that starts in a paragraph, if one does. */
function itemRangeOf(doc: DocsDocument, element: DocsStructuralElement): string | null {
  const from = element.startIndex ?? 0;
  const found = rangeStarts(doc).find(
    (range) =>
      range.name.startsWith("oneonone.item.") && range.start >= from && range.start < element.endIndex,
  );
  return found?.name ?? null;
}

/** The paragraph the Worker's item range `name` starts in: the same line however people edit around it. */
export function paragraphOfRange(doc: DocsDocument, name: string): DocsStructuralElement {
  const range = rangeStarts(doc).find((candidate) => candidate.name === name);
  const element =
    range === undefined
      ? undefined
      : bodyOf(doc).find(
          (candidate) =>
            candidate.paragraph !== undefined &&
            (candidate.startIndex ?? 0) <= range.start &&
            range.start < candidate.endIndex,
        );
  if (element === undefined) throw new Error(`no line named ${name}`);
  return element;
}

/** The top-level bulleted items under an agenda part's action-items heading, and its plain paragraphs. */
export function actionItemsIn(
  doc: DocsDocument,
  part: readonly DocsStructuralElement[],
): { items: ReadItem[]; paragraphs: string[] } {
  const isHeading = (element: DocsStructuralElement) =>
    element.paragraph?.paragraphStyle.namedStyleType?.startsWith("HEADING") === true;
  const start = part.findIndex(
    (element) => isHeading(element) && /action items/iu.test(paragraphText(element)),
  );
  if (start === -1) throw new Error("no action-items heading");
  const items: ReadItem[] = [];
  const paragraphs: string[] = [];
  for (const element of part.slice(start + 1)) {
    if (isHeading(element)) break;
    const paragraph = element.paragraph;
    if (paragraph === undefined) continue;
    const text = paragraphText(element).replace(/\n$/u, "");
    if (paragraph.bullet === undefined) {
      paragraphs.push(text);
      continue;
    }
    if ((paragraph.bullet.nestingLevel ?? 0) > 0) continue;
    const chip = paragraph.elements.find((part) => part.dropdown !== undefined)?.dropdown;
    const runs = paragraph.elements.filter((part) => (part.textRun?.content ?? "").trim() !== "");
    const done =
      chip === undefined
        ? runs.length > 0 && runs.every((part) => part.textRun?.textStyle?.strikethrough === true)
        : chip.dropdownProperties.displayValue === "Done";
    const mark = text.indexOf(" ↻");
    items.push({
      element,
      words: (mark === -1 ? text : text.slice(0, mark)).replaceAll("\ue907", "").trim(),
      marked: mark !== -1,
      done,
      rangeName: itemRangeOf(doc, element),
    });
  }
  return { items, paragraphs };
}
