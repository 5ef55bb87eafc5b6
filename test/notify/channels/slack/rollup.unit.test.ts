// Slack roll-ups against the JSON Schema generated from @slack/types (the meeting digest's), Slack's
// documented limits (50 blocks, 3000 per section, 150 per header), visible overflow with each report's
// own agenda link, and hostile text in names, items and links.
import { describe, expect, it } from "vitest";
import { buildRollup } from "../../../../src/domain/rollup";
import {
  SLACK_FALLBACK_BUDGET,
  SLACK_MAX_BLOCKS,
  SLACK_MAX_HEADER_TEXT,
  SLACK_MAX_SECTION_TEXT,
  type SlackPayload,
} from "../../../../src/notify/channels/slack/digest";
import { rollupSlackPayload } from "../../../../src/notify/channels/slack/rollup";
import { unescapeAll } from "../fixtures";
import {
  agendaUrlOf,
  bigRollupInput,
  expectHostileTextReadable,
  HOSTILE_URLS,
  hostileRollupInput,
  slackBlockProblems,
  threeReportRollup,
} from "../rollup-support";

function sections(payload: SlackPayload): string[] {
  return payload.blocks.flatMap((block) =>
    block.type === "section" && block.text?.type === "mrkdwn" ? [block.text.text] : [],
  );
}

function headerText(payload: SlackPayload): string {
  const header = payload.blocks[0];
  return header?.type === "header" ? header.text.text : "";
}

/** The report sections, by the report name they start with. */
function reportSections(payload: SlackPayload): Map<string, string> {
  const found = new Map<string, string>();
  for (const text of sections(payload)) {
    const name = /^\*\u2068([^\u2069]*)\u2069\*/u.exec(text)?.[1];
    if (name !== undefined) found.set(name, text);
  }
  return found;
}

function itemLines(section: string): string[] {
  return section.split("\n").filter((line) => line.startsWith("• "));
}

