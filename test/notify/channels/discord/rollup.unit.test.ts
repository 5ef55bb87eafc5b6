import { describe, expect, it } from "vitest";
import { buildRollup } from "../../../../src/domain/rollup";
import type { DiscordPayload } from "../../../../src/notify/channels/discord/digest";
import { rollupDiscordPayload } from "../../../../src/notify/channels/discord/rollup";
import { embedFields, expectWithinDiscordLimits } from "../discord-limits";
import { item, unescapeAll } from "../fixtures";
import {
  agendaUrlOf,
  bigRollupInput,
  expectHostileTextReadable,
  HOSTILE_URLS,
  hostileRollupInput,
  report,
  rollupInput,
  threeReportRollup,
} from "../rollup-support";

/** Report fields by report name (the field name without its bidi isolates). */
function reports(payload: DiscordPayload): Map<string, string> {
  return new Map(
    embedFields(payload)
      .filter((field) => field.name.startsWith("\u2068"))
      .map((field) => [field.name.replace(/[\u2068\u2069]/gu, ""), field.value]),
  );
}

function itemLines(value: string): string[] {
  return value.split("\n").filter((line) => line.startsWith("• "));
}

describe("rollupDiscordPayload", () => {
  it("has a field per report with its agenda link and marked items, red when anything is overdue", () => {
    const rollup = threeReportRollup();
    const payload = rollupDiscordPayload(rollup);
    expectWithinDiscordLimits(payload);
    expect(payload.content).toBe(
      `**Weekly 1:1 roll\\-up for Grace Hopper — Fri 3 Apr 2026** — ${rollup.summary}`,
    );
    expect(payload.embeds?.[0]?.color).toBe(0xed4245);
    expect(payload.embeds?.[0]?.description).toBe(rollup.summary);
    const byName = reports(payload);
    expect([...byName.keys()]).toEqual(["Bea", "Cleo", "Dan"]);
    expect(byName.get("Bea")).toBe(
      [
        `[Last agenda Tue 31 Mar 2026](${agendaUrlOf("bea")})`,
        rollup.reports[0]?.summary,
        "• **🔴 OVERDUE 2d · 🔁 stuck · carried 3×** \u2068Send the review\u2069 — \u2068Ada Lovelace\u2069 · due 2026-03-29 · 2 days overdue",
        "• \u2068Book the offsite\u2069 — \u2068Ada Lovelace\u2069 · no due date",
      ].join("\n"),
    );
    expect(byName.get("Dan")).toBe("No agenda prepared yet");
    const calm = rollupDiscordPayload(buildRollup(rollupInput([report("Cleo", [item({ dueDate: null })])])));
    expect(calm.embeds?.[0]?.color).toBe(0x5865f2);
  });

  it("makes hostile names, items and links harmless and readable", () => {
    const payload = rollupDiscordPayload(buildRollup(hostileRollupInput()));
    expectWithinDiscordLimits(payload);
    const all = [
      payload.content ?? "",
      payload.embeds?.[0]?.title ?? "",
      ...embedFields(payload).flatMap((field) => [field.name, field.value]),
    ];
    expect(all.join("\n")).not.toMatch(/@(everyone|here)/u);
    expect(JSON.stringify(payload)).not.toContain(HOSTILE_URLS.script);
    // Apart from our own bold marks and agenda links, every metacharacter from user text is escaped.
    const ours =
      /\*\*(?:🔴|🔁|and \d+)[^*]*\*\*|\[(?:Last agenda [^\]]+|open the agenda)\]\(https:\/\/[^\s()]+\)/gu;
    for (const text of all.map((value) => value.replace(ours, "").replace(/^\*\*.*\*\* — /u, ""))) {
      expect(text).not.toMatch(/(?<!\\)(?:<[@#!]|\*\*|__|~~|\|\||```|\]\()/u);
    }
    expect(all.join("\n")).toContain(
      "[Last agenda Tue 31 Mar 2026](https://docs.example/d/x?a=1&b=%282%29|%3C3%3E%20%22q%22)\n",
    );
    const readable = unescapeAll(all.join("\n"));
    expectHostileTextReadable(readable);
  });

  it("fits many reports in 6000 characters, counting the reports and items left out", () => {
    const total = 60;
    const items = 40;
    const payload = rollupDiscordPayload(buildRollup(bigRollupInput(total, items)));
    expectWithinDiscordLimits(payload);
    const byName = reports(payload);
    expect(byName.size).toBeLessThan(total);
    expect([...byName.keys()]).toEqual(Array.from({ length: byName.size }, (_, r) => `Report ${r}`));
    expect(embedFields(payload).at(-1)?.name).toMatch(
      new RegExp(`^and ${total - byName.size} more reports \\(\\d+ open items, \\d+ overdue\\)$`, "u"),
    );
    for (const [name, value] of byName) {
      const listed = itemLines(value).length;
      const url = agendaUrlOf(name.toLowerCase().replace(" ", "-"));
      expect(value.endsWith(`**and ${items - listed} more — [open the agenda](${url})**`)).toBe(true);
    }
  });

  it("spreads more than 25 reports over several embeds", () => {
    const payload = rollupDiscordPayload(
      buildRollup(rollupInput(Array.from({ length: 30 }, (_, r) => report(`R${r}`, [])))),
    );
    expectWithinDiscordLimits(payload);
    expect(payload.embeds).toHaveLength(2);
    expect(reports(payload).size).toBe(30);
  });

  it("keeps each report's field within 1024 characters, with the most urgent reports listed first", () => {
    const payload = rollupDiscordPayload(buildRollup(bigRollupInput(3, 80)));
    expectWithinDiscordLimits(payload);
    const byName = reports(payload);
    expect([...byName.keys()]).toEqual(["Report 0", "Report 1", "Report 2"]);
    for (const value of byName.values()) {
      expect(itemLines(value).length).toBeGreaterThan(0);
      expect(value).toMatch(/\*\*and \d+ more — \[open the agenda\]\(https:[^)]+\)\*\*$/u);
    }
  });
});
