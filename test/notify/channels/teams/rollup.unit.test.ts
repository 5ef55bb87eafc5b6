// Teams roll-ups read by Microsoft's own `adaptivecards` parser inside workerd (no parse or validation
// events, nothing dropped in a round trip), within the 28 KB message limit, with visible overflow that
// links each report's agenda, and hostile text made harmless.
import { describe, expect, it } from "vitest";
import { buildRollup } from "../../../../src/domain/rollup";
import { TEAMS_MAX_PAYLOAD_BYTES } from "../../../../src/notify/channels/teams/digest";
import { rollupTeamsPayload, type TeamsRollupPayload } from "../../../../src/notify/channels/teams/rollup";
import { unescapeAll } from "../fixtures";
import {
  agendaUrlOf,
  bigRollupInput,
  expectHostileTextReadable,
  HOSTILE_URLS,
  hostileRollupInput,
  parseAdaptiveCard,
  threeReportRollup,
  utf8Bytes,
} from "../rollup-support";

function expectAccepted(payload: TeamsRollupPayload): void {
  const { problems, roundTrip } = parseAdaptiveCard(payload.attachments[0].content);
  expect(problems).toEqual([]);
  expect(roundTrip).toEqual(payload.attachments[0].content);
  expect(utf8Bytes(payload)).toBeLessThanOrEqual(TEAMS_MAX_PAYLOAD_BYTES);
}

function body(payload: TeamsRollupPayload) {
  return payload.attachments[0].content.body;
}

/** Each report container's texts, keyed by the report name its first TextBlock shows. */
function reports(payload: TeamsRollupPayload): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const element of body(payload)) {
    if (element.type !== "Container") continue;
    const [name, ...rest] = element.items.map((block) => block.text);
    found.set((name ?? "").replace(/[\u2068\u2069]/gu, ""), rest);
  }
  return found;
}

describe("rollupTeamsPayload", () => {
  it("is a Workflows message whose card lists each report with its agenda link and marked items", () => {
    const rollup = threeReportRollup();
    const payload = rollupTeamsPayload(rollup);
    expectAccepted(payload);
    expect(payload.type).toBe("message");
    expect(payload.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    const [headline, summary] = body(payload);
    expect(headline).toMatchObject({
      type: "TextBlock",
      // Markdown escaped: "\\-" shows as "-".
      text: "Weekly 1:1 roll\\-up for Grace Hopper — Fri 3 Apr 2026",
    });
    expect(summary).toMatchObject({ type: "TextBlock", text: rollup.summary });
    const byName = reports(payload);
    expect([...byName.keys()]).toEqual(["Bea", "Cleo", "Dan"]);
    expect(byName.get("Bea")).toEqual([
      `[Last agenda Tue 31 Mar 2026](${agendaUrlOf("bea")})`,
      rollup.reports[0]?.summary,
      "🔴 OVERDUE 2d · 🔁 stuck · carried 3×",
      "\u2068Send the review\u2069",
      "\u2068Ada Lovelace\u2069 · due 2026-03-29 · 2 days overdue · carried 3× since 2026-03-24",
      "\u2068Book the offsite\u2069",
      "\u2068Ada Lovelace\u2069 · no due date · carried 1× since 2026-03-24",
    ]);
    expect(byName.get("Dan")).toEqual(["No agenda prepared yet"]);
  });

  it("makes hostile names, items and links harmless and readable", () => {
    const payload = rollupTeamsPayload(buildRollup(hostileRollupInput()));
    expectAccepted(payload);
    const texts = body(payload).flatMap((element) =>
      element.type === "TextBlock" ? [element.text] : element.items.map((block) => block.text),
    );
    // Markdown links are only ours: `[label](https://…)` with nothing unescaped around them.
    const withoutOurLinks = texts.map((text) =>
      text.replace(/\[(Last agenda [^\]]+|open the agenda)\]\(https:\/\/[^\s()]+\)/gu, ""),
    );
    for (const text of withoutOurLinks) expect(text).not.toMatch(/(?<!\\)(?:<|\*\*|__|~~|```|\]\()/u);
    expect(JSON.stringify(payload)).not.toContain(HOSTILE_URLS.script);
    expect(texts).toContain(
      "[Last agenda Tue 31 Mar 2026](https://docs.example/d/x?a=1&b=%282%29|%3C3%3E%20%22q%22)",
    );
    const readable = unescapeAll(texts.join("\n"));
    expectHostileTextReadable(readable);
    expect(readable).toContain("# Heading > quote - list 1. numbered -# subtext");
    expect(readable).toContain("Mal <!channel> *Manager* <script>x</script>");
  });

  it("stays under 28 KB with many reports, counting the reports and items left out", () => {
    const total = 60;
    const items = 40;
    const payload = rollupTeamsPayload(buildRollup(bigRollupInput(total, items)));
    expectAccepted(payload);
    const byName = reports(payload);
    expect(byName.size).toBeLessThan(total);
    expect([...byName.keys()]).toEqual(Array.from({ length: byName.size }, (_, r) => `Report ${r}`));
    const last = body(payload).at(-1);
    expect(last?.type === "TextBlock" ? last.text : "").toMatch(
      new RegExp(`^and ${total - byName.size} more reports \\(\\d+ open items, \\d+ overdue\\)$`, "u"),
    );
    for (const [name, texts] of byName) {
      const listed = texts.filter((text) => /^\u2068R\d+ item/u.test(text)).length;
      expect(texts.at(-1)).toBe(
        `and ${items - listed} more — [open the agenda](${agendaUrlOf(name.toLowerCase().replace(" ", "-"))})`,
      );
    }
  });

  it("shows every report when they fit, the most urgent with at least as many items", () => {
    const payload = rollupTeamsPayload(buildRollup(bigRollupInput(5, 80)));
    expectAccepted(payload);
    const byName = reports(payload);
    expect(byName.size).toBe(5);
    const counts = [...byName.values()].map(
      (texts) => texts.filter((text) => /^\u2068R\d+ item/u.test(text)).length,
    );
    expect(counts.every((count) => count > 0)).toBe(true);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    // The budget is used, not left mostly empty.
    expect(utf8Bytes(payload)).toBeGreaterThan(TEAMS_MAX_PAYLOAD_BYTES * 0.75);
  });
});
