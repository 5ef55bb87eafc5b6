// Discord webhook payload: one summary line plus embeds whose fields are the items. Typed against
// discord-api-types' own webhook body, so a renamed or removed field fails `tsc`, and kept within the
// embed limits Discord documents. Pure; the sender only POSTs it.
import type { APIEmbed, APIEmbedField, RESTPostAPIWebhookWithTokenJSONBody } from "discord-api-types/v10";
import type { Digest, DigestItem } from "../../../domain/digest";
import { PARKING_LOT_HEADING, startsParkingLot } from "../../../domain/digest";
import {
  fitEscaped,
  fittingCount,
  headline,
  isolate,
  markdownUrl,
  overflowWords,
  truncate,
  urgencyLabel,
} from "../text";

// Limits from discord.com/developers/docs/resources/message#embed-object-embed-limits and
// .../resources/webhook#execute-webhook.
/** "Up to 10 rich embeds" per webhook message. */
export const DISCORD_MAX_EMBEDS = 10;
/** "Up to 25 field objects" per embed. */
export const DISCORD_MAX_FIELDS = 25;
/** Embed title: 256 characters. */
export const DISCORD_MAX_TITLE = 256;
/** Embed description: 4096 characters. */
export const DISCORD_MAX_DESCRIPTION = 4096;
/** Field name: 256 characters. */
export const DISCORD_MAX_FIELD_NAME = 256;
/** Field value: 1024 characters. */
export const DISCORD_MAX_FIELD_VALUE = 1024;
/** "The combined sum of characters in all title, description, field.name, field.value, footer.text, and author.name fields across all embeds attached to a message must not exceed 6000 characters." */
export const DISCORD_MAX_EMBED_TOTAL = 6000;
/** Message `content`: 2000 characters. */
export const DISCORD_MAX_CONTENT = 2000;
/** Our own cap per item text, so one long item cannot use the whole 6000-character budget. */
const DISCORD_ITEM_TEXT_BUDGET = 600;

const RED = 0xed4245;
const BLURPLE = 0x5865f2;

// Every character Discord Markdown gives meaning to, headings/lists/quotes/subtext included (the item
// may start a line), plus `<` so `<@123>`, `<#1>` and `<t:0>` stay literal, and `:` would only make
// emoji, which is harmless, so it is left alone.
const DISCORD_MARKDOWN = /[\\*_~`|>#\-[\]()<.!]/gu;

/**
 * Escapes user text for Discord Markdown: a backslash before each metacharacter, and a zero-width
 * space after `@` in `@everyone`/`@here`, which Discord would otherwise still render as a mention
 * (allowed_mentions stops the ping; this stops the look of one).
 */
export function escapeDiscord(text: string): string {
  return text.replace(DISCORD_MARKDOWN, (char) => `\\${char}`).replace(/@(everyone|here)/giu, "@\u200B$1");
}

function itemField(item: DigestItem, index: number, items: readonly DigestItem[]): APIEmbedField {
  const label = urgencyLabel(item) ?? `carried ${item.timesCarried}×`;
  // The parking lot's heading names its first item's field: a field of its own would cost one of 25.
  const name = startsParkingLot(items, index) ? `${PARKING_LOT_HEADING} — ${label}` : label;
  const text = isolate(fitEscaped(item.text, escapeDiscord, DISCORD_ITEM_TEXT_BUDGET));
  const meta = `${isolate(escapeDiscord(item.ownerLabel))} · ${item.dueLabel} · ${item.carriedLabel}`;
  const value = item.overdueDays > 0 || item.longCarried ? `**${text}**\n${meta}` : `${text}\n${meta}`;
  return {
    name: truncate(name, DISCORD_MAX_FIELD_NAME),
    value: truncate(value, DISCORD_MAX_FIELD_VALUE),
    inline: false,
  };
}

/** Characters Discord counts towards DISCORD_MAX_EMBED_TOTAL. */
export function embedCharacters(embeds: readonly APIEmbed[]): number {
  let total = 0;
  for (const embed of embeds) {
    total += (embed.title ?? "").length + (embed.description ?? "").length;
    total += (embed.footer?.text ?? "").length + (embed.author?.name ?? "").length;
    for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
  }
  return total;
}

function embedsFor(head: APIEmbed, fields: readonly APIEmbedField[], color: number): APIEmbed[] {
  const embeds: APIEmbed[] = [];
  for (let start = 0; start < fields.length || start === 0; start += DISCORD_MAX_FIELDS) {
    const chunk = fields.slice(start, start + DISCORD_MAX_FIELDS);
    embeds.push(start === 0 ? { ...head, fields: chunk } : { color, fields: chunk });
    if (fields.length === 0) break;
  }
  return embeds;
}

/** What Discord accepts as a webhook body; the builder returns exactly this type. */
export type DiscordPayload = RESTPostAPIWebhookWithTokenJSONBody;

/** The Discord execute-webhook body for a digest. */
export function discordPayload(digest: Digest): DiscordPayload {
  const color = digest.counts.overdue > 0 ? RED : BLURPLE;
  const head: APIEmbed = {
    title: fitEscaped(headline(digest), escapeDiscord, DISCORD_MAX_TITLE),
    url: digest.agendaUrl,
    color,
    description: truncate(
      `**${digest.meeting.display}**\n${digest.summary}\n[Open the agenda](${markdownUrl(digest.agendaUrl)})`,
      DISCORD_MAX_DESCRIPTION,
    ),
  };
  const fields = digest.items.map((item, index) => itemField(item, index, digest.items));
  const overflowField = (hidden: number): APIEmbedField => ({
    name: overflowWords(hidden),
    value: `[Open the agenda](${markdownUrl(digest.agendaUrl)}) to see all ${digest.items.length} items.`,
    inline: false,
  });
  const build = (shown: number): APIEmbed[] => {
    const chosen = fields.slice(0, shown);
    if (shown < fields.length) chosen.push(overflowField(fields.length - shown));
    return embedsFor(head, chosen, color);
  };
  const shown = fittingCount(digest.items, (n) => {
    const embeds = build(n);
    return embeds.length <= DISCORD_MAX_EMBEDS && embedCharacters(embeds) <= DISCORD_MAX_EMBED_TOTAL;
  });
  const payload = {
    content: `**${fitEscaped(headline(digest), escapeDiscord, 300)}** — ${digest.summary}`,
    embeds: build(shown),
    // Nothing in a digest may ping anyone, whatever the text says.
    allowed_mentions: { parse: [] },
  } satisfies RESTPostAPIWebhookWithTokenJSONBody;
  return payload;
}
