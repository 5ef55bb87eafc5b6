// Teams payloads parsed by Microsoft's own `adaptivecards` package, inside workerd: no parse or
// validation events, and nothing we wrote dropped by the parser (a round trip through toJSON), plus
// the 28 KB message limit, the overflow count and hostile text.
import * as AC from "adaptivecards";
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../../../src/domain/digest";
import {
  escapeTeams,
  TEAMS_MAX_PAYLOAD_BYTES,
  type TeamsPayload,
  teamsPayload,
} from "../../../../src/notify/channels/teams/digest";
import { payloadBytes } from "../../../../src/notify/channels/text";
import { AGENDA_URL, HOSTILE_TEXTS, hostileInput, input, item, manyItems, unescapeAll } from "../fixtures";

/** Parses the card with Microsoft's parser; returns the parse and validation messages. */
function parseCard(payload: TeamsPayload): { problems: string[]; roundTrip: unknown } {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(payload.attachments[0].content, context);
  const problems: string[] = [];
  for (let index = 0; index < context.eventCount; index += 1) {
    problems.push(context.getEventAt(index).message);
  }
  for (const event of card.validateProperties().validationEvents) problems.push(event.message);
  return { problems, roundTrip: card.toJSON() };
}

function texts(payload: TeamsPayload): string[] {
  return payload.attachments[0].content.body.flatMap((element) =>
    element.type === "TextBlock" ? [element.text] : element.items.map((block) => block.text),
  );
}

describe("teamsPayload", () => {
  it("is a Workflows message whose Adaptive Card Microsoft's parser accepts whole", () => {
    const payload = teamsPayload(buildDigest(input([item({ timesCarried: 3 }), item({ dueDate: null })])));
    expect(payload.type).toBe("message");
    expect(payload.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    const { problems, roundTrip } = parseCard(payload);
    expect(problems).toEqual([]);
    expect(roundTrip).toEqual(payload.attachments[0].content);
    expect(texts(payload)).toContain("🔴 OVERDUE 4d · 🔁 stuck · carried 3×");
    expect(payload.attachments[0].content.actions).toEqual([
      { type: "Action.OpenUrl", title: "Open the agenda", url: AGENDA_URL },
    ]);
  });

  it("makes hostile text harmless and readable", () => {
    const payload = teamsPayload(buildDigest(hostileInput()));
    const { problems, roundTrip } = parseCard(payload);
    expect(problems).toEqual([]);
    expect(roundTrip).toEqual(payload.attachments[0].content);
    const all = texts(payload);
    for (const text of all) expect(text).not.toMatch(/(?<!\\)(?:<|\*\*|__|~~|```|\]\()/u);
    const readable = unescapeAll(all.join("\n"));
    for (const key of ["script", "pings", "markdown", "emoji"] as const) {
      expect(readable).toContain(HOSTILE_TEXTS[key]);
    }
    expect(readable).toContain("# Heading > quote - list 1. numbered -# subtext");
    expect(readable).toContain("…");
    expect(escapeTeams("1. not a list")).toBe("1\\. not a list");
  });

  it("stays under 28 KB and counts what is left out", () => {
    const payload = teamsPayload(buildDigest(manyItems(400)));
    expect(payloadBytes(payload)).toBeLessThanOrEqual(TEAMS_MAX_PAYLOAD_BYTES);
    expect(parseCard(payload).problems).toEqual([]);
    const all = texts(payload);
    const shown = all.filter((text) => text.includes("Item number")).length;
    expect(all.at(-1)).toBe(`and ${400 - shown} more — [open the agenda](${AGENDA_URL})`);
    expect(shown).toBeGreaterThan(20);
  });
});
