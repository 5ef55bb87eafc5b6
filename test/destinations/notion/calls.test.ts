// Notion calls per agenda, counted by the emulator: a usual agenda in steady state (the ledger knows the
// previous agenda) costs one read and one write; carried sub-items cost one read per carried block that
// has children of its own, not one per sub-item; and a run that must recover still finds everything.
import { describe, expect, inject, it } from "vitest";
import {
  bullet,
  date,
  heading,
  notionControl,
  paragraph,
  richText,
  type SeedBlock,
  title,
  todo,
} from "../../../emulators/notion/control";
import { createNotionClient } from "../../../src/destinations/notion/client";
import { notionDestinationSchema } from "../../../src/destinations/notion/config";
import { createNotionDestination } from "../../../src/destinations/notion/destination";
import type { AgendaRef, Destination, MeetingRef } from "../../../src/destinations/types";
import type { Agenda, Block } from "../../../src/domain/agenda";
import { plainText } from "../../../src/domain/agenda";
import { draftOf } from "../../support/pairs";

const url = inject("notionUrl");
const emu = notionControl(url);

const SCHEMA = { Name: { type: "title" }, Date: { type: "date" }, Pair: { type: "rich_text" } } as const;
const PAIR = "calls-pair";
const MEETING: MeetingRef = { pairId: PAIR, key: `${PAIR}/2026-12-08`, date: "2026-12-08" };

function words(value: string) {
  return [{ kind: "text" as const, text: value }];
}

function agendaWith(actions: Block[]): Agenda {
  return {
    title: "1:1 Alice / Bob — 2026-12-08",
    intro: [{ kind: "paragraph", text: words("Prepared by the agenda worker"), children: [] }],
    sections: [
      { heading: words("How did you feel about the week?"), level: 2, role: null, blocks: [] },
      { heading: words("Discussion points"), level: 2, role: "discussion", blocks: [] },
      { heading: words("Action items"), level: 2, role: "actions", blocks: actions },
    ],
  };
}

/** An earlier agenda shaped like the weekly template, as the benchmark seeds it. */
function earlierAgenda(subItems: "none" | "flat" | "nested"): SeedBlock[] {
  const handover =
    subItems === "flat"
      ? [
          todo("Prepare the on-call handover", false, [
            todo("Write the runbook", true),
            todo("Shadow one incident"),
          ]),
        ]
      : subItems === "nested"
        ? [
            todo("Prepare the on-call handover", false, [
              todo("Write the runbook", true),
              todo("Shadow one incident", false, [paragraph("Pick a P2, not a P1")]),
            ]),
          ]
        : [];
  return [
    paragraph("This page is shared: both of you add to it before the meeting."),
    heading(2, "How did you feel about the week?"),
    bullet("Busy but good"),
    heading(2, "Discussion points"),
    bullet("What the path to staff engineer looks like"),
    heading(2, "Progress on priorities"),
    bullet("Priority: payments migration", [bullet("Cut-over on Tuesday"), bullet("No downtime")]),
    heading(2, "Action items"),
    todo("Draft the Q1 hiring plan"),
    todo("Read the staff engineer ladder"),
    ...handover,
    todo("Book the room for the team offsite", true),
    todo("Send the promotion packet to HR", true),
  ];
}

async function workspace(subItems: "none" | "flat" | "nested") {
  const integration = await emu.createIntegration({ requestsPerSecond: 1e6, burst: 1e6 });
  const db = await emu.seedDatabase(integration.token, {
    title: "1:1 agendas",
    properties: SCHEMA,
    pages: [
      {
        properties: { Name: title("1:1 2026-11-24"), Date: date("2026-11-24"), Pair: richText(PAIR) },
        children: [heading(2, "Action items"), todo("An old item")],
      },
      {
        properties: { Name: title("1:1 2026-12-01"), Date: date("2026-12-01"), Pair: richText(PAIR) },
        children: earlierAgenda(subItems),
      },
    ],
  });
  const latest = db.pages[1];
  if (latest === undefined) throw new Error("pages not seeded");
  const previous: AgendaRef = { id: latest.id, url: latest.url, date: "2026-12-01" };
  const client = createNotionClient({ token: integration.token, baseUrl: url, requestsPerSecond: 1000 });
  const destination = createNotionDestination({
    client,
    config: notionDestinationSchema.parse({
      kind: "notion",
      dataSourceId: db.dataSourceId,
      pairProperty: { name: "Pair" },
    }),
    pairId: PAIR,
  });
  return { token: integration.token, db, destination, previous };
}

