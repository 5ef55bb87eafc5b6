// Owns the running-doc mode: one Google Doc per pair, each meeting a section at the top (or a tab of its
// own) wrapped in a named range whose name is the meeting key, so it is found again whatever people do to
// its headings or around it. A whole agenda costs two calls: `locate` reads the document once and the
// following `readOpenItems` and `create` of the same meeting use that copy; `create` writes the section in
// one batchUpdate guarded by the revision it read, so a person's edit in between is never overwritten
// (the batch is refused, the document re-read and the section rebuilt). A tab per meeting costs one more
// batchUpdate: a request cannot name a tab that an earlier request of its batch creates, because tab ids
// are chosen by Google. The same batch names the carried items (see read/items.ts): the previous section's
// items no range names yet, and the copies it writes. Live sync costs a pass one `documents.get` (both
// agendas are sections of this document) and at most one `documents.batchUpdate` (write/sync.ts).
//
// Nothing half-made is taken as an agenda. A section and its named range are written in one batchUpdate,
// applied whole or not at all, so a section is either there, finished, or not there. A tab per meeting
// is made in two: a tab whose content never came (the answer of `addDocumentTab` lost, or the run gone
// right after it) is an empty tab titled for the meeting with no named range. It is never a section, so
// never returned; the next `create` fills it instead of adding another (and removes any second such
// tab in the same batch). If the content's own write fails, the new tab is removed only under the
// revision the tab was added at, so a write that was in fact applied is never undone.
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
import { type ErrorSubject, isRevisionConflict, toDestinationError } from "../api/errors";
import type { DocDocument } from "../api/schemas";
import { createDriveChangeWatch } from "../changes";
import type { RunningDocConfig } from "../config";
import { documentTabs } from "../read/document";
import { readAgenda, unnamedOpenRanges } from "../read/items";
import { sectionTitle } from "../write/compose";
import { syncBatch, syncItemsOf, writeSyncBatch } from "../write/sync";
import {
  agendaPart,
  bareTabs,
  type CarriedFrom,
  carriedRanges,
  createdRef,
  locateIn,
  type RunningDocAt,
  tabSectionRequests,
  topSectionPlan,
  unrangedOpenIds,
} from "./running-doc-steps";
import { about, underRevision } from "./shared";

/** Re-reads after a refused revision before giving up (the first attempt not counted). */
const MAX_REBUILDS = 2;

/** One pair's running doc. */
export interface RunningDocOptions {
  client: GoogleClient;
  config: RunningDocConfig;
  pairId: string;
  log?: Logger;
}

/** What the writes of one pair's running doc act with. */
interface Writer extends RunningDocAt {
  api: GoogleApi;
  log: Logger;
}

/** A meeting to write, and the ranges its batch names first for the previous agenda's carried items. */
interface Write {
  meeting: MeetingRef;
  draft: AgendaDraft;
  /** Computed on the document read; they move nothing, so the indices read hold for what follows. */
  sources: (doc: DocDocument) => DocsRequest[];
}

/** The new section at the top of the pair's sections (or of the first tab), in one batchUpdate. */
async function writeSection(writer: Writer, doc: DocDocument, write: Write): Promise<AgendaRef> {
  const plan = topSectionPlan(writer, doc, write.meeting, write.draft);
  const result = await writer.api.batchUpdate(writer.documentId, {
    requests: [...write.sources(doc), ...plan.requests],
    ...underRevision(doc.revisionId),
  });
  return createdRef(writer.documentId, result.replies, write.meeting, plan.tabId);
}

/** The section in an empty tab, in one batchUpdate guarded by `revision`; `remove`: other bare tabs. */
async function fillTab(
  writer: Writer,
  tabId: string,
  write: Omit<Write, "sources">,
  revision: string | undefined,
  sources: readonly DocsRequest[],
  remove: readonly string[] = [],
): Promise<AgendaRef> {
  const result = await writer.api.batchUpdate(writer.documentId, {
    requests: [
      ...sources,
      ...tabSectionRequests(writer.pairId, tabId, write.meeting, write.draft),
      ...remove.map((id): DocsRequest => ({ deleteTab: { tabId: id } })),
    ],
    ...underRevision(revision),
  });
  const replies = result.replies.slice(0, result.replies.length - remove.length);
  return createdRef(writer.documentId, replies, write.meeting, tabId);
}

