// What people do in a Google doc between runs, through the emulator's API as a signed-in user: type an
// item under the newest action-items heading, strike one through. Shared by the end-to-end Docs tests.
import type {
  DocsDocument,
  DocsRequest,
  DocsStructuralElement,
  GoogleControl,
} from "../emulators/google/control";

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
  const requests: DocsRequest[] = [
    {
      updateTextStyle: {
        range: { startIndex: element.startIndex ?? 0, endIndex: (element.endIndex ?? 1) - 1 },
        textStyle: { strikethrough: true },
        fields: "strikethrough",
      },
    },
  ];
  await emu.batchUpdateAs(EDITOR, documentId, requests);
}
