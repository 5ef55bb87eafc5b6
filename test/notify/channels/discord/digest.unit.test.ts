// Discord payloads: the builder is typed `satisfies RESTPostAPIWebhookWithTokenJSONBody` from
// discord-api-types (tsc checks the shape); these tests check Discord's documented embed limits,
// which the types cannot express, the overflow count, and hostile text.

import { describe, expect, it } from "vitest";
import { buildDigest } from "../../../../src/domain/digest";
import { discordPayload, escapeDiscord } from "../../../../src/notify/channels/discord/digest";
import { embedFields, expectWithinDiscordLimits } from "../discord-limits";
import { AGENDA_URL, HOSTILE_TEXTS, hostileInput, input, item, manyItems, unescapeAll } from "../fixtures";

describe("discordPayload", () => {
  it("lists items as fields, overdue ones first, red and bold", () => {
    const payload = discordPayload(buildDigest(input([item({ dueDate: null }), item({ timesCarried: 3 })])));
    expectWithinDiscordLimits(payload);
    const [first, second] = embedFields(payload);
    expect(first?.name).toBe("🔴 OVERDUE 4d · 🔁 stuck · carried 3×");
    expect(first?.value).toMatch(/^\*\*\u2068Write the migration plan\u2069\*\*\n/u);
    expect(second?.name).toBe("carried 1×");
    expect(payload.embeds?.[0]?.color).toBe(0xed4245);
    expect(payload.embeds?.[0]?.url).toBe(AGENDA_URL);
    expect(payload.embeds?.[0]?.description).toContain(`[Open the agenda](${AGENDA_URL})`);
  });

  it("makes hostile text harmless and readable", () => {
    const payload = discordPayload(buildDigest(hostileInput()));
    expectWithinDiscordLimits(payload);
    const values = embedFields(payload).map((field) => field.value);
    const all = [payload.content ?? "", payload.embeds?.[0]?.title ?? "", ...values].join("\n");
    expect(all).not.toMatch(/@(everyone|here)/u);
    // Every Markdown metacharacter and `<` from user text is backslash-escaped.
    const userLines = values.map((value) => value.replace(/^\*\*|\*\*$/gmu, ""));
    for (const line of userLines) expect(line).not.toMatch(/(?<!\\)(?:<[@#!]|\*\*|__|~~|\|\||```|\]\()/u);
    const readable = unescapeAll(all);
    for (const key of ["script", "pings", "markdown", "emoji"] as const) {
      expect(readable).toContain(HOSTILE_TEXTS[key].replace(/@(everyone|here)/gu, "@$1"));
    }
    expect(readable).toContain("לסיים את הדוח مراجعة التقرير reversed");
    expect(readable).toContain("…");
  });

  it("escapes @everyone and @here even without allowed_mentions", () => {
    expect(escapeDiscord("@everyone @Here")).toBe("@\u200Beveryone @\u200BHere");
    expect(escapeDiscord("<@123> **x**")).toBe("\\<@123\\> \\*\\*x\\*\\*");
  });

  it("fits within 6000 characters and counts what is left out", () => {
    const payload = discordPayload(buildDigest(manyItems(200)));
    expectWithinDiscordLimits(payload);
    const all = embedFields(payload);
    const shown = all.filter((field) => field.value.includes("Item number")).length;
    const last = all.at(-1);
    expect(last?.name).toBe(`and ${200 - shown} more — open the agenda`);
    expect(last?.value).toContain(`(${AGENDA_URL})`);
    expect(shown).toBeGreaterThan(10);
  });

  it("uses more than one embed when there are more than 25 short items", () => {
    const payload = discordPayload(
      buildDigest(input(Array.from({ length: 40 }, (_, n) => item({ text: `#${n}`, dueDate: null })))),
    );
    expectWithinDiscordLimits(payload);
    expect(payload.embeds?.length).toBe(2);
    expect(embedFields(payload)).toHaveLength(40);
  });
});