/** A new tab first (its id is Google's to choose), then the section in it. */
async function writeTab(writer: Writer, doc: DocDocument, write: Write): Promise<AgendaRef> {
  const { api, documentId, log } = writer;
  const [bare, ...others] = bareTabs(documentTabs(doc), write.meeting.date);
  // Other tabs: adding one moves nothing in them, so the indices read hold for the fill's batch.
  const sources = write.sources(doc);
  if (bare?.tabId !== undefined) {
    log.info("google.tab.bare_filled", { documentId, meeting: write.meeting.key, tabId: bare.tabId });
    const remove = others.flatMap((tab) => (tab.tabId === undefined ? [] : [tab.tabId]));
    return fillTab(writer, bare.tabId, write, doc.revisionId, sources, remove);
  }
  const added = await api.batchUpdate(documentId, {
    requests: [{ addDocumentTab: { tabProperties: { title: sectionTitle(write.meeting.date), index: 0 } } }],
    ...underRevision(doc.revisionId),
  });
  const tabId = added.replies[0]?.addDocumentTab?.tabProperties.tabId;
  if (tabId === undefined) {
    throw new DestinationError(`Google did not say which tab it added to document ${documentId}`, false);
  }
  const revision = added.writeControl?.requiredRevisionId;
  try {
    return await fillTab(writer, tabId, write, revision, sources);
  } catch (error) {
    // An empty tab without its named range is filled by the next run, but need not wait for it: take it
    // away, only if nothing was written since it was added (a lost answer may hide a finished section).
    if (revision !== undefined) {
      await api
        .batchUpdate(documentId, { requests: [{ deleteTab: { tabId } }], ...underRevision(revision) })
        .catch(() => {
          log.warn("google.tab.cleanup_skipped", { documentId, tabId });
        });
    }
    throw error;
  }
}

/**
 * The meeting's section, unless `doc` has it already. A refused revision means a person edited in
 * between: re-read, rebuild, try again, up to twice.
 */
async function writeMeeting(
  writer: Writer & { subject: ErrorSubject; tabPerMeeting: boolean },
  first: DocDocument,
  write: Write,
  read: () => Promise<DocDocument>,
): Promise<AgendaRef> {
  let doc = first;
  for (let rebuild = 0; ; rebuild += 1) {
    const found = locateIn(writer, doc, write.meeting.date).existing;
    if (found !== null) return found;
    try {
      return await (writer.tabPerMeeting ? writeTab(writer, doc, write) : writeSection(writer, doc, write));
    } catch (error) {
      if (!isRevisionConflict(error)) throw toDestinationError(error, writer.subject);
      if (rebuild >= MAX_REBUILDS) {
        throw new DestinationError(
          `Google document ${writer.documentId} kept changing while the ${write.meeting.date} agenda was written; a later run will retry`,
          true,
        );
      }
      writer.log.info("google.revision_conflict", {
        documentId: writer.documentId,
        meeting: write.meeting.key,
        rebuild: rebuild + 1,
      });
      doc = await read();
    }
  }
}

/** Live sync's agendas of one pass: the document read once for both, and each agenda read from it. */
interface SyncRead {
  doc: DocDocument;
  agendas: Map<string, { agenda: AgendaRef; roles: readonly CarryRole[] }>;
}

/**
 * Live sync's requests for `agenda`: the pass's actions, and when it adds items, the ranges of the items
 * people typed in the other agenda the pass read (`cached`), in the same batch.
 */
function syncRequests(
  at: RunningDocAt,
  doc: DocDocument,
  agenda: AgendaRef,
  actions: readonly SyncAction[],
  cached: SyncRead | null,
): { requests: DocsRequest[]; applied: SyncApplied } {
  const target = readAgenda([agendaPart(at, doc, agenda, agenda.date)], CARRY_ROLES, agenda.id);
  const batch = syncBatch(target, actions, agenda.id);
  const adds = actions.some((action) => action.kind === "add");
  const sources = [...(cached?.agendas.values() ?? [])]
    .filter((entry) => adds && entry.agenda.id !== agenda.id)
    .flatMap((entry) =>
      unnamedOpenRanges(
        readAgenda([agendaPart(at, doc, entry.agenda, entry.agenda.date)], entry.roles, entry.agenda.id),
      ),
    );
  return {
    requests: batch.requests.length === 0 ? [] : [...sources, ...batch.requests],
    applied: batch.applied,
  };
}

