// Owns the doc-per-meeting mode: a Google Doc per meeting in a Drive folder (My Drive or a shared drive),
// marked with app properties (pair and meeting date) that only this app sees and people cannot rename
// away. Calls per agenda: `files.list` (locate), `documents.get` (the previous agenda's open items),
// `files.copy` of the template or `files.create`, and one `documents.batchUpdate` — four, and one more
// `documents.batchUpdate` of the previous document when a carried item has no named range yet (people
// typed it; live sync follows items by their ranges, see read/items.ts). A template document is read at most
// once every few minutes per client (see readTemplate), to know where its headings are: a copy has the same content, so the same
// indices. The template's own example items are not carried. A live-sync pass reads both documents and
// writes the new one once (write/sync.ts), and the previous one once more when it adds an item typed there.
//
// A team that kept a folder of meeting notes before the Worker came keeps its open items: while the
// Worker has made no earlier agenda here, the newest document people made with a date in its name
// (before the meeting) is the previous agenda. The pair's first listing takes the whole folder to find
// it, in the same call; later ones ask only for the pair's own agendas.
//
// Nothing half-made is taken as an agenda. A copy is made and then filled by a second call, so a copy
// whose fill never happened (its answer lost, the run gone) is a bare template with `{{placeholders}}`
// and nothing carried. Every document this mode makes says so in an app property (FINISH_PROPERTY), and
// the batchUpdate that fills it also creates its completion mark, a named range named after the meeting:
// a batchUpdate is applied whole or not at all, so the mark is there exactly when the content is. This
// costs no call of its own (a final `files.update` would cost one per agenda), and people cannot remove
// the mark short of deleting the whole text. A document with the property and without the mark is
// unfinished: `locate` never returns it as the meeting's agenda nor as the previous one, and `create`
// finishes it in place (filling the bare copy it is) instead of copying again. Documents made before the
// property existed are taken as finished, as they always were.
import type { CarryRole } from "../../../domain/agenda";
import { CARRY_ROLES } from "../../../domain/agenda";
import type { SourceItem, SyncAction } from "../../../domain/sync";
import type { Logger } from "../../../lib/log";
import { silentLogger } from "../../../lib/log";
import type {
  AgendaDraft,
  AgendaRef,
  Destination,
  Located,
  MeetingRef,
  ReadItems,
  SyncApplied,
} from "../../types";
import { DestinationError } from "../../types";
import type { DocsRequest, GoogleApi, GoogleClient } from "../api/client";
import { type ErrorSubject, isRevisionConflict, mayHaveApplied, toDestinationError } from "../api/errors";
import type { DocDocument, DriveFile } from "../api/schemas";
import { createDriveChangeWatch } from "../changes";
import type { DocPerMeetingConfig } from "../config";
import {
  documentTabs,
  documentUrl,
  hasNoContent,
  pairSections,
  paragraphsOf,
  sectionRangeName,
} from "../read/document";
import { type AgendaPart, type AgendaRead, readAgenda, unnamedOpenRanges } from "../read/items";
import { syncBatch, syncItemsOf, writeSyncBatch } from "../write/sync";
import { blankRequests, templateExamples, templateRequests, withoutExamples } from "../write/template";
import {
  agendaMetadata,
  emptyListing,
  FILE_FIELDS,
  FINISH_BY_MARK,
  FINISH_PROPERTY,
  folderQuery,
  GOOGLE_DOC,
  type Listing,
  newestFirst,
  newestHandMade,
  sortListing,
} from "./doc-per-meeting-steps";
import { about, openIds, underRevision } from "./shared";

/** Pages of `files.list` read at most (1,000 agendas each). */
const MAX_LIST_PAGES = 10;

/** One pair's folder of agendas. */
export interface DocPerMeetingOptions {
  client: GoogleClient;
  config: DocPerMeetingConfig;
  pairId: string;
  log?: Logger;
}

// A template is read once per client and acting user, whichever pairs use it. The client lives as long
// as the isolate (runtime.ts), across runs, so a read is kept only briefly: a person who edits the
// template must not have their next agendas filled at the old template's indices.
const TEMPLATE_TTL_MS = 5 * 60 * 1000;
const templateCache = new WeakMap<GoogleClient, Map<string, { at: number; doc: Promise<DocDocument> }>>();