describe("rollupSlackPayload", () => {
  const rollup = threeReportRollup();

  it("shows the headline, the totals, then each report with its agenda link and items, valid against @slack/types", () => {
    const payload = rollupSlackPayload(rollup);
    expect(slackBlockProblems(payload.blocks)).toEqual([]);
    expect(headerText(payload)).toBe("Weekly 1:1 roll-up for Grace Hopper — Fri 3 Apr 2026");
    expect(sections(payload)[0]).toBe(rollup.summary);
    const byName = reportSections(payload);
    expect([...byName.keys()]).toEqual(["Bea", "Cleo", "Dan"]);
    const bea = byName.get("Bea") ?? "";
    expect(bea).toContain(`<${agendaUrlOf("bea")}|Last agenda Tue 31 Mar 2026>`);
    expect(bea).toContain(rollup.reports[0]?.summary);
    // Most urgent first, marked in bold with the shared urgency words.
    expect(itemLines(bea)).toEqual([
      "• *🔴 OVERDUE 2d · 🔁 stuck · carried 3×* \u2068Send the review\u2069",
      "• \u2068Book the offsite\u2069",
    ]);
    expect(bea).toContain(
      "\u2068Ada Lovelace\u2069 · due 2026-03-29 · 2 days overdue · carried 3× since 2026-03-24",
    );
    expect(byName.get("Dan")).toBe("*\u2068Dan\u2069* · No agenda prepared yet");
    expect(payload.text).toContain("Weekly 1:1 roll-up for Grace Hopper — Fri 3 Apr 2026: 3 reports");
    expect(payload.text).toContain(agendaUrlOf("cleo"));
    expect(payload).toMatchObject({ unfurl_links: false, unfurl_media: false });
  });

  it("makes hostile names, items and links harmless and readable", () => {
    const payload = rollupSlackPayload(buildRollup(hostileRollupInput()));
    expect(slackBlockProblems(payload.blocks)).toEqual([]);
    const texts = [...sections(payload), payload.text];
    for (const text of texts) {
      // The only angle-bracket tokens are our own links to agendas.
      const tokens = [...text.matchAll(/<[^>]*>/gu)].map((match) => match[0]);
      for (const token of tokens) expect(token).toMatch(/^<https:\/\/[^|<>]*\|[^<>]*>$/u);
      expect(text).not.toContain("<!channel>");
      expect(text).not.toContain("<script");
      expect(text).not.toContain("**bold");
      expect(text).not.toContain("javascript:");
      expect(text.length).toBeLessThanOrEqual(SLACK_MAX_SECTION_TEXT);
    }
    // The link that tries to break out stays one link, to the same place.
    expect(sections(payload).join("\n")).toContain(
      "<https://docs.example/d/x?a=1&amp;b=(2)%7C%3C3%3E%20%22q%22|Last agenda Tue 31 Mar 2026>",
    );
    const readable = unescapeAll(texts.join("\n"));
    expectHostileTextReadable(readable);
    expect(readable).toContain("# Heading > quote - list 1. numbered -# subtext");
    expect(readable).not.toContain("END");
    // The report whose link is `javascript:` keeps its label, unlinked.
    const rtl =
      sections(payload).find((text) => text.includes("Last agenda") && !text.includes("<http")) ?? "";
    expect(rtl).toContain(`* · Last agenda Tue 31 Mar 2026\n`);
    expect(JSON.stringify(payload)).not.toContain(HOSTILE_URLS.script);
  });

  it("fills 50 blocks with many reports, counts the reports and items left out, and links each report's agenda", () => {
    const reports = 60;
    const items = 40;
    const payload = rollupSlackPayload(buildRollup(bigRollupInput(reports, items)));
    expect(slackBlockProblems(payload.blocks)).toEqual([]);
    expect(payload.blocks).toHaveLength(SLACK_MAX_BLOCKS);
    expect(headerText(payload).length).toBeLessThanOrEqual(SLACK_MAX_HEADER_TEXT);
    for (const text of sections(payload)) expect(text.length).toBeLessThanOrEqual(SLACK_MAX_SECTION_TEXT);

    const shown = reportSections(payload);
    expect(shown.size).toBeLessThan(reports);
    // Most urgent first: the shown reports are the first ones.
    expect([...shown.keys()]).toEqual(Array.from({ length: shown.size }, (_, r) => `Report ${r}`));
    const last = sections(payload).at(-1) ?? "";
    expect(last).toMatch(
      new RegExp(`^\\*and ${reports - shown.size} more reports \\(\\d+ open items, \\d+ overdue\\)\\*$`, "u"),
    );
    for (const [name, text] of shown) {
      const r = Number(name.replace("Report ", ""));
      const listed = itemLines(text).length;
      expect(listed).toBeGreaterThan(0);
      expect(
        text.endsWith(`*and ${items - listed} more — <${agendaUrlOf(`report-${r}`)}|open the agenda>*`),
      ).toBe(true);
    }
    expect(payload.text.length).toBeLessThanOrEqual(SLACK_FALLBACK_BUDGET);
    expect(payload.text).toMatch(/\nand \d+ more reports \(\d+ open items, \d+ overdue\)$/u);
  });

  it("shows every report when they fit, each section cut within 3000 characters with its own agenda link", () => {
    const payload = rollupSlackPayload(buildRollup(bigRollupInput(5, 80)));
    expect(slackBlockProblems(payload.blocks)).toEqual([]);
    const shown = reportSections(payload);
    expect([...shown.keys()]).toEqual(["Report 0", "Report 1", "Report 2", "Report 3", "Report 4"]);
    for (const [name, text] of shown) {
      const listed = itemLines(text).length;
      expect(listed).toBeGreaterThan(5);
      expect(text.length).toBeLessThanOrEqual(SLACK_MAX_SECTION_TEXT);
      const pairId = name.toLowerCase().replace(" ", "-");
      expect(text.endsWith(`*and ${80 - listed} more — <${agendaUrlOf(pairId)}|open the agenda>*`)).toBe(
        true,
      );
    }
    expect(JSON.stringify(payload.blocks)).not.toContain("more reports");
  });
});
