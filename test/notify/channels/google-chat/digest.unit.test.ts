// Google Chat payloads: Cards v2 shape, the documented message and widget limits, the overflow
// count, and hostile text in both the card (HTML subset) and the message text (mention syntax).
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../../../src/domain/digest";
import {
  GOOGLE_CHAT_MAX_MESSAGE_BYTES,
  GOOGLE_CHAT_MAX_TEXT,
  GOOGLE_CHAT_MAX_WIDGETS,
  type GoogleChatPayload,
  googleChatPayload,
} from "../../../../src/notify/channels/google-chat/digest";
import { AGENDA_URL, HOSTILE_TEXTS, hostileInput, input, item, manyItems, unescapeAll } from "../fixtures";

function widgets(payload: GoogleChatPayload) {
  return payload.cardsV2[0].card.sections.flatMap((section) => section.widgets);
}

function cardTexts(payload: GoogleChatPayload): string[] {
  return widgets(payload).flatMap((widget) => [
    widget.textParagraph?.text ?? "",
    widget.decoratedText?.text ?? "",
    widget.decoratedText?.bottomLabel ?? "",
  ]);
}

function expectWithinLimits(payload: GoogleChatPayload): void {
  expect(new TextEncoder().encode(JSON.stringify(payload)).length).toBeLessThanOrEqual(
    GOOGLE_CHAT_MAX_MESSAGE_BYTES,
  );
  expect(widgets(payload).length).toBeLessThanOrEqual(GOOGLE_CHAT_MAX_WIDGETS);
  expect(payload.text.length).toBeLessThanOrEqual(GOOGLE_CHAT_MAX_TEXT);
}

describe("googleChatPayload", () => {
  it("sends a card with a header, the link button and one widget per item", () => {
    const payload = googleChatPayload(
      buildDigest(input([item({ timesCarried: 5 }), item({ dueDate: null })])),
    );
    expectWithinLimits(payload);
    expect(payload.cardsV2[0].card.header).toEqual({
      title: "1:1 Ada Lovelace / Charles Babbage — Tue 31 Mar 2026",
      subtitle: "Tuesday 31 March 2026, 10:00 (Europe/Berlin)",
    });
    const items = widgets(payload).filter((widget) => widget.decoratedText !== undefined);
    expect(items[0]?.decoratedText?.topLabel).toBe("🔴 OVERDUE 4d · 🔁 stuck · carried 5×");
    expect(items[1]?.decoratedText?.topLabel).toBeUndefined();
    expect(JSON.stringify(payload)).toContain(`"url":"${AGENDA_URL}"`);
  });

  it("makes hostile text harmless and readable", () => {
    const payload = googleChatPayload(buildDigest(hostileInput()));
    expectWithinLimits(payload);
    const card = cardTexts(payload).map((text) => text.replace(/<\/?b>/gu, ""));
    for (const text of card) expect(text).not.toMatch(/<(?!\/?b>)/u);
    expect(payload.text).not.toMatch(/<[a-z!@#]/iu);
    const readable = unescapeAll(card.join("\n"));
    for (const key of ["script", "pings", "markdown", "emoji"] as const) {
      expect(readable).toContain(HOSTILE_TEXTS[key]);
    }
    expect(readable).toContain("לסיים את הדוח مراجعة التقرير reversed");
  });

  it("keeps to 100 widgets and counts what is left out", () => {
    const payload = googleChatPayload(buildDigest(manyItems(300)));
    expectWithinLimits(payload);
    const shown = widgets(payload).filter((widget) =>
      widget.decoratedText?.text.includes("Item number"),
    ).length;
    const last = widgets(payload).at(-1)?.textParagraph?.text;
    expect(last).toBe(`<b>and ${300 - shown} more — <a href="${AGENDA_URL}">open the agenda</a></b>`);
    expect(payload.text).toContain(`and ${300 - shown} more — open the agenda`);
  });
});