function readTemplate(client: GoogleClient, api: GoogleApi, templateId: string): Promise<DocDocument> {
  let cache = templateCache.get(client);
  if (cache === undefined) {
    cache = new Map();
    templateCache.set(client, cache);
  }
  const slot = `${api.actor}\n${templateId}`;
  const now = Date.now();
  const cached = cache.get(slot);
  if (cached !== undefined && now - cached.at < TEMPLATE_TTL_MS) return cached.doc;
  const pending = api.getDocument(templateId);
  cache.set(slot, { at: now, doc: pending });
  // A failed read is not remembered: the next pair or run asks again.
  pending.catch(() => cache.delete(slot));
  return pending;
}

/** A document's tabs as the parts of one agenda. */
function partsOf(doc: DocDocument): AgendaPart[] {
  return documentTabs(doc).map((tab) => ({ tab, paragraphs: paragraphsOf(tab.content) }));
}

/** One of the pair's documents, as `locate` judged it. */
interface Judged {
  file: DriveFile;
  /** Read only when the document had to be judged; a finished one is kept for `readOpenItems`. */
  doc: DocDocument | null;
  finished: boolean;
}

/** What the calls of one pair's folder act with. */
interface Folder {
  client: GoogleClient;
  api: GoogleApi;
  config: DocPerMeetingConfig;
  pairId: string;
  log: Logger;
}

const documentSubject = (folder: Folder, id: string): ErrorSubject => ({
  kind: "document",
  id,
  actor: folder.api.actor,
});
const folderSubject = (folder: Folder): ErrorSubject => ({
  kind: "folder",
  id: folder.config.folderId,
  actor: folder.api.actor,
});
const templateSubject = (folder: Folder, id: string): ErrorSubject => ({
  kind: "template",
  id,
  actor: folder.api.actor,
  folderId: folder.config.folderId,
});

function refOf(file: DriveFile, date: string): AgendaRef {
  return { id: file.id, url: documentUrl(file.id), date };
}

function getDocument(folder: Folder, id: string): Promise<DocDocument> {
  return about(documentSubject(folder, id), () => folder.api.getDocument(id));
}

/** Reads a document this mode made and tells whether it was finished (see the header). */
async function judge(folder: Folder, file: DriveFile, date: string): Promise<Judged> {
  if (file.appProperties?.[FINISH_PROPERTY] !== FINISH_BY_MARK) return { file, doc: null, finished: true };
  const doc = await getDocument(folder, file.id);
  const finished = pairSections(documentTabs(doc), folder.pairId).some((section) => section.date === date);
  if (!finished) folder.log.warn("google.unfinished_agenda", { fileId: file.id, date });
  return { file, doc, finished };
}

/** Moves a document whose content could not be written to the trash, so the next run starts over. */
async function discard(
  folder: Folder,
  file: DriveFile,
  failure: DestinationError,
): Promise<DestinationError> {
  try {
    await folder.api.trashFile(file.id);
    return new DestinationError(
      `${failure.message}; the incomplete agenda was moved to the trash`,
      failure.retryable,
    );
  } catch {
    folder.log.warn("google.discard_failed", { fileId: file.id });
    return new DestinationError(
      `${failure.message}; the incomplete agenda ${documentUrl(file.id)} could not be moved to the trash: delete it, then run again`,
      false,
    );
  }
}

async function fill(
  folder: Folder,
  file: DriveFile,
  requests: DocsRequest[],
  revision?: string,
): Promise<void> {
  if (requests.length === 0) return;
  try {
    await folder.api.batchUpdate(file.id, { requests, ...underRevision(revision) });
  } catch (error) {
    const failure = toDestinationError(error, documentSubject(folder, file.id));
    // The fill may have been applied without our hearing: the document then holds its mark and the
    // next run takes it; if it was not, the next run finishes it. Trashing it could throw away the
    // agenda. Only a refusal says for sure that the copy is bare and will stay so.
    if (mayHaveApplied(error)) throw failure;
    throw await discard(folder, file, failure);
  }
}

/** Best effort: unfinished copies beyond the one finished are moved to the trash (never taken anyway). */
async function tidy(folder: Folder, extra: readonly Judged[]): Promise<void> {
  for (const { file } of extra) {
    await folder.api.trashFile(file.id).catch(() => {
      // Trashing in a shared drive takes a Content manager; without it the copy stays, never taken.
      folder.log.warn("google.unfinished_left", { fileId: file.id });
    });
  }
}

