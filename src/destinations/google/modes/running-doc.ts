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
import type { DocsRequest, GoogleClient } from "../api/client";
import { type ErrorSubject, isRevisionConflict, toDestinationError } from "../api/errors";
import type { DocDocument } from "../api/schemas";
import { createDriveChangeWatch } from "../changes";
import type { RunningDocConfig } from "../config";
import {
  documentTabs,
  documentUrl,
  firstHeadingId,
  hasNoContent,
  meetingSections,
  pairSections,
  paragraphsOf,
  type SectionRange,
  sectionParagraphs,
  sectionRangeName,
  type TabView,
  topIndex,
} from "../read/document";
import { type AgendaPart, copyRanges, readAgenda, unnamedOpenRanges } from "../read/items";
import {
  type HeadedMeeting,
  headedMeetings,
  latestHeadedBefore,
  paragraphsToNextMeeting,
} from "../read/meetings-by-heading";
import { statusDropdownFor } from "../read/status";
import { sectionLayout, sectionTitle } from "../write/compose";
import { insertRequests } from "../write/requests";
import { syncBatch, syncItemsOf, writeSyncBatch } from "../write/sync";

/** Marks the id of a meeting people headed by hand (`documentId#heading=…`), taken over as an agenda. */
const HEADED_MARK = "#heading=";

/** How a headed meeting is named in its agenda id: its heading id, else where it stands. */
function headedKey(meeting: HeadedMeeting): string {
  return meeting.headingId ?? `${meeting.tabId ?? ""}:${meeting.start}`;
}

/** Re-reads after a refused revision before giving up (the first attempt not counted). */
const MAX_REBUILDS = 2;

/** One pair's running doc. */
export interface RunningDocOptions {
  client: GoogleClient;
  config: RunningDocConfig;
  pairId: string;
  log?: Logger;
}

