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
import { dateInTitle, numericOrderOf } from "../read/dated";
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

const GOOGLE_DOC = "application/vnd.google-apps.document";
const PAIR_PROPERTY = "oneOnOnePair";
const DATE_PROPERTY = "oneOnOneDate";
/** Set at copy time: the document is finished once it holds its completion mark (see the header). */
const FINISH_PROPERTY = "oneOnOneFinish";
const FINISH_BY_MARK = "namedRange";
const FILE_FIELDS = "id,name,appProperties,webViewLink";
const DATE = /^\d{4}-\d{2}-\d{2}$/;
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

/** A Drive query string literal. */
function quoted(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
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

/** The doc-per-meeting destination; see the file header. */
export function createDocPerMeetingDestination(options: DocPerMeetingOptions): Destination {
  const { client, config, pairId } = options;
  const log = options.log ?? silentLogger;
  const api = client.as(config.impersonate);
  const folderSubject: ErrorSubject = { kind: "folder", id: config.folderId, actor: api.actor };
  // What `locate` read, for the `readOpenItems` and `create` of the same meeting: the previous agenda's
  // document, and this meeting's unfinished documents, to finish instead of copying again.
  const readDocs = new Map<string, DocDocument>();
  let unfinished: { date: string; found: Judged[] } | null = null;
  // The previous agenda `readOpenItems` read, and the ranges its carried items still lack (see `create`).
  let carriedFrom: { doc: DocDocument; requests: DocsRequest[] } | null = null;
  // Live sync: each agenda a pass read, by id, for the `applySync` that follows.
  const syncReads = new Map<string, { doc: DocDocument; roles: readonly CarryRole[] }>();

  const call = async <T>(subject: ErrorSubject, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw toDestinationError(error, subject);
    }
  };

  const templateSubjectOf = (id: string): ErrorSubject => ({
    kind: "template",
    id,
    actor: api.actor,
    folderId: config.folderId,
  });

  const documentSubject = (id: string): ErrorSubject => ({ kind: "document", id, actor: api.actor });

  const refOf = (file: DriveFile, date: string): AgendaRef => ({
    id: file.id,
    url: documentUrl(file.id),
    date,
  });

  /** Reads a document this mode made and tells whether it was finished (see the header). */
  const judge = async (file: DriveFile, date: string): Promise<Judged> => {
    if (file.appProperties?.[FINISH_PROPERTY] !== FINISH_BY_MARK) return { file, doc: null, finished: true };
    const doc = await call(documentSubject(file.id), () => api.getDocument(file.id));
    const finished = pairSections(documentTabs(doc), pairId).some((section) => section.date === date);
    if (!finished) log.warn("google.unfinished_agenda", { fileId: file.id, date });
    return { file, doc, finished };
  };

  /** Moves a document whose content could not be written to the trash, so the next run starts over. */
  const discard = async (file: DriveFile, failure: DestinationError): Promise<DestinationError> => {
    try {
      await api.trashFile(file.id);
      return new DestinationError(
        `${failure.message}; the incomplete agenda was moved to the trash`,
        failure.retryable,
      );
    } catch {
      log.warn("google.discard_failed", { fileId: file.id });
      return new DestinationError(
        `${failure.message}; the incomplete agenda ${documentUrl(file.id)} could not be moved to the trash: delete it, then run again`,
        false,
      );
    }
  };

  const fill = async (file: DriveFile, requests: DocsRequest[], revision?: string): Promise<void> => {
    if (requests.length === 0) return;
    try {
      await api.batchUpdate(file.id, {
        requests,
        ...(revision === undefined ? {} : { writeControl: { requiredRevisionId: revision } }),
      });
    } catch (error) {
      const failure = toDestinationError(error, documentSubject(file.id));
      // The fill may have been applied without our hearing: the document then holds its mark and the
      // next run takes it; if it was not, the next run finishes it. Trashing it could throw away the
      // agenda. Only a refusal says for sure that the copy is bare and will stay so.
      if (mayHaveApplied(error)) throw failure;
      throw await discard(file, failure);
    }
  };

  /** Best effort: unfinished copies beyond the one finished are moved to the trash (never taken anyway). */
  const tidy = async (extra: readonly Judged[]): Promise<void> => {
    for (const { file } of extra) {
      await api.trashFile(file.id).catch(() => {
        // Trashing in a shared drive takes a Content manager; without it the copy stays, never taken.
        log.warn("google.unfinished_left", { fileId: file.id });
      });
    }
  };

  const templateOf = async (): Promise<{ id: string; doc: DocDocument } | null> => {
    const templateId = config.templateDocumentId;
    if (templateId === undefined) return null;
    const doc = await call(templateSubjectOf(templateId), () => readTemplate(client, api, templateId));
    return { id: templateId, doc };
  };

  /** Fills a bare document an earlier run made for this meeting, in one batchUpdate. */
  const finish = async (found: Judged, meeting: MeetingRef, draft: AgendaDraft): Promise<AgendaRef> => {
    const doc =
      found.doc ?? (await call(documentSubject(found.file.id), () => api.getDocument(found.file.id)));
    const mark = sectionRangeName(pairId, meeting.date);
    // A bare copy has the template's content (or a person's edits since): its own indices are the ones
    // to write at, whatever the template looks like today.
    const requests =
      config.templateDocumentId === undefined
        ? blankRequests(
            draft.agenda,
            mark,
            documentTabs(doc).every((tab) => hasNoContent(tab.content)),
          )
        : templateRequests(doc, draft, mark);
    await fill(found.file, requests, doc.revisionId);
    log.info("google.unfinished_finished", { fileId: found.file.id, date: meeting.date });
    return refOf(found.file, meeting.date);
  };

  /**
   * Names the carried items of the previous agenda that no range named yet (typed by people), before the
   * new agenda is made: the ids the ledger recorded for them come from their words, so the document must
   * be as it was read, or the run fails and a later one reads it again.
   */
  const nameCarried = async (doc: DocDocument, requests: DocsRequest[], meeting: MeetingRef) => {
    try {
      await api.batchUpdate(doc.documentId, {
        requests,
        ...(doc.revisionId === undefined ? {} : { writeControl: { requiredRevisionId: doc.revisionId } }),
      });
    } catch (error) {
      if (isRevisionConflict(error)) {
        throw new DestinationError(
          `Google document ${doc.documentId} changed while the ${meeting.date} agenda was prepared from it; a later run will retry`,
          true,
        );
      }
      const failure = toDestinationError(error, documentSubject(doc.documentId));
      if (failure.retryable) throw failure;
      // A previous document shared read-only (notes taken over from people) cannot be named: its items
      // keep the ids made from their words, which live sync follows until a person rewords one. The
      // agenda is still made.
      log.warn("google.items_unnamed", { documentId: doc.documentId, error: failure.message });
    }
  };

  /** An agenda read for live sync: a template's own example items are not items. */
  const syncRead = async (
    agendaId: string,
    doc: DocDocument,
    roles: readonly CarryRole[],
  ): Promise<AgendaRead> => {
    const read = readAgenda(partsOf(doc), roles, agendaId);
    const template = await templateOf();
    if (template === null) return read;
    const examples = templateExamples(template.doc);
    const kept = withoutExamples(read.open, examples);
    const open = new Set(
      [...kept.actions, ...kept.discussion, ...kept.parked].flatMap((item) => item.id ?? []),
    );
    return { ...read, items: read.items.filter((item) => item.block.checked || open.has(item.id)) };
  };

  /**
   * The newest of the documents people made (no app property of this app) with a date in its name
   * earlier than `date`, or null.
   */
  const handMadeBefore = (files: readonly DriveFile[], date: string): AgendaRef | null => {
    const order = numericOrderOf(files.map((file) => file.name ?? ""));
    let newest: { file: DriveFile; date: string } | null = null;
    for (const file of files) {
      const found = dateInTitle(file.name ?? "", date, order);
      if (found !== null && found < date && (newest === null || found > newest.date))
        newest = { file, date: found };
    }
    if (newest === null) return null;
    log.info("google.takeover", { folderId: config.folderId, fileId: newest.file.id, date: newest.date });
    return { ...refOf(newest.file, newest.date), title: newest.file.name ?? "", takenOver: true };
  };

  return {
    /** One Drive change log per acting account, shared with every pair it reaches (see ../changes.ts). */
    changeWatch: async () => createDriveChangeWatch(client, config.impersonate),

    /**
     * One `files.list` (per 1,000 of the pair's agendas in the folder), and one `documents.get` of the
     * previous agenda that `readOpenItems` then uses. A document of this meeting is read too, to tell a
     * finished one from one an earlier run left half-made.
     */
    async locate(meeting: MeetingRef): Promise<Located> {
      // While the Worker has made no agenda for the pair (D1 knows none), the listing takes the whole
      // folder in the same call, so notes the team kept there before can be taken over.
      const wide = meeting.known === undefined || meeting.known.previous === null;
      const q = [
        `${quoted(config.folderId)} in parents`,
        "trashed = false",
        `mimeType = ${quoted(GOOGLE_DOC)}`,
        ...(wide ? [] : [`appProperties has { key=${quoted(PAIR_PROPERTY)} and value=${quoted(pairId)} }`]),
      ].join(" and ");
      const sameDay: DriveFile[] = [];
      const earlier: { file: DriveFile; date: string }[] = [];
      const handMade: DriveFile[] = [];
      // Another pair's agendas here: nothing tells whose a hand-made document is, so none is taken.
      let shared = false;
      let pageToken: string | undefined;
      for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
        const list = await call(folderSubject, () =>
          api.listFiles({
            q,
            fields: `nextPageToken,incompleteSearch,files(${FILE_FIELDS})`,
            pageSize: 1000,
            ...(pageToken === undefined ? {} : { pageToken }),
          }),
        );
        if (list.incompleteSearch === true) log.warn("google.list_incomplete", { folderId: config.folderId });
        for (const file of list.files) {
          const owner = file.appProperties?.[PAIR_PROPERTY];
          if (owner === undefined && file.id !== config.templateDocumentId && file.name !== undefined) {
            handMade.push(file);
          }
          if (owner !== undefined && owner !== pairId) shared = true;
          // A document is taken as the pair's agenda only if it says so itself.
          if (owner !== pairId) continue;
          const date = file.appProperties?.[DATE_PROPERTY];
          if (date === undefined || !DATE.test(date) || date > meeting.date) continue;
          if (date === meeting.date) sameDay.push(file);
          else earlier.push({ file, date });
        }
        pageToken = list.nextPageToken;
        if (pageToken === undefined) break;
      }

      let existing: AgendaRef | null = null;
      const bare: Judged[] = [];
      for (const file of sameDay) {
        const judged = await judge(file, meeting.date);
        if (judged.finished) {
          existing = refOf(file, meeting.date);
          break;
        }
        bare.push(judged);
      }
      unfinished = existing === null && bare.length > 0 ? { date: meeting.date, found: bare } : null;

      // The newest earlier agenda that was finished; a half-made one has nothing of its meeting in it.
      let previous: AgendaRef | null = null;
      readDocs.clear();
      earlier.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
      for (const { file, date } of earlier) {
        const judged = await judge(file, date);
        if (!judged.finished) continue;
        if (judged.doc !== null) readDocs.set(file.id, judged.doc);
        previous = { ...refOf(file, date), ...(file.name === undefined ? {} : { title: file.name }) };
        break;
      }
      // No agenda the Worker made came before: the team's own documents did, if their names say when.
      if (previous === null && earlier.length === 0 && !shared)
        previous = handMadeBefore(handMade, meeting.date);
      else if (previous === null && shared && handMade.length > 0) {
        log.warn("google.takeover_skipped", { folderId: config.folderId, reason: "folder shared by pairs" });
      }
      return { existing, previous };
    },

    /** No call after `locate` read the agenda; one `documents.get` otherwise. */
    async readOpenItems(agenda: AgendaRef, roles: readonly CarryRole[]): Promise<ReadItems> {
      const doc =
        readDocs.get(agenda.id) ?? (await call(documentSubject(agenda.id), () => api.getDocument(agenda.id)));
      readDocs.delete(agenda.id);
      const read = readAgenda(partsOf(doc), roles, agenda.id);
      // The same read `create` needs (kept per client, see readTemplate): it costs this agenda no extra call.
      const template = await templateOf();
      const open = template === null ? read.open : withoutExamples(read.open, templateExamples(template.doc));
      const carried = new Set(
        [...open.actions, ...open.discussion, ...open.parked].flatMap((item) => item.id ?? []),
      );
      carriedFrom = { doc, requests: unnamedOpenRanges(read, carried) };
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
      if (from !== null && from.requests.length > 0) await nameCarried(from.doc, from.requests, meeting);
      const [first, ...extra] = left;
      if (first !== undefined) {
        const ref = await finish(first, meeting, draft);
        await tidy(extra);
        return ref;
      }
      const metadata = {
        name: draft.agenda.title === "" ? `1:1 · ${meeting.date}` : draft.agenda.title,
        parents: [config.folderId],
        appProperties: {
          [PAIR_PROPERTY]: pairId,
          [DATE_PROPERTY]: meeting.date,
          [FINISH_PROPERTY]: FINISH_BY_MARK,
        },
      };
      const mark = sectionRangeName(pairId, meeting.date);
      const template = await templateOf();
      if (template === null) {
        const file = await call(folderSubject, () =>
          api.createFile({ ...metadata, mimeType: GOOGLE_DOC }, FILE_FIELDS),
        );
        await fill(file, blankRequests(draft.agenda, mark));
        return refOf(file, meeting.date);
      }
      const requests = templateRequests(template.doc, draft, mark);
      const file = await call(templateSubjectOf(template.id), () =>
        api.copyFile(template.id, metadata, FILE_FIELDS),
      );
      await fill(file, requests);
      return refOf(file, meeting.date);
    },

    /** Live sync: one `documents.get` of the agenda (and the template, when there is one and its read has expired). */
    async readSyncItems(
      agenda: AgendaRef,
      roles: readonly CarryRole[],
      withChildren: (todoId: string) => boolean = () => false,
    ): Promise<SourceItem[]> {
      const doc = await call(documentSubject(agenda.id), () => api.getDocument(agenda.id));
      syncReads.set(agenda.id, { doc, roles });
      return syncItemsOf(await syncRead(agenda.id, doc, roles), withChildren);
    },

    /**
     * Live sync: one `documents.batchUpdate` of the agenda under the revision the pass read, and, when
     * the pass adds items people typed in the previous agenda, one before it there to name them.
     */
    async applySync(agenda: AgendaRef, actions: readonly SyncAction[]): Promise<SyncApplied> {
      const subject = documentSubject(agenda.id);
      const doc = syncReads.get(agenda.id)?.doc ?? (await call(subject, () => api.getDocument(agenda.id)));
      const previous = [...syncReads.entries()].filter(([id]) => id !== agenda.id);
      syncReads.clear();
      const batch = syncBatch(await syncRead(agenda.id, doc, CARRY_ROLES), actions, agenda.id);
      if (actions.some((action) => action.kind === "add")) {
        for (const [id, read] of previous) {
          const requests = unnamedOpenRanges(await syncRead(id, read.doc, read.roles));
          if (requests.length > 0) await writeSyncBatch(api, read.doc, requests, documentSubject(id));
        }
      }
      if (batch.requests.length > 0) await writeSyncBatch(api, doc, batch.requests, subject);
      return batch.applied;
    },
  };
}