async function templateOf(folder: Folder): Promise<{ id: string; doc: DocDocument } | null> {
  const templateId = folder.config.templateDocumentId;
  if (templateId === undefined) return null;
  const doc = await about(templateSubject(folder, templateId), () =>
    readTemplate(folder.client, folder.api, templateId),
  );
  return { id: templateId, doc };
}

/** Fills a bare document an earlier run made for this meeting, in one batchUpdate. */
async function finish(
  folder: Folder,
  found: Judged,
  meeting: MeetingRef,
  draft: AgendaDraft,
): Promise<AgendaRef> {
  const doc = found.doc ?? (await getDocument(folder, found.file.id));
  const mark = sectionRangeName(folder.pairId, meeting.date);
  // A bare copy has the template's content (or a person's edits since): its own indices are the ones
  // to write at, whatever the template looks like today.
  const requests =
    folder.config.templateDocumentId === undefined
      ? blankRequests(
          draft.agenda,
          mark,
          documentTabs(doc).every((tab) => hasNoContent(tab.content)),
        )
      : templateRequests(doc, draft, mark);
  await fill(folder, found.file, requests, doc.revisionId);
  folder.log.info("google.unfinished_finished", { fileId: found.file.id, date: meeting.date });
  return refOf(found.file, meeting.date);
}

/** A new agenda: a copy of the template, or a blank document, then filled in one batchUpdate. */
async function makeAgenda(folder: Folder, meeting: MeetingRef, draft: AgendaDraft): Promise<AgendaRef> {
  const { api, config, pairId } = folder;
  const metadata = agendaMetadata(draft, meeting, pairId, config.folderId);
  const mark = sectionRangeName(pairId, meeting.date);
  const template = await templateOf(folder);
  if (template === null) {
    const file = await about(folderSubject(folder), () =>
      api.createFile({ ...metadata, mimeType: GOOGLE_DOC }, FILE_FIELDS),
    );
    await fill(folder, file, blankRequests(draft.agenda, mark));
    return refOf(file, meeting.date);
  }
  const requests = templateRequests(template.doc, draft, mark);
  const file = await about(templateSubject(folder, template.id), () =>
    api.copyFile(template.id, metadata, FILE_FIELDS),
  );
  await fill(folder, file, requests);
  return refOf(file, meeting.date);
}

/** The first bare document an earlier run left for the meeting finished (the others trashed), else a new one. */
async function finishOrMake(
  folder: Folder,
  left: readonly Judged[],
  meeting: MeetingRef,
  draft: AgendaDraft,
): Promise<AgendaRef> {
  const [first, ...extra] = left;
  if (first === undefined) return makeAgenda(folder, meeting, draft);
  const ref = await finish(folder, first, meeting, draft);
  await tidy(folder, extra);
  return ref;
}

/**
 * Names the carried items of the previous agenda that no range named yet (typed by people), before the
 * new agenda is made: the ids the ledger recorded for them come from their words, so the document must
 * be as it was read, or the run fails and a later one reads it again.
 */
async function nameCarried(folder: Folder, doc: DocDocument, requests: DocsRequest[], meeting: MeetingRef) {
  try {
    await folder.api.batchUpdate(doc.documentId, { requests, ...underRevision(doc.revisionId) });
  } catch (error) {
    if (isRevisionConflict(error)) {
      throw new DestinationError(
        `Google document ${doc.documentId} changed while the ${meeting.date} agenda was prepared from it; a later run will retry`,
        true,
      );
    }
    const failure = toDestinationError(error, documentSubject(folder, doc.documentId));
    if (failure.retryable) throw failure;
    // A previous document shared read-only (notes taken over from people) cannot be named: its items
    // keep the ids made from their words, which live sync follows until a person rewords one. The
    // agenda is still made.
    folder.log.warn("google.items_unnamed", { documentId: doc.documentId, error: failure.message });
  }
}

/** The open items a previous agenda carries (not the template's examples), and the ranges they lack. */
async function carriedOf(
  folder: Folder,
  agendaId: string,
  doc: DocDocument,
  roles: readonly CarryRole[],
): Promise<{ open: ReadItems; requests: DocsRequest[] }> {
  const read = readAgenda(partsOf(doc), roles, agendaId);
  // The same read `create` needs (kept per client, see readTemplate): it costs this agenda no extra call.
  const template = await templateOf(folder);
  const open = template === null ? read.open : withoutExamples(read.open, templateExamples(template.doc));
  return { open, requests: unnamedOpenRanges(read, openIds(open)) };
}