/** What the job does for one meeting; returns the carried items' words, sub-items indented. */
async function prepare(destination: Destination, meeting: MeetingRef): Promise<string[]> {
  const located = await destination.locate(meeting);
  expect(located.existing).toBeNull();
  if (located.previous === null) throw new Error("no previous agenda");
  const open = await destination.readOpenItems(located.previous, ["actions"]);
  await destination.create(meeting, draftOf(agendaWith(open.actions)));
  const lines = (blocks: readonly Block[], depth: number): string[] =>
    blocks.flatMap((block) =>
      block.kind === "divider" || block.kind === "heading"
        ? []
        : [`${"  ".repeat(depth)}${plainText(block.text)}`, ...lines(block.children, depth + 1)],
    );
  return lines(open.actions, 0);
}

const steady = (previous: AgendaRef): MeetingRef => ({
  ...MEETING,
  known: { previous, earlierAttempt: false },
});

describe("Notion calls per agenda", () => {
  it("steady state, a usual agenda: one read of the previous agenda and one create (2 calls)", async () => {
    const { token, destination, previous } = await workspace("none");
    await emu.resetCalls(token);
    expect(await prepare(destination, steady(previous))).toEqual([
      "Draft the Q1 hiring plan",
      "Read the staff engineer ladder",
    ]);
    expect(await emu.calls(token)).toEqual({ "GET /v1/blocks/:id/children": 1, "POST /v1/pages": 1 });
  });

  it("steady state, flat sub-items cost one read for the item, not one per sub-item (3 calls)", async () => {
    const { token, destination, previous } = await workspace("flat");
    await emu.resetCalls(token);
    expect(await prepare(destination, steady(previous))).toEqual([
      "Draft the Q1 hiring plan",
      "Read the staff engineer ladder",
      "Prepare the on-call handover",
      "  Write the runbook",
      "  Shadow one incident",
    ]);
    expect(await emu.calls(token)).toEqual({ "GET /v1/blocks/:id/children": 2, "POST /v1/pages": 1 });
  });

  it("steady state, the benchmark's sub-items two levels deep: 4 calls (5 with a query)", async () => {
    const { token, destination, previous } = await workspace("nested");
    await emu.resetCalls(token);
    expect(await prepare(destination, steady(previous))).toEqual([
      "Draft the Q1 hiring plan",
      "Read the staff engineer ladder",
      "Prepare the on-call handover",
      "  Write the runbook",
      "  Shadow one incident",
      "    Pick a P2, not a P1",
    ]);
    expect(await emu.calls(token)).toEqual({ "GET /v1/blocks/:id/children": 3, "POST /v1/pages": 1 });
  });

  it("recovery (an earlier attempt, or nothing known) queries as before: 3 calls for a usual agenda", async () => {
    const { token, destination, previous } = await workspace("none");
    await emu.resetCalls(token);
    await prepare(destination, { ...MEETING, known: { previous, earlierAttempt: true } });
    expect(await emu.calls(token)).toEqual({
      "POST /v1/data_sources/:id/query": 1,
      "GET /v1/blocks/:id/children": 1,
      "POST /v1/pages": 1,
    });
  });

  it("a known previous agenda that is gone falls back to the query and finds the latest one there is", async () => {
    const { token, destination, previous } = await workspace("none");
    // Deleted for good, or no longer shared with the integration: Notion answers 404 either way.
    const gone: AgendaRef = { id: "77777777-5e6f-4788-9900-aabbccddeeff", url: "", date: "2026-12-01" };
    await emu.resetCalls(token);
    // Found by the query, it comes with its title (the ledger's copy has none).
    expect(await destination.locate(steady(gone))).toEqual({
      existing: null,
      previous: { ...previous, title: expect.any(String) },
    });
    expect(await emu.calls(token)).toEqual({
      "GET /v1/blocks/:id/children": 1,
      "POST /v1/data_sources/:id/query": 1,
    });
  });

  it("the read locate made in steady state is the one readOpenItems uses, and only once", async () => {
    const { token, destination, previous } = await workspace("none");
    await emu.resetCalls(token);
    const located = await destination.locate(steady(previous));
    expect(located).toEqual({ existing: null, previous });
    await destination.readOpenItems(previous, ["actions"]);
    expect(await emu.calls(token)).toEqual({ "GET /v1/blocks/:id/children": 1 });
    // A later read (another run, a retry) asks Notion again rather than trusting an old listing.
    await destination.readOpenItems(previous, ["actions"]);
    expect(await emu.calls(token)).toEqual({ "GET /v1/blocks/:id/children": 2 });
  });
});