/** The running-doc destination; see the file header. */
export function createRunningDocDestination(options: RunningDocOptions): Destination {
  const { client, config, pairId } = options;
  const log = options.log ?? silentLogger;
  const api = client.as(config.impersonate);
  const documentId = config.documentId;
  const subject: ErrorSubject = { kind: "document", id: documentId, actor: api.actor };
  // The document as `locate` read it, for the `readOpenItems` and `create` of the same meeting.
  let lastRead: { date: string; doc: DocDocument } | null = null;
  // The previous agenda `readOpenItems` read: `create` names its carried items no range names yet.
  let carriedFrom: {
    agenda: AgendaRef;
    reference: string;
    roles: readonly CarryRole[];
    ids: Set<string>;
  } | null = null;
  // Live sync: the document a pass read once for both agendas, and the agendas read from it.
  let syncRead: {
    doc: DocDocument;
    agendas: Map<string, { agenda: AgendaRef; roles: readonly CarryRole[] }>;
  } | null = null;

  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw toDestinationError(error, subject);
    }
  };
  const read = () => call(() => api.getDocument(documentId));

  const refOf = (
    section: SectionRange,
    tabs: readonly TabView[],
    /** Every pair's sections, so that a section nested in this one is never read as part of it. */
    sections: readonly SectionRange[],
  ): AgendaRef => {
    const tab = tabs.find((candidate) => candidate.tabId === section.tabId);
    const headingId =
      tab === undefined ? undefined : firstHeadingId(sectionParagraphs(tab, section, sections));
    return {
      id: `${documentId}#${section.namedRangeId}`,
      url: documentUrl(documentId, {
        ...(tabs.length > 1 && section.tabId !== undefined ? { tabId: section.tabId } : {}),
        ...(headingId === undefined ? {} : { headingId }),
      }),
      date: section.date,
    };
  };

  /** A meeting people headed by hand, taken over as the previous agenda. */
  const headedRefOf = (meeting: HeadedMeeting, tabs: readonly TabView[]): AgendaRef => ({
    id: `${documentId}${HEADED_MARK}${headedKey(meeting)}`,
    url: documentUrl(documentId, {
      ...(tabs.length > 1 && meeting.tabId !== undefined ? { tabId: meeting.tabId } : {}),
      ...(meeting.headingId === undefined ? {} : { headingId: meeting.headingId }),
    }),
    date: meeting.date,
    title: meeting.title,
    takenOver: true,
  });

  const locateIn = (doc: DocDocument, date: string): Located => {
    const tabs = documentTabs(doc);
    const sections = pairSections(tabs, pairId);
    const existing = sections.find((section) => section.date === date);
    const earlier = sections.filter((section) => section.date < date);
    const previous = earlier[earlier.length - 1];
    const every = meetingSections(tabs);
    // No meeting the Worker made came before: the team's own notes did, if they dated their meetings.
    // Not in a doc another pair keeps its meetings in too: nothing tells whose a hand-made section is.
    const alone = every.every((section) => section.pairId === pairId);
    const headed =
      previous === undefined && alone ? latestHeadedBefore(headedMeetings(tabs, every, date), date) : null;
    let previousRef: AgendaRef | null = null;
    if (previous !== undefined) previousRef = refOf(previous, tabs, every);
    else if (headed !== null) previousRef = headedRefOf(headed, tabs);
    return {
      existing: existing === undefined ? null : refOf(existing, tabs, every),
      previous: previousRef,
    };
  };

  /** The paragraphs of a meeting people headed by hand, found again by its heading (or its date). */
  const headedParagraphs = (doc: DocDocument, agenda: AgendaRef, reference: string) => {
    const tabs = documentTabs(doc);
    const every = meetingSections(tabs);
    const meetings = headedMeetings(tabs, every, reference);
    const wanted = agenda.id.slice(agenda.id.indexOf(HEADED_MARK) + HEADED_MARK.length);
    const meeting =
      meetings.find((candidate) => headedKey(candidate) === wanted) ??
      meetings.find((candidate) => candidate.date === agenda.date);
    const tab = tabs.find((candidate) => candidate.tabId === meeting?.tabId);
    if (meeting === undefined || tab === undefined) {
      // Reading nothing would drop every open item; a later run reads again.
      throw new DestinationError(
        `the ${agenda.date} meeting of Google document ${documentId} is gone (its dated heading was removed or renamed)`,
        true,
      );
    }
    return { tab, paragraphs: paragraphsToNextMeeting(tab, meeting.start, meetings, every, meeting) };
  };

  /** An agenda's paragraphs: a section with what people typed below it, or a meeting headed by hand. */
  const agendaPart = (doc: DocDocument, agenda: AgendaRef, reference: string): AgendaPart => {
    if (agenda.id.includes(HEADED_MARK)) return headedParagraphs(doc, agenda, reference);
    const tabs = documentTabs(doc);
    const sections = pairSections(tabs, pairId);
    const rangeId = agenda.id.slice(agenda.id.indexOf("#") + 1);
    const section =
      sections.find((candidate) => candidate.namedRangeId === rangeId) ??
      sections.find((candidate) => candidate.date === agenda.date);
    const tab = tabs.find((candidate) => candidate.tabId === section?.tabId);
    if (section === undefined || tab === undefined) {
      // Reading nothing would drop every open item; a later run reads again.
      throw new DestinationError(
        `the ${agenda.date} section of Google document ${documentId} is gone (its named range ${sectionRangeName(pairId, agenda.date)} was removed)`,
        true,
      );
    }
    const every = meetingSections(tabs);
    // The meeting runs on below its named range, to the next meeting's heading: what people typed
    // under the Worker's last line belongs to it.
    const below = paragraphsToNextMeeting(tab, section.end, headedMeetings(tabs, every, reference), every);
    return { tab, paragraphs: [...sectionParagraphs(tab, section, every), ...below] };
  };

  /**
   * The ranges that name the previous agenda's carried items no range named yet, at their places in `doc`
   * (the ids the ledger recorded come from their words: an item people changed since is not the same).
   */
  const sourceRanges = (doc: DocDocument, meeting: MeetingRef): DocsRequest[] => {
    if (carriedFrom === null || carriedFrom.ids.size === 0) return [];
    const { agenda, reference, roles, ids } = carriedFrom;
    const requests = unnamedOpenRanges(
      readAgenda([agendaPart(doc, agenda, reference)], roles, agenda.id),
      ids,
    );
    if (requests.length < ids.size) {
      throw new DestinationError(
        `the open items of the ${agenda.date} meeting in Google document ${documentId} changed while the ${meeting.date} agenda was written; a later run will retry`,
        true,
      );
    }
    return requests;
  };

  /** The new section at the top of the pair's sections (or of the first tab), in one batchUpdate. */
  const writeSection = async (
    doc: DocDocument,
    meeting: MeetingRef,
    draft: AgendaDraft,
  ): Promise<AgendaRef> => {
    const tabs = documentTabs(doc);
    const sections = pairSections(tabs, pairId);
    // Above the topmost of the pair's sections, so a header people keep above them stays on top.
    const newest = sections[sections.length - 1];
    const tab = tabs.find((candidate) => candidate.tabId === newest?.tabId) ?? tabs[0];
    if (tab === undefined)
      throw new DestinationError(`Google document ${documentId} has no tab to write in`, false);
    const inTab = sections.filter((section) => section.tabId === tab.tabId);
    const paragraphs = paragraphsOf(tab.content);
    const target =
      inTab.length > 0 ? Math.min(...inTab.map((section) => section.start)) : topIndex(tab.content);
    const anchor = paragraphs.find((placed) => placed.start <= target && target < placed.end);
    const index = anchor?.start ?? target;
    const status = statusDropdownFor(tab.dropdownDefinitions, tab.tabId);
    const layout = sectionLayout(meeting.date, draft.agenda);
    const plan = insertRequests(layout, {
      index,
      ...(tab.tabId === undefined ? {} : { tabId: tab.tabId }),
      anchorHasBullet: anchor?.paragraph.bullet !== undefined,
      status,
    });
    // The carried items' ranges first (they move nothing, so the indices read hold), then the section.
    const requests: DocsRequest[] = [
      ...sourceRanges(doc, meeting),
      ...(status.create === null ? [] : [status.create]),
      ...plan.requests,
      ...copyRanges(layout, plan.spans, meeting.key, tab.tabId),
      namedRange(meeting, index, plan.length, tab.tabId),
    ];
    const result = await api.batchUpdate(documentId, {
      requests,
      ...(doc.revisionId === undefined ? {} : { writeControl: { requiredRevisionId: doc.revisionId } }),
    });
    return created(result.replies, meeting, tabs.length > 1 ? tab.tabId : undefined);
  };

  /** Tabs titled for this meeting with nothing in them: what a tab whose content never came looks like. */
  const bareTabs = (tabs: readonly TabView[], date: string): TabView[] =>
    tabs.filter(
      (tab) =>
        tab.tabId !== undefined &&
        tab.title === sectionTitle(date) &&
        Object.keys(tab.namedRanges).length === 0 &&
        hasNoContent(tab.content),
    );

  /** The section in an empty tab, in one batchUpdate guarded by `revision`; `remove`: other bare tabs. */
  const fillTab = async (
    tabId: string,
    meeting: MeetingRef,
    draft: AgendaDraft,
    revision: string | undefined,
    sources: readonly DocsRequest[],
    remove: readonly string[] = [],
  ): Promise<AgendaRef> => {
    // An empty tab has no dropdown definitions.
    const status = statusDropdownFor({}, tabId);
    const layout = sectionLayout(meeting.date, draft.agenda);
    const plan = insertRequests(layout, {
      index: 1,
      tabId,
      trailingNewline: false,
      status,
    });
    const result = await api.batchUpdate(documentId, {
      requests: [
        ...sources,
        ...(status.create === null ? [] : [status.create]),
        ...plan.requests,
        ...copyRanges(layout, plan.spans, meeting.key, tabId),
        namedRange(meeting, 1, plan.length, tabId),
        ...remove.map((id): DocsRequest => ({ deleteTab: { tabId: id } })),
      ],
      ...(revision === undefined ? {} : { writeControl: { requiredRevisionId: revision } }),
    });
    return created(result.replies.slice(0, result.replies.length - remove.length), meeting, tabId);
  };

  /** A new tab first (its id is Google's to choose), then the section in it. */
  const writeTab = async (doc: DocDocument, meeting: MeetingRef, draft: AgendaDraft): Promise<AgendaRef> => {
    const [bare, ...others] = bareTabs(documentTabs(doc), meeting.date);
    // Other tabs: adding one moves nothing in them, so the indices read hold for the fill's batch.
    const sources = sourceRanges(doc, meeting);
    if (bare?.tabId !== undefined) {
      log.info("google.tab.bare_filled", { documentId, meeting: meeting.key, tabId: bare.tabId });
      return fillTab(
        bare.tabId,
        meeting,
        draft,
        doc.revisionId,
        sources,
        others.flatMap((tab) => (tab.tabId === undefined ? [] : [tab.tabId])),
      );
    }
    const added = await api.batchUpdate(documentId, {
      requests: [{ addDocumentTab: { tabProperties: { title: sectionTitle(meeting.date), index: 0 } } }],
      ...(doc.revisionId === undefined ? {} : { writeControl: { requiredRevisionId: doc.revisionId } }),
    });
    const tabId = added.replies[0]?.addDocumentTab?.tabProperties.tabId;
    if (tabId === undefined) {
      throw new DestinationError(`Google did not say which tab it added to document ${documentId}`, false);
    }
    const revision = added.writeControl?.requiredRevisionId;
    try {
      return await fillTab(tabId, meeting, draft, revision, sources);
    } catch (error) {
      // An empty tab without its named range is filled by the next run, but need not wait for it: take it
      // away, only if nothing was written since it was added (a lost answer may hide a finished section).
      if (revision !== undefined) {
        await api
          .batchUpdate(documentId, {
            requests: [{ deleteTab: { tabId } }],
            writeControl: { requiredRevisionId: revision },
          })
          .catch(() => {
            log.warn("google.tab.cleanup_skipped", { documentId, tabId });
          });
      }
      throw error;
    }
  };

  const namedRange = (
    meeting: MeetingRef,
    start: number,
    length: number,
    tabId: string | undefined,
  ): DocsRequest => ({
    createNamedRange: {
      name: sectionRangeName(pairId, meeting.date),
      range: { startIndex: start, endIndex: start + length, ...(tabId === undefined ? {} : { tabId }) },
    },
  });

  const created = (
    replies: readonly { createNamedRange?: { namedRangeId: string } | undefined }[],
    meeting: MeetingRef,
    tabId: string | undefined,
  ): AgendaRef => {
    const rangeId = replies[replies.length - 1]?.createNamedRange?.namedRangeId;
    if (rangeId === undefined) {
      throw new DestinationError(
        `Google did not return the named range of ${meeting.key} in ${documentId}`,
        false,
      );
    }
    return {
      id: `${documentId}#${rangeId}`,
      url: documentUrl(documentId, tabId === undefined ? {} : { tabId }),
      date: meeting.date,
    };
  };

  return {
    /** One Drive change log per acting account, shared with every pair it reaches (see ../changes.ts). */
    changeWatch: async () => createDriveChangeWatch(client, config.impersonate),

    /** One `documents.get`, kept for the `readOpenItems` and `create` of this meeting. */
    async locate(meeting: MeetingRef): Promise<Located> {
      const doc = await read();
      lastRead = { date: meeting.date, doc };
      return locateIn(doc, meeting.date);
    },

    /** No call after `locate`; one `documents.get` otherwise. */
    async readOpenItems(agenda: AgendaRef, roles: readonly CarryRole[]): Promise<ReadItems> {
      const doc = lastRead?.doc ?? (await read());
      // Year-less headings read against the meeting being prepared, as `locate` read them.
      const reference = lastRead?.date ?? agenda.date;
      const found = readAgenda([agendaPart(doc, agenda, reference)], roles, agenda.id);
      const ids = new Set(
        found.items.filter((item) => !item.ranged && !item.block.checked).map((item) => item.id),
      );
      carriedFrom = { agenda, reference, roles, ids };
      return found.open;
    },

    /**
     * One `documents.batchUpdate` after `locate` (two with a tab per meeting). A refused revision means a
     * person edited in between: re-read, rebuild, try again, up to twice.
     */
    async create(meeting: MeetingRef, draft: AgendaDraft): Promise<AgendaRef> {
      let doc = lastRead?.date === meeting.date ? lastRead.doc : await read();
      lastRead = null;
      for (let rebuild = 0; ; rebuild += 1) {
        const found = locateIn(doc, meeting.date).existing;
        if (found !== null) return found;
        try {
          return await (config.tabPerMeeting
            ? writeTab(doc, meeting, draft)
            : writeSection(doc, meeting, draft));
        } catch (error) {
          if (!isRevisionConflict(error)) throw toDestinationError(error, subject);
          if (rebuild >= MAX_REBUILDS) {
            throw new DestinationError(
              `Google document ${documentId} kept changing while the ${meeting.date} agenda was written; a later run will retry`,
              true,
            );
          }
          log.info("google.revision_conflict", { documentId, meeting: meeting.key, rebuild: rebuild + 1 });
          doc = await read();
        }
      }
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
      return syncItemsOf(
        readAgenda([agendaPart(syncRead.doc, agenda, agenda.date)], roles, agenda.id),
        withChildren,
      );
    },

    /**
     * Live sync: one `documents.batchUpdate` under the revision the pass read (none when there is nothing
     * to write). The previous agenda's new items get their ranges in the same batch.
     */
    async applySync(agenda: AgendaRef, actions: readonly SyncAction[]): Promise<SyncApplied> {
      const cached = syncRead?.agendas.has(agenda.id) === true ? syncRead : null;
      syncRead = null;
      const doc = cached?.doc ?? (await read());
      const target = readAgenda([agendaPart(doc, agenda, agenda.date)], CARRY_ROLES, agenda.id);
      const batch = syncBatch(target, actions, agenda.id);
      const adds = actions.some((action) => action.kind === "add");
      const sources = [...(cached?.agendas.values() ?? [])]
        .filter((entry) => adds && entry.agenda.id !== agenda.id)
        .flatMap((entry) =>
          unnamedOpenRanges(
            readAgenda([agendaPart(doc, entry.agenda, entry.agenda.date)], entry.roles, entry.agenda.id),
          ),
        );
      if (batch.requests.length === 0) return batch.applied;
      await writeSyncBatch(api, doc, [...sources, ...batch.requests], subject);
      return batch.applied;
    },
  };
}
