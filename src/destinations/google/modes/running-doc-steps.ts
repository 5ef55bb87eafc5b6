// Owns the running-doc mode's reading and planning, pure: where a meeting's section is and which came
// before, an agenda's paragraphs (a section and what people typed below it, or a meeting headed by hand),
// the requests that write a section at the top or into an empty tab, and the agenda a written batch
// names. The mode (running-doc.ts) sends what these plan.
import type { CarryRole } from "../../../domain/agenda";
import type { AgendaDraft, AgendaRef, Located, MeetingRef } from "../../types";
import { DestinationError } from "../../types";
import type { DocsRequest } from "../api/client";
import type { DocDocument } from "../api/schemas";
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

/** Which running doc, and whose sections in it. */
export interface RunningDocAt {
  documentId: string;
  pairId: string;
}

/** Marks the id of a meeting people headed by hand (`documentId#heading=…`), taken over as an agenda. */
const HEADED_MARK = "#heading=";

/** How a headed meeting is named in its agenda id: its heading id, else where it stands. */
function headedKey(meeting: HeadedMeeting): string {
  return meeting.headingId ?? `${meeting.tabId ?? ""}:${meeting.start}`;
}

/** The link to a place in the document: its tab only when there are several. */
function placeUrl(documentId: string, tabs: readonly TabView[], tabId?: string, headingId?: string) {
  return documentUrl(documentId, {
    ...(tabs.length > 1 && tabId !== undefined ? { tabId } : {}),
    ...(headingId === undefined ? {} : { headingId }),
  });
}

/** `sections`: every pair's, so that a section nested in this one is never read as part of it. */
function refOf(
  documentId: string,
  section: SectionRange,
  tabs: readonly TabView[],
  sections: readonly SectionRange[],
): AgendaRef {
  const tab = tabs.find((candidate) => candidate.tabId === section.tabId);
  const headingId = tab === undefined ? undefined : firstHeadingId(sectionParagraphs(tab, section, sections));
  return {
    id: `${documentId}#${section.namedRangeId}`,
    url: placeUrl(documentId, tabs, section.tabId, headingId),
    date: section.date,
  };
}

/** A meeting people headed by hand, taken over as the previous agenda. */
function headedRefOf(documentId: string, meeting: HeadedMeeting, tabs: readonly TabView[]): AgendaRef {
  return {
    id: `${documentId}${HEADED_MARK}${headedKey(meeting)}`,
    url: placeUrl(documentId, tabs, meeting.tabId, meeting.headingId),
    date: meeting.date,
    title: meeting.title,
    takenOver: true,
  };
}

/** The pair's section of `date` in `doc`, and the agenda before it. */
export function locateIn(at: RunningDocAt, doc: DocDocument, date: string): Located {
  const tabs = documentTabs(doc);
  const sections = pairSections(tabs, at.pairId);
  const existing = sections.find((section) => section.date === date);
  const earlier = sections.filter((section) => section.date < date);
  const previous = earlier[earlier.length - 1];
  const every = meetingSections(tabs);
  // No meeting the Worker made came before: the team's own notes did, if they dated their meetings.
  // Not in a doc another pair keeps its meetings in too: nothing tells whose a hand-made section is.
  const alone = every.every((section) => section.pairId === at.pairId);
  const headed =
    previous === undefined && alone ? latestHeadedBefore(headedMeetings(tabs, every, date), date) : null;
  let previousRef: AgendaRef | null = null;
  if (previous !== undefined) previousRef = refOf(at.documentId, previous, tabs, every);
  else if (headed !== null) previousRef = headedRefOf(at.documentId, headed, tabs);
  return {
    existing: existing === undefined ? null : refOf(at.documentId, existing, tabs, every),
    previous: previousRef,
  };
}

/** The paragraphs of a meeting people headed by hand, found again by its heading (or its date). */
function headedParagraphs(documentId: string, doc: DocDocument, agenda: AgendaRef, reference: string) {
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
}

/**
 * An agenda's paragraphs: a section with what people typed below it, or a meeting headed by hand.
 * `reference`: the date year-less headings are read against.
 */
export function agendaPart(
  at: RunningDocAt,
  doc: DocDocument,
  agenda: AgendaRef,
  reference: string,
): AgendaPart {
  if (agenda.id.includes(HEADED_MARK)) return headedParagraphs(at.documentId, doc, agenda, reference);
  const tabs = documentTabs(doc);
  const sections = pairSections(tabs, at.pairId);
  const rangeId = agenda.id.slice(agenda.id.indexOf("#") + 1);
  const section =
    sections.find((candidate) => candidate.namedRangeId === rangeId) ??
    sections.find((candidate) => candidate.date === agenda.date);
  const tab = tabs.find((candidate) => candidate.tabId === section?.tabId);
  if (section === undefined || tab === undefined) {
    // Reading nothing would drop every open item; a later run reads again.
    throw new DestinationError(
      `the ${agenda.date} section of Google document ${at.documentId} is gone (its named range ${sectionRangeName(at.pairId, agenda.date)} was removed)`,
      true,
    );
  }
  const every = meetingSections(tabs);
  // The meeting runs on below its named range, to the next meeting's heading: what people typed
  // under the Worker's last line belongs to it.
  const below = paragraphsToNextMeeting(tab, section.end, headedMeetings(tabs, every, reference), every);
  return { tab, paragraphs: [...sectionParagraphs(tab, section, every), ...below] };
}

