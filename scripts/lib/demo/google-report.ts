// Owns the demo's account of a Google pair, in the same form as a Notion pair's: the agenda the Worker made
// (its link is the emulator's text view of the document), what it carried and what it left behind, the
// previous agenda read back from the document itself. Also shows one Google agenda as that text view.
import { sectionRangeName } from "../../../src/destinations/google/read/document";
import type { Meeting } from "../admin";
import { googleAgendaTodos } from "../google/agenda-read";
import type { Paragraph } from "../google/document";
import { isHeading, paragraphsIn, readDocument } from "../google/document";
import { agendaDocumentId } from "../google/pairs";
import { ScriptError } from "../run";
import type { Stack } from "../stack";
import { out, style } from "../terminal";
import type { GoogleDemoEntry } from "./google-pairs";
import { googleDestinationLabel } from "./google-pairs";
import { printPairReport } from "./report";

export interface ShownAgenda {
  documentId: string;
  viewUrl: string;
  /** The running doc's sections other than the newest, which the view leaves out. */
  olderSections: number;
}

async function previousAgenda(stack: Stack, entry: GoogleDemoEntry): Promise<Paragraph[]> {
  const { pair, plan } = entry;
  if (pair.destination.mode === "running-doc") {
    const doc = await readDocument(stack.google.control, pair.destination.documentId);
    return paragraphsIn(doc, sectionRangeName(pair.id, plan.previous.date));
  }
  const previous = (await stack.admin.meetings(pair.id)).find(
    (meeting) => meeting.date === plan.previous.date,
  );
  if (previous?.agendaId == null)
    throw new ScriptError(`${pair.id}: no agenda recorded for ${plan.previous.date}`);
  return (await readDocument(stack.google.control, previous.agendaId)).paragraphs;
}

/** Prints the pair's story; throws (like the Notion report) when an open item was not carried. */
export async function printGoogleReport(
  stack: Stack,
  entry: GoogleDemoEntry,
  meeting: Meeting,
  names: ReadonlyMap<string, string>,
): Promise<ShownAgenda> {
  const { pair, plan } = entry;
  if (meeting.agendaId === null) throw new ScriptError(`${meeting.key}: no agenda was recorded`);
  const documentId = agendaDocumentId(pair, meeting.agendaId);
  const doc = await readDocument(stack.google.control, documentId);
  let title = doc.title;
  let olderSections = 0;
  if (pair.destination.mode === "running-doc") {
    const heading = paragraphsIn(doc, sectionRangeName(pair.id, plan.meeting.date)).find(isHeading);
    title = `${doc.title} › ${heading?.text ?? plan.meeting.date}`;
    olderSections = [...doc.ranges.keys()].filter(
      (name) => name !== sectionRangeName(pair.id, plan.meeting.date),
    ).length;
  }
  const viewUrl = `${stack.google.emulator.url}/view/documents/${documentId}`;
  printPairReport({
    seeded: entry,
    destination: googleDestinationLabel(pair),
    meeting,
    title,
    viewUrl,
    previousTodos: googleAgendaTodos(await previousAgenda(stack, entry)),
    names,
  });
  return { documentId, viewUrl, olderSections };
}

/** A running doc section's heading in the text view (write/compose.ts `sectionTitle`, at heading level 1). */
const SECTION_HEADING = /^# 1:1 · \d{4}-\d{2}-\d{2}/;

/** The emulator's text view of the agenda; of a running doc, everything down to its second section. */
export async function showGoogleAgenda(stack: Stack, shown: ShownAgenda): Promise<void> {
  const lines = (await stack.google.control.view(shown.documentId)).trimEnd().split("\n");
  const sections = lines.flatMap((line, index) => (SECTION_HEADING.test(line) ? [index] : []));
  const cut = shown.olderSections > 0 ? sections[1] : undefined;
  for (const line of lines.slice(0, cut)) out(`  ${style.dim("│")} ${line}`);
  if (cut !== undefined) {
    out(
      `  ${style.dim("│")} ${style.dim(`… and ${shown.olderSections} earlier sections below, each in its named range`)}`,
    );
  }
}
