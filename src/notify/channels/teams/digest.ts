// Microsoft Teams payload for a Workflows ("Post to a channel when a webhook request is received")
// webhook: a message whose one attachment is an Adaptive Card. Checked in tests with Microsoft's own
// `adaptivecards` parser. Pure; the sender only POSTs it.
import type { Digest, DigestItem } from "../../../domain/digest";
import { PARKING_LOT_HEADING, startsParkingLot } from "../../../domain/digest";
import {
  fitEscaped,
  fittingCount,
  headline,
  isolate,
  markdownUrl,
  payloadBytes,
  urgencyLabel,
} from "../text";

/**
 * "Teams messages can't exceed 28 KB" (learn.microsoft.com/microsoftteams/limits-specifications-teams,
 * Chat; the same cap applies to cards posted by Workflows). Counted as UTF-8 bytes of the JSON body.
 */
export const TEAMS_MAX_PAYLOAD_BYTES = 28 * 1024;
/**
 * Our safety margin under the 28 KB: Teams adds its own envelope around the card, and a card that
 * is cut by the service fails as a whole rather than losing its tail.
 */
export const TEAMS_PAYLOAD_BUDGET_BYTES = 24 * 1024;
/**
 * Adaptive Card schema version. Teams renders up to 1.5 on desktop and web, but mobile clients lag,
 * and nothing here needs more than 1.4.
 */
export const TEAMS_CARD_VERSION = "1.4";
/** Our own cap per item, so one pasted essay cannot take the space of the other items. */
const TEAMS_ITEM_TEXT_BUDGET = 1000;

/** The Adaptive Card elements this builder emits; a small subset of the schema, typed so mistakes fail tsc. */
export interface TextBlock {
  type: "TextBlock";
  text: string;
  wrap: true;
  size?: "Small" | "Default" | "Medium" | "Large";
  weight?: "Default" | "Bolder";
  color?: "Default" | "Attention" | "Warning" | "Accent";
  isSubtle?: boolean;
  spacing?: "None" | "Small" | "Medium";
}

export interface Container {
  type: "Container";
  separator?: boolean;
  items: TextBlock[];
}

export interface AdaptiveCard {
  $schema: "http://adaptivecards.io/schemas/adaptive-card.json";
  type: "AdaptiveCard";
  version: typeof TEAMS_CARD_VERSION;
  body: (TextBlock | Container)[];
  actions: { type: "Action.OpenUrl"; title: string; url: string }[];
}

export interface TeamsPayload {
  type: "message";
  attachments: [
    { contentType: "application/vnd.microsoft.card.adaptive"; contentUrl: null; content: AdaptiveCard },
  ];
}

// Characters Markdown in a TextBlock gives meaning to, plus `<` and `>` so nothing looks like a tag.
const TEAMS_MARKDOWN = /[\\*_~`[\]()#+\-!|<>]/gu;

/**
 * Escapes user text for Adaptive Card TextBlock Markdown (CommonMark backslash escapes). A leading
 * "1." would start a numbered list, so that dot is escaped too; other dots stay readable.
 */
export function escapeTeams(text: string): string {
  return text.replace(TEAMS_MARKDOWN, (char) => `\\${char}`).replace(/^(\d+)\./u, "$1\\.");
}

function itemContainer(item: DigestItem, index: number, all: readonly DigestItem[]): Container {
  const items: TextBlock[] = [];
  if (startsParkingLot(all, index)) {
    items.push({
      type: "TextBlock",
      text: PARKING_LOT_HEADING,
      wrap: true,
      size: "Medium",
      weight: "Bolder",
    });
  }
  const urgency = urgencyLabel(item);
  if (urgency !== null)
    items.push({ type: "TextBlock", text: urgency, wrap: true, weight: "Bolder", color: "Attention" });
  items.push({
    type: "TextBlock",
    text: isolate(fitEscaped(item.text, escapeTeams, TEAMS_ITEM_TEXT_BUDGET)),
    wrap: true,
    spacing: "Small",
  });
  items.push({
    type: "TextBlock",
    text: `${isolate(escapeTeams(item.ownerLabel))} · ${item.dueLabel} · ${item.carriedLabel}`,
    wrap: true,
    size: "Small",
    isSubtle: true,
    spacing: "None",
  });
  return { type: "Container", separator: true, items };
}

function envelope(card: AdaptiveCard): TeamsPayload {
  return {
    type: "message",
    attachments: [
      { contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: card },
    ],
  };
}

/** The Teams Workflows webhook body for a digest. */
export function teamsPayload(digest: Digest): TeamsPayload {
  const head: TextBlock[] = [
    { type: "TextBlock", text: escapeTeams(headline(digest)), wrap: true, size: "Large", weight: "Bolder" },
    { type: "TextBlock", text: digest.meeting.display, wrap: true, isSubtle: true, spacing: "None" },
    { type: "TextBlock", text: digest.summary, wrap: true },
  ];
  const containers = digest.items.map((item, index) => itemContainer(item, index, digest.items));
  const build = (shown: number): TeamsPayload => {
    const body: (TextBlock | Container)[] = [...head, ...containers.slice(0, shown)];
    const hidden = containers.length - shown;
    if (hidden > 0) {
      body.push({
        type: "TextBlock",
        text: `and ${hidden} more — [open the agenda](${markdownUrl(digest.agendaUrl)})`,
        wrap: true,
        weight: "Bolder",
      });
    }
    return envelope({
      $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
      type: "AdaptiveCard",
      version: TEAMS_CARD_VERSION,
      body,
      actions: [{ type: "Action.OpenUrl", title: "Open the agenda", url: digest.agendaUrl }],
    });
  };
  const shown = fittingCount(digest.items, (n) => payloadBytes(build(n)) <= TEAMS_PAYLOAD_BUDGET_BYTES);
  return build(shown);
}