/** The previous agenda `readOpenItems` read, and the ids of its open items no range names yet. */
export interface CarriedFrom {
  agenda: AgendaRef;
  reference: string;
  roles: readonly CarryRole[];
  ids: Set<string>;
}

/** The ids of the open items of `agenda` that no range names yet. */
export function unrangedOpenIds(read: ReturnType<typeof readAgenda>): Set<string> {
  return new Set(read.items.filter((item) => !item.ranged && !item.block.checked).map((item) => item.id));
}

/**
 * The ranges that name the previous agenda's carried items no range named yet, at their places in `doc`
 * (the ids the ledger recorded come from their words: an item people changed since is not the same).
 */
export function carriedRanges(
  at: RunningDocAt,
  doc: DocDocument,
  carried: CarriedFrom | null,
  meeting: MeetingRef,
): DocsRequest[] {
  if (carried === null || carried.ids.size === 0) return [];
  const { agenda, reference, roles, ids } = carried;
  const requests = unnamedOpenRanges(
    readAgenda([agendaPart(at, doc, agenda, reference)], roles, agenda.id),
    ids,
  );
  if (requests.length < ids.size) {
    throw new DestinationError(
      `the open items of the ${agenda.date} meeting in Google document ${at.documentId} changed while the ${meeting.date} agenda was written; a later run will retry`,
      true,
    );
  }
  return requests;
}

/** The named range that marks a section (its name the meeting key) over what was written. */
function namedRange(
  pairId: string,
  meeting: MeetingRef,
  start: number,
  length: number,
  tabId: string | undefined,
): DocsRequest {
  return {
    createNamedRange: {
      name: sectionRangeName(pairId, meeting.date),
      range: { startIndex: start, endIndex: start + length, ...(tabId === undefined ? {} : { tabId }) },
    },
  };
}

/** The requests that write a meeting's section at `index` of a tab, its named range last. */
function sectionRequests(
  pairId: string,
  meeting: MeetingRef,
  draft: AgendaDraft,
  tab: Pick<TabView, "tabId" | "dropdownDefinitions">,
  place: { index: number; anchorHasBullet?: boolean; trailingNewline?: boolean },
): DocsRequest[] {
  const status = statusDropdownFor(tab.dropdownDefinitions, tab.tabId);
  const layout = sectionLayout(meeting.date, draft.agenda);
  const plan = insertRequests(layout, {
    ...place,
    ...(tab.tabId === undefined ? {} : { tabId: tab.tabId }),
    status,
  });
  return [
    ...(status.create === null ? [] : [status.create]),
    ...plan.requests,
    ...copyRanges(layout, plan.spans, meeting.key, tab.tabId),
    namedRange(pairId, meeting, place.index, plan.length, tab.tabId),
  ];
}

/**
 * The new section above the topmost of the pair's sections (so a header people keep above them stays
 * on top), or at the top of the first tab; `tabId`: the tab to link to, when there are several.
 */
export function topSectionPlan(
  at: RunningDocAt,
  doc: DocDocument,
  meeting: MeetingRef,
  draft: AgendaDraft,
): { requests: DocsRequest[]; tabId: string | undefined } {
  const tabs = documentTabs(doc);
  const sections = pairSections(tabs, at.pairId);
  const newest = sections[sections.length - 1];
  const tab = tabs.find((candidate) => candidate.tabId === newest?.tabId) ?? tabs[0];
  if (tab === undefined)
    throw new DestinationError(`Google document ${at.documentId} has no tab to write in`, false);
  const inTab = sections.filter((section) => section.tabId === tab.tabId);
  const target =
    inTab.length > 0 ? Math.min(...inTab.map((section) => section.start)) : topIndex(tab.content);
  const anchor = paragraphsOf(tab.content).find((placed) => placed.start <= target && target < placed.end);
  const requests = sectionRequests(at.pairId, meeting, draft, tab, {
    index: anchor?.start ?? target,
    anchorHasBullet: anchor?.paragraph.bullet !== undefined,
  });
  return { requests, tabId: tabs.length > 1 ? tab.tabId : undefined };
}

/** The section written into an empty tab (which has no dropdown definitions), at its very start. */
export function tabSectionRequests(
  pairId: string,
  tabId: string,
  meeting: MeetingRef,
  draft: AgendaDraft,
): DocsRequest[] {
  return sectionRequests(
    pairId,
    meeting,
    draft,
    { tabId, dropdownDefinitions: {} },
    {
      index: 1,
      trailingNewline: false,
    },
  );
}

/** Tabs titled for this meeting with nothing in them: what a tab whose content never came looks like. */
export function bareTabs(tabs: readonly TabView[], date: string): TabView[] {
  return tabs.filter(
    (tab) =>
      tab.tabId !== undefined &&
      tab.title === sectionTitle(date) &&
      Object.keys(tab.namedRanges).length === 0 &&
      hasNoContent(tab.content),
  );
}

/** The agenda a batch wrote: its last reply names the section's range. */
export function createdRef(
  documentId: string,
  replies: readonly { createNamedRange?: { namedRangeId: string } | undefined }[],
  meeting: MeetingRef,
  tabId: string | undefined,
): AgendaRef {
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
}