/** An agenda read for live sync: a template's own example items are not items. */
async function syncRead(
  folder: Folder,
  agendaId: string,
  doc: DocDocument,
  roles: readonly CarryRole[],
): Promise<AgendaRead> {
  const read = readAgenda(partsOf(doc), roles, agendaId);
  const template = await templateOf(folder);
  if (template === null) return read;
  const open = openIds(withoutExamples(read.open, templateExamples(template.doc)));
  return { ...read, items: read.items.filter((item) => item.block.checked || open.has(item.id)) };
}

/** The folder's listing for `meeting`, sorted (up to MAX_LIST_PAGES pages). */
async function listFolder(folder: Folder, meeting: MeetingRef): Promise<Listing> {
  const { api, config, pairId } = folder;
  // While the Worker has made no agenda for the pair (D1 knows none), the listing takes the whole
  // folder in the same call, so notes the team kept there before can be taken over.
  const wide = meeting.known === undefined || meeting.known.previous === null;
  const q = folderQuery(config.folderId, pairId, wide);
  const listing = emptyListing();
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
    const list = await about(folderSubject(folder), () =>
      api.listFiles({
        q,
        fields: `nextPageToken,incompleteSearch,files(${FILE_FIELDS})`,
        pageSize: 1000,
        ...(pageToken === undefined ? {} : { pageToken }),
      }),
    );
    if (list.incompleteSearch === true)
      folder.log.warn("google.list_incomplete", { folderId: config.folderId });
    sortListing(listing, list.files, { pairId, templateId: config.templateDocumentId }, meeting.date);
    pageToken = list.nextPageToken;
    if (pageToken === undefined) break;
  }
  return listing;
}

/** The meeting's finished agenda among `sameDay`, else the bare ones an earlier run left. */
async function sameDayAgenda(
  folder: Folder,
  sameDay: readonly DriveFile[],
  date: string,
): Promise<{ existing: AgendaRef | null; bare: Judged[] }> {
  const bare: Judged[] = [];
  for (const file of sameDay) {
    const judged = await judge(folder, file, date);
    if (judged.finished) return { existing: refOf(file, date), bare };
    bare.push(judged);
  }
  return { existing: null, bare };
}

/** The newest earlier agenda that was finished (a half-made one has nothing of its meeting in it). */
async function previousAgenda(
  folder: Folder,
  earlier: Listing["earlier"],
): Promise<{ previous: AgendaRef; doc: DocDocument | null } | null> {
  for (const { file, date } of newestFirst(earlier)) {
    const judged = await judge(folder, file, date);
    if (!judged.finished) continue;
    const previous = { ...refOf(file, date), ...(file.name === undefined ? {} : { title: file.name }) };
    return { previous, doc: judged.doc };
  }
  return null;
}

/** No agenda the Worker made came before: the team's own documents did, if their names say when. */
function takenOver(folder: Folder, listing: Listing, date: string): AgendaRef | null {
  const { folderId } = folder.config;
  if (listing.earlier.length === 0 && !listing.shared) {
    const newest = newestHandMade(listing.handMade, date);
    if (newest === null) return null;
    folder.log.info("google.takeover", { folderId, fileId: newest.file.id, date: newest.date });
    return { ...refOf(newest.file, newest.date), title: newest.file.name ?? "", takenOver: true };
  }
  if (listing.shared && listing.handMade.length > 0) {
    folder.log.warn("google.takeover_skipped", { folderId, reason: "folder shared by pairs" });
  }
  return null;
}

/**
 * Live sync's writes for one agenda: when the pass adds items, first the ranges of the items people typed
 * in the other agendas it read (`previous`), then the agenda's own batch.
 */
async function applySyncTo(
  folder: Folder,
  target: { agenda: AgendaRef; doc: DocDocument },
  actions: readonly SyncAction[],
  previous: readonly [string, { doc: DocDocument; roles: readonly CarryRole[] }][],
): Promise<SyncApplied> {
  const { agenda, doc } = target;
  const batch = syncBatch(await syncRead(folder, agenda.id, doc, CARRY_ROLES), actions, agenda.id);
  if (actions.some((action) => action.kind === "add")) {
    for (const [id, read] of previous) {
      const requests = unnamedOpenRanges(await syncRead(folder, id, read.doc, read.roles));
      if (requests.length > 0)
        await writeSyncBatch(folder.api, read.doc, requests, documentSubject(folder, id));
    }
  }
  if (batch.requests.length > 0) {
    await writeSyncBatch(folder.api, doc, batch.requests, documentSubject(folder, agenda.id));
  }
  return batch.applied;
}