/** The running-doc destination; see the file header. */
export function createRunningDocDestination(options: RunningDocOptions): Destination {
  const { client, config, pairId } = options;
  const api = client.as(config.impersonate);
  const documentId = config.documentId;
  const subject: ErrorSubject = { kind: "document", id: documentId, actor: api.actor };
  const log = options.log ?? silentLogger;
  const writer = { documentId, pairId, api, log, subject, tabPerMeeting: config.tabPerMeeting };
  // The document as `locate` read it, for the `readOpenItems` and `create` of the same meeting.
  let lastRead: { date: string; doc: DocDocument } | null = null;
  // The previous agenda `readOpenItems` read: `create` names its carried items no range names yet.
  let carriedFrom: CarriedFrom | null = null;
  // Live sync: the document a pass read once for both agendas, and the agendas read from it.
  let syncRead: SyncRead | null = null;
  const read = () => about(subject, () => api.getDocument(documentId));

  return {
    /** One Drive change log per acting account, shared with every pair it reaches (see ../changes.ts). */
    changeWatch: async () => createDriveChangeWatch(client, config.impersonate),

    /** One `documents.get`, kept for the `readOpenItems` and `create` of this meeting. */
    async locate(meeting: MeetingRef): Promise<Located> {
      const doc = await read();
      lastRead = { date: meeting.date, doc };
      return locateIn(writer, doc, meeting.date);
    },

    /** No call after `locate`; one `documents.get` otherwise. */
    async readOpenItems(agenda: AgendaRef, roles: readonly CarryRole[]): Promise<ReadItems> {
      const doc = lastRead?.doc ?? (await read());
      // Year-less headings read against the meeting being prepared, as `locate` read them.
      const reference = lastRead?.date ?? agenda.date;
      const found = readAgenda([agendaPart(writer, doc, agenda, reference)], roles, agenda.id);
      carriedFrom = { agenda, reference, roles, ids: unrangedOpenIds(found) };
      return found.open;
    },

    /** One `documents.batchUpdate` after `locate` (two with a tab per meeting); see writeMeeting. */
    async create(meeting: MeetingRef, draft: AgendaDraft): Promise<AgendaRef> {
      const doc = lastRead?.date === meeting.date ? lastRead.doc : await read();
      lastRead = null;
      const sources = (current: DocDocument) => carriedRanges(writer, current, carriedFrom, meeting);
      return writeMeeting(writer, doc, { meeting, draft, sources }, read);
    },

    /**
     * Live sync: one `documents.get` per pass, for both agendas (sections of this one document): the
     * first agenda a pass reads reads the document, the other takes the same copy.
     */
    async readSyncItems(
      agenda: AgendaRef,
      roles: readonly CarryRole[],
      withChildren: (todoId: string) => boolean = () => false,
    ): Promise<SourceItem[]> {
      if (syncRead === null || syncRead.agendas.has(agenda.id)) {
        syncRead = { doc: await read(), agendas: new Map() };
      }
      syncRead.agendas.set(agenda.id, { agenda, roles });
      const part = agendaPart(writer, syncRead.doc, agenda, agenda.date);
      return syncItemsOf(readAgenda([part], roles, agenda.id), withChildren);
    },

    /**
     * Live sync: one `documents.batchUpdate` under the revision the pass read (none when there is nothing
     * to write). The previous agenda's new items get their ranges in the same batch.
     */
    async applySync(agenda: AgendaRef, actions: readonly SyncAction[]): Promise<SyncApplied> {
      const cached = syncRead?.agendas.has(agenda.id) === true ? syncRead : null;
      syncRead = null;
      const doc = cached?.doc ?? (await read());
      const { requests, applied } = syncRequests(writer, doc, agenda, actions, cached);
      if (requests.length > 0) await writeSyncBatch(api, doc, requests, subject);
      return applied;
    },
  };
}
