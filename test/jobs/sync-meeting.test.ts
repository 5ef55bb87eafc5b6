// One live-sync pass through the Notion emulator and D1: the agenda is made, then people tick an item and
// add one in the previous agenda; the pass checks the copy and adds the new item once, and records both
// in the ledger. Each test has its own pair, integration and database; the clock is the test's.
import { describe, expect, inject, it } from "vitest";
import { date, heading, notionControl, title, todo } from "../../emulators/notion/control";
import type { Pair } from "../../src/config/pair";
import { pairSchema } from "../../src/config/pair";
import { createNotionClient } from "../../src/destinations/notion/client";
import { notionDestinationSchema } from "../../src/destinations/notion/config";
import { createNotionDestination } from "../../src/destinations/notion/destination";
import { carriedTodoLines } from "../support/agenda-tree";
import { pairInput } from "../support/pairs";
import { DUE_AT, HOUR, preparedForSync } from "../support/sync-job";

const emu = notionControl(inject("notionUrl"));

async function setUp() {
  const id = `sync-job-${crypto.randomUUID().slice(0, 8)}`;
  const integration = await emu.createIntegration({ requestsPerSecond: 1e6, burst: 1e6 });
  const db = await emu.seedDatabase(integration.token, {
    title: "1:1 agendas",
    properties: { Name: { type: "title" }, Date: { type: "date" } },
    pages: [
      {
        properties: { Name: title("1:1 2026-12-01"), Date: date("2026-12-01") },
        children: [heading(2, "Action items"), todo("Write the plan"), todo("Book the room")],
      },
    ],
  });
  const [previousPage] = db.pages;
  if (previousPage === undefined) throw new Error("the previous agenda was not seeded");
  const client = createNotionClient({
    token: integration.token,
    baseUrl: inject("notionUrl"),
    requestsPerSecond: 1000,
  });
  const pair: Pair = pairSchema.parse(pairInput({ id }));
  // A destination per call, as each run builds its own.
  const destinationFor = () =>
    createNotionDestination({
      client,
      config: notionDestinationSchema.parse({ kind: "notion", dataSourceId: db.dataSourceId }),
      pairId: pair.id,
    });
  return {
    ...(await preparedForSync(pair, destinationFor)),
    previousId: previousPage.id,
    token: integration.token,
  };
}

describe("a live-sync pass, Notion", () => {
  it("checks the copy of an item ticked in the previous agenda after the new one was made, and adds a new item once", async () => {
    const run = await setUp();
    expect(carriedTodoLines(await emu.blockTree(run.agendaId))).toEqual([
      "[ ] Write the plan ↻ open since 2026-12-01 · carried 1×",
      "[ ] Book the room ↻ open since 2026-12-01 · carried 1×",
    ]);
    // An hour later, in the previous agenda: one item ticked done, one added under the same heading.
    run.at(DUE_AT + HOUR);
    const [, plan, room] = await emu.blockTree(run.previousId);
    if (plan === undefined || room === undefined) throw new Error("previous agenda not as seeded");
    await emu.tickTodo(room.id);
    await emu.addBlocks(run.previousId, [todo("Send the notes")], { after: room.id });

    const outcome = await run.pass();
    expect(outcome.status).toBe("synced");
    expect(carriedTodoLines(await emu.blockTree(run.agendaId))).toEqual([
      "[ ] Write the plan ↻ open since 2026-12-01 · carried 1×",
      "[x] Book the room ↻ open since 2026-12-01 · carried 1×",
      "[ ] Send the notes ↻ open since 2026-12-01 · carried 1×",
    ]);
    const ledger = await run.ledger();
    expect(ledger.items.map((item) => [item.text, item.closedAt !== null, item.targetId !== null])).toEqual([
      ["Write the plan", false, true],
      ["Book the room", true, true],
      ["Send the notes", false, true],
    ]);

    // The next pass finds nothing to do: the add happened once.
    run.at(DUE_AT + 2 * HOUR);
    const again = await run.pass();
    expect(again).toMatchObject({ status: "synced", actions: [] });
    expect(carriedTodoLines(await emu.blockTree(run.agendaId))).toHaveLength(3);
    expect(await emu.violations(run.token)).toEqual([]);
  });

  it("applies a check the next pass when writing it failed: the ledger records only what was written", async () => {
    const run = await setUp();
    const [, , room] = await emu.blockTree(run.previousId);
    if (room === undefined) throw new Error("previous agenda not as seeded");
    await emu.tickTodo(room.id);
    await emu.addFault({ token: run.token, method: "PATCH", path: "/v1/blocks/:id", status: 400, times: 1 });
    run.at(DUE_AT + HOUR);
    expect(await run.pass()).toMatchObject({ status: "failed" });
    expect(carriedTodoLines(await emu.blockTree(run.agendaId))[1]).toMatch(/^\[ \] Book the room/u);
    // The failed pass's lease runs out; the next one checks the copy.
    run.at(DUE_AT + 2 * HOUR);
    expect(await run.pass()).toMatchObject({ status: "synced" });
    expect(carriedTodoLines(await emu.blockTree(run.agendaId))[1]).toMatch(/^\[x\] Book the room/u);
    expect(await emu.violations(run.token)).toEqual([]);
  });

  it("leaves the agenda alone once the meeting has started", async () => {
    const run = await setUp();
    const [, , room] = await emu.blockTree(run.previousId);
    if (room === undefined) throw new Error("previous agenda not as seeded");
    await emu.tickTodo(room.id);
    run.at(Date.parse("2026-12-08T09:00:00Z"));
    expect(await run.pass()).toMatchObject({ status: "skipped", reason: "the meeting has started" });
    expect(carriedTodoLines(await emu.blockTree(run.agendaId))[1]).toMatch(/^\[ \] Book the room/u);
  });
});
