// Google Chat incoming-webhook payload: a one-line `text` (notification and fallback) and a Cards v2
// card listing the items. Pure; the sender only POSTs it.
import type { Digest, DigestItem } from "../../../domain/digest";
import { PARKING_LOT_HEADING } from "../../../domain/digest";
import { fitEscaped, fittingCount, headline, isolate, overflowWords, truncate, urgencyLabel } from "../text";

/** "The maximum message size, including text and cards, is 32,000 bytes" (developers.google.com/workspace/chat/create-messages). */
export const GOOGLE_CHAT_MAX_MESSAGE_BYTES = 32_000;
/** Our margin under the message cap, for the envelope Chat adds and for multi-byte text counted late. */
export const GOOGLE_CHAT_BUDGET_BYTES = 28_000;
/** "A card can contain up to 100 widgets"; Chat drops widgets past the limit (Cards v2 reference). */
export const GOOGLE_CHAT_MAX_WIDGETS = 100;
/** Message `text`: 4,096 characters (Message resource reference). */
export const GOOGLE_CHAT_MAX_TEXT = 4096;
/** Our own cap per item, so one pasted essay cannot take the room of the others. */
const GOOGLE_CHAT_ITEM_TEXT_BUDGET = 1000;

export interface GoogleChatWidget {
  decoratedText?: { topLabel?: string; text: string; bottomLabel?: string; wrapText: true };
  textParagraph?: { text: string };
  buttonList?: { buttons: { text: string; onClick: { openLink: { url: string } } }[] };
}

export interface GoogleChatPayload {
  text: string;
  cardsV2: [
    {
      cardId: "agenda-digest";
      card: {
        header: { title: string; subtitle: string };
        sections: { header?: string; widgets: GoogleChatWidget[] }[];
      };
    },
  ];
}

/**
 * Escapes user text for card text, which Chat reads as a small HTML subset (<b>, <a href>, <font>):
 * `&`, `<`, `>` and `"` as entities, so `<script>` or `<a href>` arrive as text.
 */
export function escapeChatHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/**
 * Escapes user text for the message `text`, whose syntax is Slack-like: `<users/all>` would notify
 * everyone and `*x*` would format. Chat documents no escape, so a zero-width space breaks each token
 * the way it breaks them in Slack (see slack.ts).
 */
export function escapeChatText(text: string): string {
  return text.replace(/[<*_~`]/gu, (char) => `\u200B${char}\u200B`);
}

function itemWidget(item: DigestItem): GoogleChatWidget {
  const urgency = urgencyLabel(item);
  const text = isolate(fitEscaped(item.text, escapeChatHtml, GOOGLE_CHAT_ITEM_TEXT_BUDGET));
  return {
    decoratedText: {
      ...(urgency === null ? {} : { topLabel: urgency }),
      text: urgency === null ? text : `<b>${text}</b>`,
      bottomLabel: `${isolate(escapeChatHtml(item.ownerLabel))} · ${item.dueLabel} · ${item.carriedLabel}`,
      wrapText: true,
    },
  };
}

/** UTF-8 size of a payload as it goes on the wire. */
function bytes(payload: unknown): number {
  return new TextEncoder().encode(JSON.stringify(payload)).length;
}

/** The Google Chat webhook body for a digest. */
export function googleChatPayload(digest: Digest): GoogleChatPayload {
  const url = digest.agendaUrl;
  const widgets = digest.items.map(itemWidget);
  const build = (shown: number): GoogleChatPayload => {
    const itemWidgets = widgets.slice(0, shown);
    const hidden = widgets.length - shown;
    if (hidden > 0) {
      itemWidgets.push({
        textParagraph: {
          text: `<b>and ${hidden} more — <a href="${escapeChatHtml(url)}">open the agenda</a></b>`,
        },
      });
    }
    const sections: GoogleChatPayload["cardsV2"][0]["card"]["sections"] = [
      {
        widgets: [
          { textParagraph: { text: escapeChatHtml(digest.summary) } },
          { buttonList: { buttons: [{ text: "Open the agenda", onClick: { openLink: { url } } }] } },
        ],
      },
    ];
    // The parked items get a section of their own, headed like the agenda's; the "and N more" line
    // stays last, in whichever section ends the list.
    const firstParked = digest.items.findIndex((item) => item.parked);
    const split = firstParked === -1 || firstParked >= shown ? itemWidgets.length : firstParked;
    const carried = itemWidgets.slice(0, split);
    const parked = itemWidgets.slice(split);
    if (carried.length > 0) sections.push({ header: "Carried action items", widgets: carried });
    if (parked.length > 0) sections.push({ header: PARKING_LOT_HEADING, widgets: parked });
    return {
      text: truncate(
        `${escapeChatText(headline(digest))}: ${digest.summary}${hidden > 0 ? ` (${overflowWords(hidden)})` : ""}`,
        GOOGLE_CHAT_MAX_TEXT,
      ),
      cardsV2: [
        {
          cardId: "agenda-digest",
          card: {
            // Header fields are plain text in Chat (no HTML), so escaping would show "&amp;" to people.
            header: { title: truncate(headline(digest), 200), subtitle: digest.meeting.display },
            sections,
          },
        },
      ],
    };
  };
  const widgetCount = (payload: GoogleChatPayload) =>
    payload.cardsV2[0].card.sections.reduce((sum, section) => sum + section.widgets.length, 0);
  const shown = fittingCount(digest.items, (n) => {
    const payload = build(n);
    return widgetCount(payload) <= GOOGLE_CHAT_MAX_WIDGETS && bytes(payload) <= GOOGLE_CHAT_BUDGET_BYTES;
  });
  return build(shown);
}
