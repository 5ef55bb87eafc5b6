// Google Chat incoming-webhook payload for the weekly roll-up: a one-line `text` (notification and
// fallback) and a Cards v2 card with a section per report (its name as the section header, the last
// agenda link and summary, its items). Escaping, widget types and limits are ./digest.ts's. Pure;
// the sender only POSTs it.
import type { DigestItem } from "../../../domain/digest";
import { PARKING_LOT_HEADING, startsParkingLot } from "../../../domain/digest";
import type { Rollup, RollupReport } from "../../../domain/rollup";
import { httpUrl } from "../../../lib/http-url";
import { hiddenReportsWords, planRollup, type RollupPlan, rollupHeadline } from "../rollup-text";
import { fitEscaped, isolate, payloadBytes, truncate, urgencyLabel } from "../text";
import {
  escapeChatHtml,
  escapeChatText,
  GOOGLE_CHAT_BUDGET_BYTES,
  GOOGLE_CHAT_MAX_TEXT,
  GOOGLE_CHAT_MAX_WIDGETS,
  type GoogleChatWidget,
} from "./digest";

/** Our own cap per item: every report shares one 28,000-byte budget. */
const GOOGLE_CHAT_ROLLUP_ITEM_TEXT_BUDGET = 300;
/** Our own cap on a report's or owner's name, for the same reason. */
const NAME_BUDGET = 120;

interface GoogleChatRollupSection {
  /** Chat reads section headers as its small HTML subset, so user text in one is escaped. */
  header?: string;
  widgets: GoogleChatWidget[];
}

export interface GoogleChatRollupPayload {
  text: string;
  cardsV2: [
    {
      cardId: "weekly-rollup";
      card: { header: { title: string; subtitle: string }; sections: GoogleChatRollupSection[] };
    },
  ];
}

/** `<a href>label</a>` when the URL may be a link, else the label alone. */
function link(url: string, label: string): string {
  const href = httpUrl(url);
  return href === null ? label : `<a href="${escapeChatHtml(href)}">${label}</a>`;
}

function itemWidget(item: DigestItem, index: number, all: readonly DigestItem[]): GoogleChatWidget {
  const label = urgencyLabel(item);
  // The parking lot's heading tops its first item: a widget of its own would cost one of the card's.
  const urgency = startsParkingLot(all, index)
    ? [PARKING_LOT_HEADING, label].filter((part) => part !== null).join(" · ")
    : label;
  const text = isolate(fitEscaped(item.text, escapeChatHtml, GOOGLE_CHAT_ROLLUP_ITEM_TEXT_BUDGET));
  const owner = isolate(fitEscaped(item.ownerLabel, escapeChatHtml, NAME_BUDGET));
  return {
    decoratedText: {
      ...(urgency === null ? {} : { topLabel: urgency }),
      text: urgency === null ? text : `<b>${text}</b>`,
      bottomLabel: `${owner} · ${item.dueLabel} · ${item.carriedLabel}`,
      wrapText: true,
    },
  };
}

/** A report with its widgets rendered once: the plan asks for many sizes of the same section. */
interface RenderedReport {
  report: RollupReport;
  items: GoogleChatWidget[];
}

function reportSection({ report, items }: RenderedReport, shown: number): GoogleChatRollupSection {
  const header = isolate(fitEscaped(report.reportName, escapeChatHtml, NAME_BUDGET));
  const digest = report.digest;
  if (digest === null)
    return { header, widgets: [{ textParagraph: { text: `<i>${report.agendaLabel}</i>` } }] };
  const widgets: GoogleChatWidget[] = [
    {
      textParagraph: {
        text: `${link(digest.agendaUrl, report.agendaLabel)}<br>${escapeChatHtml(report.summary)}`,
      },
    },
    ...items.slice(0, shown),
  ];
  const hidden = items.length - shown;
  if (hidden > 0) {
    widgets.push({
      textParagraph: { text: `<b>and ${hidden} more — ${link(digest.agendaUrl, "open the agenda")}</b>` },
    });
  }
  return { header, widgets };
}

function build(
  rollup: Rollup,
  rendered: readonly RenderedReport[],
  plan: RollupPlan,
): GoogleChatRollupPayload {
  const sections: GoogleChatRollupSection[] = [
    { widgets: [{ textParagraph: { text: escapeChatHtml(rollup.summary) } }] },
  ];
  rendered.slice(0, plan.reports).forEach((report, index) => {
    sections.push(reportSection(report, plan.items[index] ?? 0));
  });
  const hiddenReports = plan.reports < rendered.length ? hiddenReportsWords(rollup, plan.reports) : null;
  if (hiddenReports !== null)
    sections.push({ widgets: [{ textParagraph: { text: `<b>${hiddenReports}</b>` } }] });
  return {
    text: truncate(
      `${escapeChatText(rollupHeadline(rollup))}: ${rollup.summary}${hiddenReports === null ? "" : ` (${hiddenReports})`}`,
      GOOGLE_CHAT_MAX_TEXT,
    ),
    cardsV2: [
      {
        cardId: "weekly-rollup",
        card: {
          // Header fields are plain text in Chat (no HTML), so escaping would show "&amp;" to people.
          header: { title: truncate(rollup.title, 200), subtitle: rollup.shortDate },
          sections,
        },
      },
    ],
  };
}

/** Widgets in a payload: Chat drops those past GOOGLE_CHAT_MAX_WIDGETS. */
export function rollupWidgetCount(payload: GoogleChatRollupPayload): number {
  return payload.cardsV2[0].card.sections.reduce((sum, section) => sum + section.widgets.length, 0);
}

/** The Google Chat webhook body for a manager's weekly roll-up. */
export function rollupGoogleChatPayload(rollup: Rollup): GoogleChatRollupPayload {
  const rendered = rollup.reports.map((report) => ({
    report,
    items: (report.digest?.items ?? []).map((item, index, all) => itemWidget(item, index, all)),
  }));
  // A section has no size limit of its own: only the card's widgets and bytes bound each report.
  const caps = rendered.map((report) => report.items.length);
  const plan = planRollup(caps, (candidate) => {
    const payload = build(rollup, rendered, candidate);
    return (
      rollupWidgetCount(payload) <= GOOGLE_CHAT_MAX_WIDGETS &&
      payloadBytes(payload) <= GOOGLE_CHAT_BUDGET_BYTES
    );
  });
  return build(rollup, rendered, plan);
}
