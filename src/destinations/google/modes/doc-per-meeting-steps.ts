// Owns the doc-per-meeting mode's pure parts: the app properties that mark the pair's documents, the
// folder query, sorting a listing into this meeting's documents, earlier agendas and documents people
// made, the newest of those with a date in its name, and the metadata of a new agenda. The mode
// (doc-per-meeting.ts) makes the calls.
import type { AgendaDraft, MeetingRef } from "../../types";
import type { DriveFile } from "../api/schemas";
import { dateInTitle, numericOrderOf } from "../read/dated";

export const GOOGLE_DOC = "application/vnd.google-apps.document";
const PAIR_PROPERTY = "oneOnOnePair";
const DATE_PROPERTY = "oneOnOneDate";
/** Set at copy time: the document is finished once it holds its completion mark (see the mode's header). */
export const FINISH_PROPERTY = "oneOnOneFinish";
export const FINISH_BY_MARK = "namedRange";
export const FILE_FIELDS = "id,name,appProperties,webViewLink";
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A Drive query string literal. */
function quoted(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/**
 * The `files.list` query of a folder's Google Docs: only the pair's own agendas, or (`wide`) every one,
 * so that notes the team kept there before can be taken over.
 */
export function folderQuery(folderId: string, pairId: string, wide: boolean): string {
  return [
    `${quoted(folderId)} in parents`,
    "trashed = false",
    `mimeType = ${quoted(GOOGLE_DOC)}`,
    ...(wide ? [] : [`appProperties has { key=${quoted(PAIR_PROPERTY)} and value=${quoted(pairId)} }`]),
  ].join(" and ");
}

/** A folder's documents as `locate` sorts them for one meeting. */
export interface Listing {
  /** The pair's documents of the meeting's date. */
  sameDay: DriveFile[];
  /** The pair's documents of earlier dates. */
  earlier: { file: DriveFile; date: string }[];
  /** Documents of no pair (people made them), the template aside. */
  handMade: DriveFile[];
  /** Another pair keeps agendas here too: nothing tells whose a hand-made document is. */
  shared: boolean;
}

export function emptyListing(): Listing {
  return { sameDay: [], earlier: [], handMade: [], shared: false };
}

/** Sorts one page of the listing into `into`, for the pair's meeting of `date`. */
export function sortListing(
  into: Listing,
  files: readonly DriveFile[],
  pair: { pairId: string; templateId: string | undefined },
  date: string,
): void {
  for (const file of files) {
    const owner = file.appProperties?.[PAIR_PROPERTY];
    if (owner === undefined && file.id !== pair.templateId && file.name !== undefined)
      into.handMade.push(file);
    if (owner !== undefined && owner !== pair.pairId) into.shared = true;
    // A document is taken as the pair's agenda only if it says so itself.
    if (owner !== pair.pairId) continue;
    const dated = file.appProperties?.[DATE_PROPERTY];
    if (dated === undefined || !DATE.test(dated) || dated > date) continue;
    if (dated === date) into.sameDay.push(file);
    else into.earlier.push({ file, date: dated });
  }
}

/** Newest first. */
export function newestFirst<T extends { date: string }>(dated: readonly T[]): T[] {
  return [...dated].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

/** The newest of the documents people made with a date in its name earlier than `date`, or null. */
export function newestHandMade(
  files: readonly DriveFile[],
  date: string,
): { file: DriveFile; date: string } | null {
  const order = numericOrderOf(files.map((file) => file.name ?? ""));
  let newest: { file: DriveFile; date: string } | null = null;
  for (const file of files) {
    const found = dateInTitle(file.name ?? "", date, order);
    if (found !== null && found < date && (newest === null || found > newest.date))
      newest = { file, date: found };
  }
  return newest;
}

/** A new agenda's name, folder and app properties (it says it is unfinished until its mark is written). */
export function agendaMetadata(draft: AgendaDraft, meeting: MeetingRef, pairId: string, folderId: string) {
  return {
    name: draft.agenda.title === "" ? `1:1 · ${meeting.date}` : draft.agenda.title,
    parents: [folderId],
    appProperties: {
      [PAIR_PROPERTY]: pairId,
      [DATE_PROPERTY]: meeting.date,
      [FINISH_PROPERTY]: FINISH_BY_MARK,
    },
  };
}
