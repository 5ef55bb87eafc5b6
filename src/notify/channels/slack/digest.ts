// Slack incoming-webhook payload: Block Kit blocks plus the plain `text` Slack shows in notifications
// and in clients that cannot render blocks. Pure; the sender only POSTs it.
import type { HeaderBlock, KnownBlock, SectionBlock } from "@slack/types";
import type { Digest, DigestItem } from "../../../domain/digest";
import { PARKING_LOT_HEADING, startsParkingLot } from "../../../domain/digest";
import { fitEscaped, fittingCount, headline, isolate, overflowWords, truncate, urgencyLabel } from "../text";

/** "Messages can contain up to 50 blocks" (api.slack.com/reference/block-kit/blocks). */
export const SLACK_MAX_BLOCKS = 50;
/** Section `text`: "Maximum length for the text in this field is 3000 characters" (section block reference). */
export const SLACK_MAX_SECTION_TEXT = 3000;
/** Header `text`: "Maximum length for the text in this field is 150 characters" (header block reference). */
export const SLACK_MAX_HEADER_TEXT = 150;
/**
 * Our own cap on the fallback `text`: it is the notification preview and the screen-reader summary, so
 * it lists items but stays short. Well under chat.postMessage's limit ("truncate messages containing more
 * than 40,000 characters"; webhooks share it).
 */
export const SLACK_FALLBACK_BUDGET = 3000;
/** Our own cap per item, so one pasted essay cannot crowd out the other items' sections. */
const SLACK_ITEM_TEXT_BUDGET = 1000;

export interface SlackPayload {
  text: string;
  blocks: KnownBlock[];
  /** Agenda links are for clicking, not for a preview card under the digest. */
  unfurl_links: false;
  unfurl_media: false;
}

const MRKDWN_FORMATTING = /[*_~`]/gu;

/**
 * Escapes user text for Slack mrkdwn. `&`, `<` and `>` become entities as Slack documents, so
 * `<!channel>`, `<@U123>` and `<https://x|y>` arrive as literal text and cannot ping or link.
 * Slack has no escape for `*`, `_`, `~` and backticks; a zero-width space on both sides takes away
 * the word boundary Slack needs to start or end a span, so "*x*" or "```" stays literal and cannot
 * swallow the labels after it.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replace(MRKDWN_FORMATTING, (char) => `\u200B${char}\u200B`);
}

/** A URL inside `<url|label>`: `|` would end the URL early, and `&<>` follow the entity rule. */
export function slackUrl(url: string): string {
  return url.replaceAll("&", "&amp;").replaceAll("<", "%3C").replaceAll(">", "%3E").replaceAll("|", "%7C");
}

function mrkdwnSection(text: string): SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text: truncate(text, SLACK_MAX_SECTION_TEXT) } };
}

function itemSection(item: DigestItem, index: number, items: readonly DigestItem[]): SectionBlock {
  const lines: string[] = [];
  // The parking lot's heading rides in its first item's section: a block of its own would cost one of 50.
  if (startsParkingLot(items, index)) lines.push(`*${PARKING_LOT_HEADING}*`);
  const urgency = urgencyLabel(item);
  if (urgency !== null) lines.push(`*${urgency}*`);
  lines.push(isolate(fitEscaped(item.text, escapeMrkdwn, SLACK_ITEM_TEXT_BUDGET)));
  lines.push(`${isolate(escapeMrkdwn(item.ownerLabel))} · ${item.dueLabel} · ${item.carriedLabel}`);
  return mrkdwnSection(lines.join("\n"));
}

function fallbackText(digest: Digest): string {
  const head = `${escapeMrkdwn(headline(digest))}: ${digest.summary}. Agenda: ${slackUrl(digest.agendaUrl)}`;
  const lines = digest.items.map(
    (item, index) =>
      `${startsParkingLot(digest.items, index) ? `${PARKING_LOT_HEADING}:\n` : ""}• ${isolate(fitEscaped(item.text, escapeMrkdwn, 200))} (${isolate(escapeMrkdwn(item.ownerLabel))}, ${item.dueLabel})`,
  );
  const length = (shown: number) =>
    [head, ...lines.slice(0, shown), shown < lines.length ? overflowWords(lines.length - shown) : ""].join(
      "\n",
    ).length;
  const shown = fittingCount(digest.items, (n) => length(n) <= SLACK_FALLBACK_BUDGET);
  const parts = [head, ...lines.slice(0, shown)];
  if (shown < lines.length) parts.push(overflowWords(lines.length - shown));
  return truncate(parts.join("\n"), SLACK_FALLBACK_BUDGET);
}

/** The Slack incoming-webhook body for a digest. */
export function slackPayload(digest: Digest): SlackPayload {
  const url = slackUrl(digest.agendaUrl);
  const header: HeaderBlock = {
    type: "header",
    // plain_text is never parsed for mentions or formatting, so the names need no escaping here.
    text: { type: "plain_text", text: truncate(headline(digest), SLACK_MAX_HEADER_TEXT), emoji: true },
  };
  const fixed: KnownBlock[] = [
    header,
    mrkdwnSection(`*${digest.meeting.display}*\n<${url}|Open the agenda>\n${digest.summary}`),
  ];
  if (digest.items.length > 0) fixed.push({ type: "divider" });

  const total = digest.items.length;
  const shown = fittingCount(digest.items, (n) => fixed.length + n + (n < total ? 1 : 0) <= SLACK_MAX_BLOCKS);
  const blocks: KnownBlock[] = [
    ...fixed,
    ...digest.items.slice(0, shown).map((item, index) => itemSection(item, index, digest.items)),
  ];
  if (shown < total) {
    blocks.push(mrkdwnSection(`*and ${total - shown} more — <${url}|open the agenda>*`));
  }
  return { text: fallbackText(digest), blocks, unfurl_links: false, unfurl_media: false };
}
