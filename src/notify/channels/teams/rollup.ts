// Microsoft Teams Workflows payload for the weekly roll-up: an Adaptive Card with the headline and
// totals, then one container per report (name, last agenda link, summary, its items). Element types,
// escaping and the 28 KB budget are ./digest.ts's. Pure; the sender only POSTs it.
import type { DigestItem } from "../../../domain/digest";
import { PARKING_LOT_HEADING, startsParkingLot } from "../../../domain/digest";
import type { Rollup, RollupReport } from "../../../domain/rollup";
import { httpUrl } from "../../../lib/http-url";
import { hiddenReportsWords, planRollup, type RollupPlan, rollupHeadline } from "../rollup-text";
import { fitEscaped, isolate, markdownUrl, payloadBytes, urgencyLabel } from "../text";
import {
  type AdaptiveCard,
  type Container,
  escapeTeams,
  TEAMS_CARD_VERSION,
  TEAMS_PAYLOAD_BUDGET_BYTES,
  type TextBlock,
} from "./digest";

/** Our own cap per item: a roll-up lists many reports' items in one 28 KB card. */
const TEAMS_ROLLUP_ITEM_TEXT_BUDGET = 300;
/** Our own cap on a report's or owner's name, for the same reason. */
const NAME_BUDGET = 120;

/**
 * The card has no actions: each report links its own agenda in its container. (Microsoft's parser
 * drops an empty `actions` array, so the field is left out rather than sent empty.)
 */
type RollupAdaptiveCard = Omit<AdaptiveCard, "actions">;

export interface TeamsRollupPayload {
  type: "message";
  attachments: [
    {
      contentType: "application/vnd.microsoft.card.adaptive";
      contentUrl: null;
      content: RollupAdaptiveCard;
    },
  ];
}

/** `[label](url)` when the URL may be a link, else the label alone. */
function link(url: string, label: string): string {
  const href = httpUrl(url);
  return href === null ? label : `[${label}](${markdownUrl(href)})`;
}

function itemBlocks(item: DigestItem, index: number, all: readonly DigestItem[]): TextBlock[] {
  const blocks: TextBlock[] = [];
  if (startsParkingLot(all, index)) {
    blocks.push({ type: "TextBlock", text: PARKING_LOT_HEADING, wrap: true, weight: "Bolder" });
  }
  const urgency = urgencyLabel(item);
  if (urgency !== null) {
    blocks.push({ type: "TextBlock", text: urgency, wrap: true, weight: "Bolder", color: "Attention" });
  }
  blocks.push({
    type: "TextBlock",
    text: isolate(fitEscaped(item.text, escapeTeams, TEAMS_ROLLUP_ITEM_TEXT_BUDGET)),
    wrap: true,
    spacing: urgency === null ? "Small" : "None",
  });
  blocks.push({
    type: "TextBlock",
    text: `${isolate(fitEscaped(item.ownerLabel, escapeTeams, NAME_BUDGET))} · ${item.dueLabel} · ${item.carriedLabel}`,
    wrap: true,
    size: "Small",
    isSubtle: true,
    spacing: "None",
  });
  return blocks;
}

/** A report with its item blocks rendered once: the plan asks for many sizes of the same container. */
interface RenderedReport {
  report: RollupReport;
  items: TextBlock[][];
}

function reportContainer({ report, items: rendered }: RenderedReport, shown: number): Container {
  const items: TextBlock[] = [
    {
      type: "TextBlock",
      text: isolate(fitEscaped(report.reportName, escapeTeams, NAME_BUDGET)),
      wrap: true,
      size: "Medium",
      weight: "Bolder",
    },
  ];
  const digest = report.digest;
  if (digest === null) {
    items.push({
      type: "TextBlock",
      text: report.agendaLabel,
      wrap: true,
      color: "Warning",
      spacing: "None",
    });
    return { type: "Container", separator: true, items };
  }
  items.push(
    { type: "TextBlock", text: link(digest.agendaUrl, report.agendaLabel), wrap: true, spacing: "None" },
    { type: "TextBlock", text: report.summary, wrap: true, size: "Small", isSubtle: true, spacing: "None" },
    ...rendered.slice(0, shown).flat(),
  );
  const hidden = rendered.length - shown;
  if (hidden > 0) {
    items.push({
      type: "TextBlock",
      text: `and ${hidden} more — ${link(digest.agendaUrl, "open the agenda")}`,
      wrap: true,
      weight: "Bolder",
    });
  }
  return { type: "Container", separator: true, items };
}

function build(rollup: Rollup, rendered: readonly RenderedReport[], plan: RollupPlan): TeamsRollupPayload {
  const body: (TextBlock | Container)[] = [
    {
      type: "TextBlock",
      text: escapeTeams(rollupHeadline(rollup)),
      wrap: true,
      size: "Large",
      weight: "Bolder",
    },
    { type: "TextBlock", text: rollup.summary, wrap: true },
  ];
  rendered.slice(0, plan.reports).forEach((report, index) => {
    body.push(reportContainer(report, plan.items[index] ?? 0));
  });
  if (plan.reports < rollup.reports.length) {
    body.push({
      type: "TextBlock",
      text: hiddenReportsWords(rollup, plan.reports),
      wrap: true,
      weight: "Bolder",
    });
  }
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: TEAMS_CARD_VERSION,
          body,
        },
      },
    ],
  };
}

/** The Teams Workflows webhook body for a manager's weekly roll-up, within the 28 KB message limit. */
export function rollupTeamsPayload(rollup: Rollup): TeamsRollupPayload {
  const rendered = rollup.reports.map((report) => ({
    report,
    items: (report.digest?.items ?? []).map((item, index, all) => itemBlocks(item, index, all)),
  }));
  // A container has no size limit of its own: only the whole card's bytes bound each report.
  const caps = rendered.map((report) => report.items.length);
  const plan = planRollup(
    caps,
    (candidate) => payloadBytes(build(rollup, rendered, candidate)) <= TEAMS_PAYLOAD_BUDGET_BYTES,
  );
  return build(rollup, rendered, plan);
}
