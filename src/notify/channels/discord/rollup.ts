// Discord webhook payload for the weekly roll-up: a summary line, then embeds whose fields are the
// reports (name; last agenda link, summary and its items in the value). A field per report rather than
// an embed per report, because a message holds only 10 embeds and a manager may have more reports.
// Escaping and the documented limits are ./digest.ts's. Pure; the sender only POSTs it.
import type { APIEmbed, APIEmbedField, RESTPostAPIWebhookWithTokenJSONBody } from "discord-api-types/v10";
import type { DigestItem } from "../../../domain/digest";
import { PARKING_LOT_HEADING, startsParkingLot } from "../../../domain/digest";
import type { Rollup, RollupReport } from "../../../domain/rollup";
import { httpUrl } from "../../../lib/http-url";
import { hiddenReportsWords, planRollup, type RollupPlan, rollupHeadline } from "../rollup-text";
import { fitEscaped, fittingCount, isolate, markdownUrl, truncate, urgencyLabel } from "../text";
import {
  DISCORD_MAX_CONTENT,
  DISCORD_MAX_DESCRIPTION,
  DISCORD_MAX_EMBED_TOTAL,
  DISCORD_MAX_EMBEDS,
  DISCORD_MAX_FIELD_NAME,
  DISCORD_MAX_FIELD_VALUE,
  DISCORD_MAX_FIELDS,
  DISCORD_MAX_TITLE,
  type DiscordPayload,
  embedCharacters,
  escapeDiscord,
} from "./digest";

/** Our own cap per item: all reports share 6000 characters, so items are listed short. */
const DISCORD_ROLLUP_ITEM_TEXT_BUDGET = 200;
/** Our own cap on a report's or owner's name, for the same reason. */
const NAME_BUDGET = 100;

const RED = 0xed4245;
const BLURPLE = 0x5865f2;

/** `[label](url)` when the URL may be a link, else the label alone. */
function link(url: string, label: string): string {
  const href = httpUrl(url);
  return href === null ? label : `[${label}](${markdownUrl(href)})`;
}

// Compact: 6000 characters are shared by every report, so the carried label (already in the urgency
// mark when it matters) is left to the agenda.
function itemLine(item: DigestItem): string {
  const urgency = urgencyLabel(item);
  const text = isolate(fitEscaped(item.text, escapeDiscord, DISCORD_ROLLUP_ITEM_TEXT_BUDGET));
  const owner = isolate(fitEscaped(item.ownerLabel, escapeDiscord, NAME_BUDGET));
  return `• ${urgency === null ? "" : `**${urgency}** `}${text} — ${owner} · ${item.dueLabel}`;
}

/** A report with its lines rendered once: the plan asks for many sizes of the same field. */
interface RenderedReport {
  report: RollupReport;
  name: string;
  heading: string;
  items: string[];
}

function render(report: RollupReport): RenderedReport {
  const name = isolate(fitEscaped(report.reportName, escapeDiscord, NAME_BUDGET));
  const digest = report.digest;
  if (digest === null) return { report, name, heading: report.agendaLabel, items: [] };
  return {
    report,
    name,
    heading: `${link(digest.agendaUrl, report.agendaLabel)}\n${report.summary}`,
    items: digest.items.map(
      (item, index) =>
        `${startsParkingLot(digest.items, index) ? `**${PARKING_LOT_HEADING}**\n` : ""}${itemLine(item)}`,
    ),
  };
}

/** A report's field value with its first `shown` items; the rest counted with a link to its agenda. */
function reportValue({ report, heading, items }: RenderedReport, shown: number): string {
  const lines = [heading, ...items.slice(0, shown)];
  const hidden = items.length - shown;
  if (hidden > 0 && report.digest !== null) {
    lines.push(`**and ${hidden} more — ${link(report.digest.agendaUrl, "open the agenda")}**`);
  }
  return lines.join("\n");
}

function reportField(report: RenderedReport, shown: number): APIEmbedField {
  // The plan keeps every value within the limit; the cut is only a visible last resort.
  return {
    name: truncate(report.name, DISCORD_MAX_FIELD_NAME),
    value: truncate(reportValue(report, shown), DISCORD_MAX_FIELD_VALUE),
    inline: false,
  };
}

function embedsFor(rollup: Rollup, rendered: readonly RenderedReport[], plan: RollupPlan): APIEmbed[] {
  const color = rollup.totals.overdue > 0 ? RED : BLURPLE;
  const fields = rendered
    .slice(0, plan.reports)
    .map((report, index) => reportField(report, plan.items[index] ?? 0));
  if (plan.reports < rendered.length) {
    fields.push({
      name: hiddenReportsWords(rollup, plan.reports),
      value: "Each report's meeting digest and agenda list its items.",
      inline: false,
    });
  }
  const head: APIEmbed = {
    title: fitEscaped(rollupHeadline(rollup), escapeDiscord, DISCORD_MAX_TITLE),
    color,
    description: truncate(rollup.summary, DISCORD_MAX_DESCRIPTION),
  };
  const embeds: APIEmbed[] = [{ ...head, fields: fields.slice(0, DISCORD_MAX_FIELDS) }];
  for (let start = DISCORD_MAX_FIELDS; start < fields.length; start += DISCORD_MAX_FIELDS) {
    embeds.push({ color, fields: fields.slice(start, start + DISCORD_MAX_FIELDS) });
  }
  return embeds;
}

/** The Discord execute-webhook body for a manager's weekly roll-up. */
export function rollupDiscordPayload(rollup: Rollup): DiscordPayload {
  const rendered = rollup.reports.map(render);
  const caps = rendered.map((report) =>
    fittingCount(
      report.report.digest?.items ?? [],
      (shown) => reportValue(report, shown).length <= DISCORD_MAX_FIELD_VALUE,
    ),
  );
  const plan = planRollup(caps, (candidate) => {
    const embeds = embedsFor(rollup, rendered, candidate);
    return embeds.length <= DISCORD_MAX_EMBEDS && embedCharacters(embeds) <= DISCORD_MAX_EMBED_TOTAL;
  });
  const payload = {
    content: truncate(
      `**${fitEscaped(rollupHeadline(rollup), escapeDiscord, 300)}** — ${rollup.summary}`,
      DISCORD_MAX_CONTENT,
    ),
    embeds: embedsFor(rollup, rendered, plan),
    // Nothing in a roll-up may ping anyone, whatever the text says.
    allowed_mentions: { parse: [] },
  } satisfies RESTPostAPIWebhookWithTokenJSONBody;
  return payload;
}
