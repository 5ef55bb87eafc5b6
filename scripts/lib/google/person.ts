// Owns what a person does to an agenda in the Docs editor, acted out through the emulator's control API
// (a new revision, as that person, not counted as the Worker's calls): type action items as plain bullets
// with person and date chips, mark an item Done with its status chip, strike an item through, write above
// everything, rename a heading. Every edit reads the document first, so indices are never stale.
import type { DocsRequest, GoogleControl } from "../../../emulators/google/control";
import { ScriptError } from "../run";
import type { Paragraph } from "./document";
import { isHeading, paragraphsIn, readDocument } from "./document";

/** A piece of a typed item: words, a person chip (by email) or a date chip (YYYY-MM-DD). */
export type Piece = string | { person: string } | { date: string };

export interface Editor {
  control: GoogleControl;
  /** The person editing: their email. */
  who: string;
  documentId: string;
  /** A running doc's meeting section (its named range), or null for the whole document. */
  rangeName: string | null;
}

/** How people (and the Worker) recognise the action-items heading. */
export const ACTION_ITEMS = /action items/i;

async function paragraphs(editor: Editor): Promise<Paragraph[]> {
  const doc = await readDocument(editor.control, editor.documentId);
  return editor.rangeName === null ? doc.paragraphs : paragraphsIn(doc, editor.rangeName);
}

function find(found: Paragraph | undefined, what: string, editor: Editor): Paragraph {
  if (found === undefined) {
    const where = editor.rangeName === null ? "" : ` (section ${editor.rangeName})`;
    throw new ScriptError(`Google document ${editor.documentId}${where} has no ${what}`);
  }
  return found;
}

/** `work`, failing with who could not do what where instead of the control API's bare answer. */
async function asPerson<T>(editor: Editor, what: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ScriptError(`${editor.who} could not ${what} in Google document ${editor.documentId}: ${why}`, {
      cause: error,
    });
  }
}

const edit = (editor: Editor, what: string, requests: DocsRequest[]) =>
  asPerson(editor, what, editor.control.batchUpdateAs(editor.who, editor.documentId, requests));

/** The requests that insert `items` as new paragraphs at `at` (the start of a paragraph), front to back. */
function typedItems(
  at: number,
  items: readonly (readonly Piece[])[],
): { requests: DocsRequest[]; end: number } {
  const requests: DocsRequest[] = [];
  let position = at;
  const insert = (request: DocsRequest, length: number) => {
    requests.push(request);
    position += length;
  };
  for (const item of items) {
    for (const piece of item) {
      const location = { index: position };
      if (typeof piece === "string") insert({ insertText: { location, text: piece } }, piece.length);
      else if ("person" in piece)
        insert({ insertPerson: { location, personProperties: { email: piece.person } } }, 1);
      else
        insert(
          {
            insertDate: {
              location,
              dateElementProperties: {
                timestamp: `${piece.date}T00:00:00Z`,
                dateFormat: "DATE_FORMAT_ISO8601",
              },
            },
          },
          1,
        );
    }
    insert({ insertText: { location: { index: position }, text: "\n" } }, 1);
  }
  return { requests, end: position };
}

/** Types `items` as bullets right under the first action-items heading, as someone taking notes would. */
export async function typeActionItems(editor: Editor, items: readonly (readonly Piece[])[]): Promise<void> {
  const list = await paragraphs(editor);
  const heading = list.findIndex((paragraph) => isHeading(paragraph) && ACTION_ITEMS.test(paragraph.text));
  const below = find(
    heading === -1 ? undefined : list[heading + 1],
    "paragraph under an action-items heading",
    editor,
  );
  const { requests, end } = typedItems(below.start, items);
  // New paragraphs copy the one they land in (often the italic hint): make them plain text first.
  const range = { startIndex: below.start, endIndex: end - 1 };
  await edit(editor, "type action items", [
    ...requests,
    {
      updateParagraphStyle: {
        range: { startIndex: below.start, endIndex: end },
        paragraphStyle: { namedStyleType: "NORMAL_TEXT" },
        fields: "namedStyleType",
      },
    },
    { updateTextStyle: { range, textStyle: {}, fields: "bold,italic,strikethrough,foregroundColor" } },
    { createParagraphBullets: { range, bulletPreset: "BULLET_DISC_CIRCLE_SQUARE" } },
  ]);
}

/** Picks Done on the status chip of the first item containing `text`. */
export async function markDone(editor: Editor, text: string): Promise<void> {
  await asPerson(
    editor,
    `mark "${text}" Done`,
    editor.control.setDropdown(editor.documentId, { paragraphContaining: text }, "Done", {
      principal: editor.who,
    }),
  );
}

/** Strikes the item containing `text` through, chips and all: how people close an item without a chip. */
export async function strikeThrough(editor: Editor, text: string): Promise<void> {
  const item = find(
    (await paragraphs(editor)).find(
      (paragraph) => paragraph.listLevel !== null && paragraph.text.includes(text),
    ),
    `item containing "${text}"`,
    editor,
  );
  await edit(editor, `strike "${text}" through`, [
    {
      updateTextStyle: {
        range: { startIndex: item.start, endIndex: item.end - 1 },
        textStyle: { strikethrough: true },
        fields: "strikethrough",
      },
    },
  ]);
}

/** A new paragraph at the very top of the document, above every section. */
export async function writeAtTop(editor: Editor, text: string): Promise<void> {
  // The first paragraph is often a section's heading; the new one copies it, so it is made plain text.
  await edit(editor, "write at the top", [
    { insertText: { location: { index: 1 }, text: `${text}\n` } },
    {
      updateParagraphStyle: {
        range: { startIndex: 1, endIndex: 1 + text.length },
        paragraphStyle: { namedStyleType: "NORMAL_TEXT" },
        fields: "namedStyleType",
      },
    },
  ]);
}

/** Retitles the first heading matching `from`; the words change, the heading stays a heading. */
export async function renameHeading(editor: Editor, from: RegExp, to: string): Promise<void> {
  const heading = find(
    (await paragraphs(editor)).find((paragraph) => isHeading(paragraph) && from.test(paragraph.text)),
    `heading matching ${from}`,
    editor,
  );
  await edit(editor, `rename the heading "${heading.text}"`, [
    { deleteContentRange: { range: { startIndex: heading.start, endIndex: heading.end - 1 } } },
    { insertText: { location: { index: heading.start }, text: to } },
  ]);
}