/** The doc-per-meeting destination; see the file header. */
export function createDocPerMeetingDestination(options: DocPerMeetingOptions): Destination {
  const { client, config, pairId } = options;
  const api = client.as(config.impersonate);
  const folder: Folder = { client, api, config, pairId, log: options.log ?? silentLogger };
  // What `locate` read, for the `readOpenItems` and `create` of the same meeting: the previous agenda's
  // document, and this meeting's unfinished documents, to finish instead of copying again.
  const readDocs = new Map<string, DocDocument>();
  let unfinished: { date: string; found: Judged[] } | null = null;
  // The previous agenda `readOpenItems` read, and the ranges its carried items still lack (see `create`).
  let carriedFrom: { doc: DocDocument; requests: DocsRequest[] } | null = null;
  // Live sync: each agenda a pass read, by id, for the `applySync` that follows.
  const syncReads = new Map<string, { doc: DocDocument; roles: readonly CarryRole[] }>();

  return {
    /** One Drive change log per acting account, shared with every pair it reaches (see ../changes.ts). */
    changeWatch: async () => createDriveChangeWatch(client, config.impersonate),

    /**
     * One `files.list` (per 1,000 of the pair's agendas in the folder), and one `documents.get` of the
     * previous agenda that `readOpenItems` then uses. A document of this meeting is read too, to tell a
     * finished one from one an earlier run left half-made.
     */
    async locate(meeting: MeetingRef): Promise<Located> {
      const listing = await listFolder(folder, meeting);
      const { existing, bare } = await sameDayAgenda(folder, listing.sameDay, meeting.date);
      unfinished = existing === null && bare.length > 0 ? { date: meeting.date, found: bare } : null;
      readDocs.clear();
      const found = await previousAgenda(folder, listing.earlier);
      if (found !== null && found.doc !== null) readDocs.set(found.previous.id, found.doc);
      return { existing, previous: found?.previous ?? takenOver(folder, listing, meeting.date) };
    },

    /** No call after `locate` read the agenda; one `documents.get` otherwise. */
    async readOpenItems(agenda: AgendaRef, roles: readonly CarryRole[]): Promise<ReadItems> {
      const doc = readDocs.get(agenda.id) ?? (await getDocument(folder, agenda.id));
      readDocs.delete(agenda.id);
      const { open, requests } = await carriedOf(folder, agenda.id, doc, roles);
      carriedFrom = { doc, requests };
      return open;
    },

    /**
     * With a template: `files.copy` and one `documents.batchUpdate` (the template itself read once per
     * run). Without: `files.create` and one `documents.batchUpdate`. A bare document `locate` found for
     * this meeting is finished instead: one `documents.batchUpdate`.
     */
    async create(meeting: MeetingRef, draft: AgendaDraft): Promise<AgendaRef> {
      const left = unfinished?.date === meeting.date ? unfinished.found : [];
      unfinished = null;
      const from = carriedFrom;
      carriedFrom = null;
      if (from !== null && from.requests.length > 0)
        await nameCarried(folder, from.doc, from.requests, meeting);
      return finishOrMake(folder, left, meeting, draft);
    },

    /** Live sync: one `documents.get` of the agenda (and the template, when there is one and its read has expired). */
    async readSyncItems(
      agenda: AgendaRef,
      roles: readonly CarryRole[],
      withChildren: (todoId: string) => boolean = () => false,
    ): Promise<SourceItem[]> {
      const doc = await getDocument(folder, agenda.id);
      syncReads.set(agenda.id, { doc, roles });
      return syncItemsOf(await syncRead(folder, agenda.id, doc, roles), withChildren);
    },

    /**
     * Live sync: one `documents.batchUpdate` of the agenda under the revision the pass read, and, when
     * the pass adds items people typed in the previous agenda, one before it there to name them.
     */
    async applySync(agenda: AgendaRef, actions: readonly SyncAction[]): Promise<SyncApplied> {
      const doc = syncReads.get(agenda.id)?.doc ?? (await getDocument(folder, agenda.id));
      const previous = [...syncReads.entries()].filter(([id]) => id !== agenda.id);
      syncReads.clear();
      return applySyncTo(folder, { agenda, doc }, actions, previous);
    },
  };
}
