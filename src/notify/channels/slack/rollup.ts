// Slack incoming-webhook payload for the weekly roll-up: a header, the totals, then one section per
// report (name, last agenda link, summary, its items one per line). One section per report keeps a
// manager with many reports inside Slack's 50 blocks; each section stays within 3000 characters.
// Escaping, limits and the fallback text's budget are ./digest.ts's. Pure; the sender only POSTs it.
import type { HeaderBlock, KnownBlock, SectionBlock } from "@slack/types";
import type { DigestItem } from "../../../domain/digest";
import { PARKING_LOT_HEADING, startsParkingLot } from "../../../domain/digest";
import type { Rollup, RollupReport } from "../../../domain/rollup";
import { httpUrl } from "../../../lib/http-url";
import { hiddenReportsWords, planRollup, type RollupPlan, rollupHeadline } from "../rollup-text";
import { fitEscaped, fittingCount, isolate, truncate, urgencyLabel } from "../text";
import {
  escapeMrkdwn,
  SLACK_FALLBACK_BUDGET,
  SLACK_MAX_BLOCKS,
  SLACK_MAX_HEADER_TEXT,
  SLACK_MAX_SECTION_TEXT,
  type SlackPayload,
  slackUrl,
} from "./digest";

/** Our own cap per item: a roll-up lists many reports' items, so one essay must not fill a section. */
const SLACK_ROLLUP_ITEM_TEXT_BUDGET = 300;
/** Our own cap on a report's or owner's name, for the same reason. */
const NAME_BUDGET = 120;

function link(url: string, label: string): string {
  const href = httpUrl(url);
  return href === null ? label : `<${slackUrl(href)}|${label}>`;
}

function itemLine(item: DigestItem): string {
  const urgency = urgencyLabel(item);
  const text = isolate(fitEscaped(item.text, escapeMrkdwn, SLACK_ROLLUP_ITEM_TEXT_BUDGET));
  const owner = isolate(fitEscaped(item.ownerLabel, escapeMrkdwn, NAME_BUDGET));
  return `• ${urgency === null ? "" : `*${urgency}* `}${text}\n      ${owner} · ${item.dueLabel} · ${item.carriedLabel}`;
}

/** A report with its lines rendered once: the plan asks for many sizes of the same section. */
interface RenderedReport {
  report: RollupReport;
  heading: string;
  items: string[];
}

function render(report: RollupReport): RenderedReport {
  const name = `*${isolate(fitEscaped(report.reportName, escapeMrkdwn, NAME_BUDGET))}*`;
  const digest = report.digest;
  if (digest === null) return { report, heading: `${name} · ${report.agendaLabel}`, items: [] };
  return {
    report,
    heading: `${name} · ${link(digest.agendaUrl, report.agendaLabel)}\n${report.summary}`,
    items: digest.items.map(
      (item, index) =>
        `${startsParkingLot(digest.items, index) ? `*${PARKING_LOT_HEADING}*\n` : ""}${itemLine(item)}`,
    ),
  };
}

/** A report's section text with its first `shown` items; the rest counted with a link to its agenda. */
function reportText({ report, heading, items }: RenderedReport, shown: number): string {
  const lines = [heading, ...items.slice(0, shown)];
  const hidden = items.length - shown;
  if (hidden > 0 && report.digest !== null) {
    lines.push(`*and ${hidden} more — ${link(report.digest.agendaUrl, "open the agenda")}*`);
  }
  return lines.join("\n");
}

function section(text: string): SectionBlock {
  // The plan keeps every section within the limit; the cut is only a visible last resort.
  return { type: "section", text: { type: "mrkdwn", text: truncate(text, SLACK_MAX_SECTION_TEXT) } };
}

function blocksFor(rollup: Rollup, rendered: readonly RenderedReport[], plan: RollupPlan): KnownBlock[] {
  const header: HeaderBlock = {
    type: "header",
    // plain_text is never parsed for mentions or formatting, so the name needs no escaping here.
    text: { type: "plain_text", text: truncate(rollupHeadline(rollup), SLACK_MAX_HEADER_TEXT), emoji: true },
  };
  const blocks: KnownBlock[] = [header, section(rollup.summary), { type: "divider" }];
  rendered.slice(0, plan.reports).forEach((report, index) => {
    blocks.push(section(reportText(report, plan.items[index] ?? 0)));
  });
  if (plan.reports < rollup.reports.length) {
    blocks.push(section(`*${hiddenReportsWords(rollup, plan.reports)}*`));
  }
  return blocks;
}

/** The notification preview: headline, totals, then one line per report while the budget lasts. */
function fallbackText(rollup: Rollup): string {
  const head = `${escapeMrkdwn(rollupHeadline(rollup))}: ${rollup.summary}`;
  const lines = rollup.reports.map((report) => {
    const name = isolate(fitEscaped(report.reportName, escapeMrkdwn, NAME_BUDGET));
    const href = report.digest === null ? null : httpUrl(report.digest.agendaUrl);
    return `• ${name}: ${report.summary}${href === null ? "" : ` — ${slackUrl(href)}`}`;
  });
  const text = (shown: number) => {
    const parts = [head, ...lines.slice(0, shown)];
    if (shown < lines.length) parts.push(hiddenReportsWords(rollup, shown));
    return parts.join("\n");
  };
  const { reports } = planRollup(
    lines.map(() => 0),
    (plan) => text(plan.reports).length <= SLACK_FALLBACK_BUDGET,
  );
  return truncate(text(reports), SLACK_FALLBACK_BUDGET);
}

/** The Slack incoming-webhook body for a manager's weekly roll-up. */
export function rollupSlackPayload(rollup: Rollup): SlackPayload {
  const rendered = rollup.reports.map(render);
  const caps = rendered.map((report) =>
    fittingCount(
      report.report.digest?.items ?? [],
      (shown) => reportText(report, shown).length <= SLACK_MAX_SECTION_TEXT,
    ),
  );
  const plan = planRollup(
    caps,
    (candidate) => blocksFor(rollup, rendered, candidate).length <= SLACK_MAX_BLOCKS,
  );
  return {
    text: fallbackText(rollup),
    blocks: blocksFor(rollup, rendered, plan),
    unfurl_links: false,
    unfurl_media: false,
  };
}
