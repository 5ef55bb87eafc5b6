// Google Chat roll-ups: Cards v2 with a section per report, the documented message and widget limits,
// visible overflow that links each report's agenda, and hostile text in both the card (HTML subset)
// and the message text (mention syntax).
import { describe, expect, it } from "vitest";
import { buildRollup } from "../../../../src/domain/rollup";
import {
  GOOGLE_CHAT_MAX_MESSAGE_BYTES,
  GOOGLE_CHAT_MAX_TEXT,
  GOOGLE_CHAT_MAX_WIDGETS,
} from "../../../../src/notify/channels/google-chat/digest";
import {
  type GoogleChatRollupPayload,
  rollupGoogleChatPayload,
  rollupWidgetCount,
} from "../../../../src/notify/channels/google-chat/rollup";
import { unescapeAll } from "../fixtures";
import {
  agendaUrlOf,
  bigRollupInput,
  expectHostileTextReadable,
  HOSTILE_URLS,
  hostileRollupInput,
  threeReportRollup,
  utf8Bytes,
} from "../rollup-support";

function sections(payload: GoogleChatRollupPayload) {
  return payload.cardsV2[0].card.sections;
}

function widgets(payload: GoogleChatRollupPayload) {
  return sections(payload).flatMap((section) => section.widgets);
}

function expectWithinLimits(payload: GoogleChatRollupPayload): void {
  expect(utf8Bytes(payload)).toBeLessThanOrEqual(GOOGLE_CHAT_MAX_MESSAGE_BYTES);
  expect(widgets(payload).length).toBeLessThanOrEqual(GOOGLE_CHAT_MAX_WIDGETS);
  expect(rollupWidgetCount(payload)).toBe(widgets(payload).length);
  expect(payload.text.length).toBeLessThanOrEqual(GOOGLE_CHAT_MAX_TEXT);
}

/** Report sections by report name (the header without its bidi isolates). */
function reports(payload: GoogleChatRollupPayload) {
  return new Map(
    sections(payload).flatMap((section) =>
      section.header === undefined
        ? []
        : [[section.header.replace(/[\u2068\u2069]/gu, ""), section.widgets] as const],
    ),
  );
}

function itemCount(section: readonly { decoratedText?: unknown }[]): number {
  return section.filter((widget) => widget.decoratedText !== undefined).length;
}

describe("rollupGoogleChatPayload", () => {
  it("has a section per report with its agenda link and marked items", () => {
    const rollup = threeReportRollup();
    const payload = rollupGoogleChatPayload(rollup);
    expectWithinLimits(payload);
    expect(payload.text).toBe(`Weekly 1:1 roll-up for Grace Hopper — Fri 3 Apr 2026: ${rollup.summary}`);
    expect(payload.cardsV2[0].card.header).toEqual({
      title: "Weekly 1:1 roll-up for Grace Hopper",
      subtitle: "Fri 3 Apr 2026",
    });
    expect(sections(payload)[0]?.widgets).toEqual([{ textParagraph: { text: rollup.summary } }]);
    const byName = reports(payload);
    expect([...byName.keys()]).toEqual(["Bea", "Cleo", "Dan"]);
    expect(byName.get("Bea")).toEqual([
      {
        textParagraph: {
          text: `<a href="${agendaUrlOf("bea")}">Last agenda Tue 31 Mar 2026</a><br>${rollup.reports[0]?.summary}`,
        },
      },
      {
        decoratedText: {
          topLabel: "🔴 OVERDUE 2d · 🔁 stuck · carried 3×",
          text: "<b>\u2068Send the review\u2069</b>",
          bottomLabel:
            "\u2068Ada Lovelace\u2069 · due 2026-03-29 · 2 days overdue · carried 3× since 2026-03-24",
          wrapText: true,
        },
      },
      {
        decoratedText: {
          text: "\u2068Book the offsite\u2069",
          bottomLabel: "\u2068Ada Lovelace\u2069 · no due date · carried 1× since 2026-03-24",
          wrapText: true,
        },
      },
    ]);
    expect(byName.get("Dan")).toEqual([{ textParagraph: { text: "<i>No agenda prepared yet</i>" } }]);
  });

  it("makes hostile names, items and links harmless and readable", () => {
    const payload = rollupGoogleChatPayload(buildRollup(hostileRollupInput()));
    expectWithinLimits(payload);
    const texts = [
      ...sections(payload).map((section) => section.header ?? ""),
      ...widgets(payload).flatMap((widget) => [
        widget.textParagraph?.text ?? "",
        widget.decoratedText?.text ?? "",
        widget.decoratedText?.bottomLabel ?? "",
      ]),
    ];
    // The only tags are ours: bold, italics, line breaks and agenda links.
    const ours = /<\/?b>|<\/?i>|<br>|<a href="https:\/\/[^"<>]*">|<\/a>/gu;
    for (const text of texts) expect(text.replace(ours, "")).not.toMatch(/[<>]/u);
    expect(payload.text).not.toMatch(/<[a-z!@#]/iu);
    expect(JSON.stringify(payload)).not.toContain(HOSTILE_URLS.script);
    expect(texts.join("\n")).toContain(
      '<a href="https://docs.example/d/x?a=1&amp;b=(2)|%3C3%3E%20%22q%22">Last agenda Tue 31 Mar 2026</a>',
    );
    const readable = unescapeAll(texts.map((text) => text.replace(ours, "")).join("\n"));
    expectHostileTextReadable(readable);
  });

  it("keeps many reports to 100 widgets and the byte budget, counting the reports and items left out", () => {
    const total = 60;
    const items = 40;
    const payload = rollupGoogleChatPayload(buildRollup(bigRollupInput(total, items)));
    expectWithinLimits(payload);
    const byName = reports(payload);
    expect(byName.size).toBeLessThan(total);
    expect([...byName.keys()]).toEqual(Array.from({ length: byName.size }, (_, r) => `Report ${r}`));
    const hidden = `and ${total - byName.size} more reports`;
    expect(widgets(payload).at(-1)?.textParagraph?.text).toMatch(
      new RegExp(`^<b>${hidden} \\(\\d+ open items, \\d+ overdue\\)</b>$`, "u"),
    );
    expect(payload.text).toContain(hidden);
    for (const [name, section] of byName) {
      const url = agendaUrlOf(name.toLowerCase().replace(" ", "-"));
      expect(section.at(-1)?.textParagraph?.text).toBe(
        `<b>and ${items - itemCount(section)} more — <a href="${url}">open the agenda</a></b>`,
      );
    }
  });

  it("shows every report when they fit, the most urgent with at least as many items", () => {
    const payload = rollupGoogleChatPayload(buildRollup(bigRollupInput(4, 80)));
    expectWithinLimits(payload);
    const counts = [...reports(payload).values()].map(itemCount);
    expect(counts).toHaveLength(4);
    expect(counts.every((count) => count > 0)).toBe(true);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(widgets(payload).length).toBe(GOOGLE_CHAT_MAX_WIDGETS);
  });
});
