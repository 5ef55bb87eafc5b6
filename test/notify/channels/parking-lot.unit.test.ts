// The parking lot in every channel's digest and roll-up: parked items come after all others, under the
// agenda's own "Parking lot" heading, said once; a digest with many parked items still keeps each
// channel's limits. The roll-up shows each report's week in figures.
import { describe, expect, it } from "vitest";
import { buildDigest, type DigestItemInput, PARKING_LOT_HEADING } from "../../../src/domain/digest";
import { buildRollup } from "../../../src/domain/rollup";
import { discordPayload } from "../../../src/notify/channels/discord/digest";
import { rollupDiscordPayload } from "../../../src/notify/channels/discord/rollup";
import { emailContent } from "../../../src/notify/channels/email/digest";
import { rollupEmailContent } from "../../../src/notify/channels/email/rollup";
import {
  GOOGLE_CHAT_MAX_MESSAGE_BYTES,
  GOOGLE_CHAT_MAX_WIDGETS,
  googleChatPayload,
} from "../../../src/notify/channels/google-chat/digest";
import { rollupGoogleChatPayload } from "../../../src/notify/channels/google-chat/rollup";
import {
  SLACK_MAX_BLOCKS,
  SLACK_MAX_SECTION_TEXT,
  slackPayload,
} from "../../../src/notify/channels/slack/digest";
import { rollupSlackPayload } from "../../../src/notify/channels/slack/rollup";
import { TEAMS_MAX_PAYLOAD_BYTES, teamsPayload } from "../../../src/notify/channels/teams/digest";
import { rollupTeamsPayload } from "../../../src/notify/channels/teams/rollup";
import { payloadBytes } from "../../../src/notify/channels/text";
import { embedFields, expectWithinDiscordLimits } from "./discord-limits";
import { input, item } from "./fixtures";
import { report, rollupInput } from "./rollup-support";
import { slackBlockProblems } from "./vendor-schemas";

const digest = buildDigest(
  input([
    item({ text: "Parked and overdue", timesCarried: 6, dueDate: "2026-03-01", parked: true }),
    item({ text: "Fresh action", timesCarried: 1, dueDate: null }),
    item({ text: "Stuck action", timesCarried: 3, dueDate: null }),
  ]),
);

/** Where each text first appears in `haystack`, so a test can say what comes before what. */
function order(haystack: string, needles: readonly string[]): number[] {
  return needles.map((needle) => haystack.indexOf(needle));
}

function expectHeadingBetween(text: string): void {
  const [stuck, heading, parked] = order(text, ["Stuck action", PARKING_LOT_HEADING, "Parked and overdue"]);
  expect(stuck).toBeGreaterThanOrEqual(0);
  expect(heading).toBeGreaterThan(stuck ?? 0);
  expect(parked).toBeGreaterThan(heading ?? 0);
  expect(text.split(PARKING_LOT_HEADING)).toHaveLength(2);
}

/** Many items, the later half parked, each with enough text that no channel shows all of them. */
function crowded(count: number): DigestItemInput[] {
  return Array.from({ length: count }, (_, index) =>
    item({
      text: `Item number ${index} ${"with some detail ".repeat(5)}`,
      dueDate: null,
      timesCarried: index >= count / 2 ? 5 : 1,
      parked: index >= count / 2,
    }),
  );
}

describe("the parking lot in a digest", () => {
  it("calls items carried 3 times or more stuck", () => {
    expect(digest.summary).toBe(
      "3 open items carried (1 overdue, 2 stuck, 1 in the parking lot) · 2 items closed since the last meeting",
    );
  });

  it("Slack: a heading in the first parked item's section, and in the fallback text", () => {
    const payload = slackPayload(digest);
    expect(slackBlockProblems(payload.blocks)).toEqual([]);
    expectHeadingBetween(JSON.stringify(payload.blocks));
    expectHeadingBetween(payload.text);
  });

  it("Teams, Discord, Google Chat: the heading before the parked items", () => {
    expectHeadingBetween(JSON.stringify(teamsPayload(digest).attachments[0].content.body));
    expectHeadingBetween(JSON.stringify(embedFields(discordPayload(digest))));
    const chat = googleChatPayload(digest);
    const sections = chat.cardsV2[0].card.sections;
    expect(sections.map((section) => section.header ?? null)).toEqual([
      null,
      "Carried action items",
      PARKING_LOT_HEADING,
    ]);
    expect(JSON.stringify(sections[2])).toContain("Parked and overdue");
  });

  it("email: a heading of its own in both parts, numbering carried on", () => {
    const email = emailContent(digest);
    expectHeadingBetween(email.text);
    expectHeadingBetween(email.html);
    expect(email.text).toMatch(/🅿️ Parking lot:\n\n3\. /u);
    expect(email.html).toContain('<ol start="3"');
  });

  it("keeps every channel within its limits when many items are parked", () => {
    const big = buildDigest(input(crowded(300)));
    const slack = slackPayload(big);
    expect(slack.blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
    expect(slackBlockProblems(slack.blocks)).toEqual([]);
    for (const block of slack.blocks) {
      if (block.type === "section")
        expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(SLACK_MAX_SECTION_TEXT);
    }
    expectWithinDiscordLimits(discordPayload(big));
    expect(payloadBytes(teamsPayload(big))).toBeLessThanOrEqual(TEAMS_MAX_PAYLOAD_BYTES);
    const chat = googleChatPayload(big);
    const widgets = chat.cardsV2[0].card.sections.flatMap((section) => section.widgets);
    expect(widgets.length).toBeLessThanOrEqual(GOOGLE_CHAT_MAX_WIDGETS);
    expect(new TextEncoder().encode(JSON.stringify(chat)).length).toBeLessThanOrEqual(
      GOOGLE_CHAT_MAX_MESSAGE_BYTES,
    );
  });
});

describe("the parking lot and the week's figures in a roll-up", () => {
  const rollup = buildRollup(
    rollupInput([
      report(
        "Bea",
        [
          item({ text: "Fresh action", timesCarried: 1, dueDate: null }),
          item({ text: "Stuck action", timesCarried: 3, dueDate: null }),
          item({ text: "Parked and overdue", timesCarried: 6, dueDate: "2026-03-01", parked: true }),
        ],
        { closedSinceLastMeeting: 4, closedWithinWeek: 3 },
      ),
    ]),
  );
  const figures = "closed 4 (3 within a week, 75%) · carried 3 · stuck 2 · 1 overdue · 1 in the parking lot";

  it.each([
    ["Slack", () => JSON.stringify(rollupSlackPayload(rollup).blocks)],
    ["Teams", () => JSON.stringify(rollupTeamsPayload(rollup))],
    ["Discord", () => JSON.stringify(rollupDiscordPayload(rollup).embeds)],
    ["Google Chat", () => JSON.stringify(rollupGoogleChatPayload(rollup).cardsV2)],
    ["email (text)", () => rollupEmailContent(rollup).text],
    ["email (HTML)", () => rollupEmailContent(rollup).html],
  ])("%s shows the report's figures and its parked items under their heading", (_channel, render) => {
    const text = render();
    expect(text).toContain(figures);
    expectHeadingBetween(text);
  });
});
