// Owns the meetings of a running doc as people see them: a meeting starts at a heading that names its
// date ("Dec 1, 2026", "🗓️ Tuesday 1 Dec", a date chip) and runs to the next meeting's heading. Used
// twice: to take over a doc people kept by hand before the Worker came (its newest dated section is the
// previous agenda), and to give a section the Worker made what people typed just below its named range
// (the range ends where the Worker stopped writing; the meeting ends where the next one starts).

import type { DocParagraph } from "../api/schemas";
import { dateInTitle, numericOrderOf } from "./dated";
import { type PlacedParagraph, paragraphsOf, type SectionRange, type TabView } from "./document";
import { dateOfChip } from "./to-model";

/** A meeting people headed with its date, outside every section the Worker made. */
export interface HeadedMeeting {
  tabId: string | undefined;
  date: string;
  /** The heading's words, as people see them. */
  title: string;
  headingId: string | undefined;
  /** Where the heading paragraph starts. */
  start: number;
}

/** How prominent a named style is: 0 for a title, n for HEADING_n; null for body text. */
function rankOf(namedStyleType: string | undefined): number | null {
  if (namedStyleType === "TITLE") return 0;
  if (namedStyleType === "SUBTITLE") return 1;
  const level = /^HEADING_(\d)$/.exec(namedStyleType ?? "")?.[1];
  return level === undefined ? null : Number(level);
}

/** A heading's words (chips as they show), and the date of a date chip in it, if any. */
function headingOf(paragraph: DocParagraph): { title: string; chipDate: string | null } {
  let title = "";
  let chipDate: string | null = null;
  for (const element of paragraph.elements) {
    if (element.textRun !== undefined) title += element.textRun.content;
    else if (element.dateElement !== undefined) {
      const properties = element.dateElement.dateElementProperties ?? {};
      chipDate ??= dateOfChip(properties);
      title += properties.displayText ?? chipDate ?? "";
    } else if (element.person !== undefined) {
      title += element.person.personProperties.name ?? element.person.personProperties.email;
    } else if (element.richLink !== undefined) {
      title += element.richLink.richLinkProperties?.title ?? "";
    }
  }
  return { title: title.replace(/\s+/gu, " ").trim(), chipDate };
}

function inside(placed: PlacedParagraph, tab: TabView, sections: readonly SectionRange[]): boolean {
  return sections.some(
    (section) => section.tabId === tab.tabId && placed.start >= section.start && placed.start < section.end,
  );
}

/**
 * The meetings people headed with a date, in every tab, in document order: the dated headings outside
 * the Worker's sections (`sections`: every pair's) at the most prominent level such headings have in
 * their tab, so a dated sub-heading inside a meeting ("Follow-ups for Dec 15") does not end it. A date
 * without a year is the latest on or before `reference`; numeric dates read as the doc writes them.
 */
export function headedMeetings(
  tabs: readonly TabView[],
  sections: readonly SectionRange[],
  reference: string,
): HeadedMeeting[] {
  const found: {
    tab: TabView;
    placed: PlacedParagraph;
    rank: number;
    title: string;
    chipDate: string | null;
  }[] = [];
  for (const tab of tabs) {
    for (const placed of paragraphsOf(tab.content)) {
      const rank = rankOf(placed.paragraph.paragraphStyle?.namedStyleType);
      if (rank === null || inside(placed, tab, sections)) continue;
      const { title, chipDate } = headingOf(placed.paragraph);
      if (title !== "" || chipDate !== null) found.push({ tab, placed, rank, title, chipDate });
    }
  }
  const order = numericOrderOf(found.map((heading) => heading.title));
  const dated = found.flatMap((heading) => {
    const date = heading.chipDate ?? dateInTitle(heading.title, reference, order);
    return date === null ? [] : [{ ...heading, date }];
  });
  const topRank = new Map<string | undefined, number>();
  for (const heading of dated) {
    topRank.set(heading.tab.tabId, Math.min(topRank.get(heading.tab.tabId) ?? heading.rank, heading.rank));
  }
  return dated
    .filter((heading) => heading.rank === topRank.get(heading.tab.tabId))
    .map((heading) => ({
      tabId: heading.tab.tabId,
      date: heading.date,
      title: heading.title,
      headingId: heading.placed.paragraph.paragraphStyle?.headingId,
      start: heading.placed.start,
    }));
}

/** The newest headed meeting dated before `date` (the first in the doc when two share a date), or null. */
export function latestHeadedBefore(meetings: readonly HeadedMeeting[], date: string): HeadedMeeting | null {
  let latest: HeadedMeeting | null = null;
  for (const meeting of meetings) {
    if (meeting.date < date && (latest === null || meeting.date > latest.date)) latest = meeting;
  }
  return latest;
}

/**
 * The paragraphs of `tab` from `from` up to where the next meeting starts: the next headed meeting (not
 * `own`, the one that starts at `from`), or the next section the Worker made (any pair's), or the end
 * of the tab.
 */
export function paragraphsToNextMeeting(
  tab: TabView,
  from: number,
  meetings: readonly HeadedMeeting[],
  sections: readonly SectionRange[],
  own: HeadedMeeting | null = null,
): PlacedParagraph[] {
  const starts = [
    ...meetings
      .filter((meeting) => meeting.tabId === tab.tabId && meeting !== own)
      .map((meeting) => meeting.start),
    ...sections.filter((section) => section.tabId === tab.tabId).map((section) => section.start),
  ].filter((start) => start >= from);
  const end = Math.min(Number.POSITIVE_INFINITY, ...starts);
  return paragraphsOf(tab.content).filter((placed) => placed.start >= from && placed.start < end);
}
