// Slack payloads against a JSON Schema generated from @slack/types' `KnownBlock` (see
// generate-vendor-schemas.ts for why it is committed), Slack's documented limits, and hostile text.
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../../../src/domain/digest";
import {
  SLACK_FALLBACK_BUDGET,
  SLACK_MAX_BLOCKS,
  SLACK_MAX_HEADER_TEXT,
  SLACK_MAX_SECTION_TEXT,
  type SlackPayload,
  slackPayload,
} from "../../../../src/notify/channels/slack/digest";
import { AGENDA_URL, HOSTILE_TEXTS, hostileInput, input, item, manyItems, unescapeAll } from "../fixtures";
import { slackBlockProblems } from "../vendor-schemas";

function expectValid(payload: SlackPayload): void {
  expect(slackBlockProblems(payload.blocks)).toEqual([]);
}

function mrkdwnTexts(payload: SlackPayload): string[] {
  return payload.blocks.flatMap((block) =>
    block.type === "section" && block.text?.type === "mrkdwn" ? [block.text.text] : [],
  );
}

/** Angle-bracket tokens that are not our own agenda links: each one could ping or link. */
function foreignTokens(text: string): string[] {
  return [...text.matchAll(/<[^>]*>/gu)].map((m) => m[0]).filter((token) => !token.startsWith("<https://"));
}

describe("slackPayload", () => {
  it("builds blocks valid against @slack/types with a plain-text fallback", () => {
    const payload = slackPayload(buildDigest(input([item({ timesCarried: 4 }), item({ dueDate: null })])));
    expectValid(payload);
    expect(payload.blocks[0]).toMatchObject({ type: "header" });
    expect(payload.text).toContain("1:1 Ada Lovelace / Charles Babbage — Tue 31 Mar 2026");
    expect(payload.text).toContain(AGENDA_URL);
    const [intro, first, second] = mrkdwnTexts(payload);
    expect(intro).toContain(`<${AGENDA_URL}|Open the agenda>`);
    expect(intro).toContain("*Tuesday 31 March 2026, 10:00 (Europe/Berlin)*");
    expect(second).not.toContain("OVERDUE");
    expect(first).toContain("Write the migration plan");
    // The overdue, long-carried item stands out first.
    expect(mrkdwnTexts(payload)[1]).toMatch(/^\*🔴 OVERDUE 4d · 🔁 stuck · carried 4×\*/u);
  });

  it("makes hostile text harmless and readable", () => {
    const payload = slackPayload(buildDigest(hostileInput()));
    expectValid(payload);
    const texts = [...mrkdwnTexts(payload), payload.text];
    for (const text of texts) expect(foreignTokens(text), text).toEqual([]);
    // The header is plain_text, which Slack never parses for mentions, so it may show the raw name.
    for (const text of texts) {
      expect(text).not.toContain("<!channel>");
      expect(text).not.toContain("<script");
      expect(text).not.toContain("**bold");
      expect(text).not.toContain("```");
    }
    const readable = unescapeAll(texts.join("\n"));
    for (const key of ["script", "pings", "markdown", "emoji", "rtl"] as const) {
      const expected = HOSTILE_TEXTS[key].replace("\u202E", "").replace("\u202C", "");
      expect(readable).toContain(expected);
    }
    expect(readable).toContain("# Heading > quote - list 1. numbered -# subtext");
    for (const text of mrkdwnTexts(payload)) expect(text.length).toBeLessThanOrEqual(SLACK_MAX_SECTION_TEXT);
    // The long item is cut visibly, at most 1000 characters.
    expect(readable).toMatch(/Very long item text\. Very long[^\n]*…/u);
    expect(readable).not.toContain("END");
  });

  it("shows as many items as 50 blocks allow and counts the rest", () => {
    const payload = slackPayload(buildDigest(manyItems(120)));
    expectValid(payload);
    expect(payload.blocks).toHaveLength(SLACK_MAX_BLOCKS);
    const shown = mrkdwnTexts(payload).filter((text) => text.includes("Item number")).length;
    const last = mrkdwnTexts(payload).at(-1) ?? "";
    expect(last).toBe(`*and ${120 - shown} more — <${AGENDA_URL}|open the agenda>*`);
    expect(payload.text.length).toBeLessThanOrEqual(SLACK_FALLBACK_BUDGET);
    expect(payload.text).toMatch(/and \d+ more — open the agenda$/u);
    const header = payload.blocks[0];
    expect(header?.type === "header" ? header.text.text.length : 0).toBeLessThanOrEqual(
      SLACK_MAX_HEADER_TEXT,
    );
  });

  it("needs no overflow line when everything fits", () => {
    const payload = slackPayload(buildDigest(manyItems(47)));
    expect(payload.blocks).toHaveLength(50);
    expect(JSON.stringify(payload.blocks)).not.toContain("more — ");
  });
});
