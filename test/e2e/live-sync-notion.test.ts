// Live sync through the real Worker and its cron trigger, against the Notion emulator: after the new
// agenda is made, people tick, add and edit items in the previous agenda (and edit a copy in the new one);
// the next tick's one data source query finds the previous agenda changed, and its sync pass brings the
// new agenda along without overwriting what a person wrote there. Each test has its own integration,
// database and pair.
import { afterEach, describe, expect, inject, it } from "vitest";
import { date, heading, notionControl, title, todo } from "../../emulators/notion/control";
import { notionWebhooksControl } from "../../emulators/notion/webhooks-control";
import { receiversControl } from "../../emulators/receivers/control";
import type { PairInput } from "../../src/config/pair";
import { carriedTodoLines, plainOf } from "../support/agenda-tree";
import { admin, envFor, tick, workerFetch } from "../support/worker";

const emu = notionControl(inject("notionUrl"));
const receiversUrl = inject("receiversUrl");
const receivers = receiversControl(receiversUrl);
const hooks = notionWebhooksControl(inject("notionUrl"));
/** Tuesdays 10:00 in Berlin, prepared a day ahead: the 2026-12-08 agenda is due from 12-07 09:00Z. */
const TICK = Date.parse("2026-12-07T09:30:00Z");
const QUARTER = 15 * 60 * 1000;
const QUERY = "POST /v1/data_sources/:id/query";

// The tests of this file share D1, and a tick looks at every pair's data source: each test's pair goes
// when it ends, so one test's calls are its own.
const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0)) await cleanUp();
});

interface LedgerView {
  text: string;
  closedAt: string | null;
  addedAt: string | null;
  keptByPerson: boolean;
}

async function setUp(options: { sync?: boolean; digests?: boolean } = {}) {
  const id = `live-sync-${crypto.randomUUID().slice(0, 8)}`;
  const hooks = { digest: `${id}-digest`, rollup: `${id}-rollup` };
  const manager = `ada-${id}@example.com`;
  const integration = await emu.createIntegration({ requestsPerSecond: 1e6, burst: 1e6 });
  const db = await emu.seedDatabase(integration.token, {
    title: "1:1 agendas",
    properties: { Name: { type: "title" }, Date: { type: "date" } },
    pages: [
      {
        properties: { Name: title("1:1 2026-12-01"), Date: date("2026-12-01") },
        // Written at its meeting, long before the next agenda: a look sees it again only once it changes.
        createdTime: "2026-12-01T09:00:00.000Z",
        children: [
          heading(2, "Action items"),
          todo("Write the plan"),
          todo("Book the room"),
          todo("Ask for budget"),
        ],
      },
    ],
  });
  const [previous] = db.pages;
  if (previous === undefined) throw new Error("the previous agenda was not seeded");
  const testEnv = {
    ...envFor(inject("notionUrl"), integration.token),
    SYNC_DIGEST_URL: `${receiversUrl}/slack/${hooks.digest}`,
    SYNC_ROLLUP_URL: `${receiversUrl}/slack/${hooks.rollup}`,
  } as Env;
  const input: PairInput = {
    id,
    manager: { name: "Ada Manager", email: manager },
    report: { name: "Bo Report", email: "bo@example.com" },
    schedule: { timeZone: "Europe/Berlin", time: "10:00", cadence: { kind: "weekly", weekday: "tuesday" } },
    destination: { kind: "notion", dataSourceId: db.dataSourceId },
    ...(options.sync === undefined ? {} : { carry: { sync: options.sync } }),
    ...(options.digests === true ? { digests: [{ channel: "slack", secret: "SYNC_DIGEST_URL" }] } : {}),
  };
  if (options.digests === true) {
    // Monday 12:00 in Berlin: after the agenda was made (10:30) and the item was ticked.
    const rollup = await admin(testEnv, `/rollups/${manager}`, {
      method: "PUT",
      body: {
        manager: { name: "Ada Manager", email: manager },
        weekday: "monday",
        time: "12:00",
        timeZone: "Europe/Berlin",
        channels: [{ channel: "slack", secret: "SYNC_ROLLUP_URL" }],
      },
    });
    expect(rollup.status, await rollup.clone().text()).toBe(201);
  }
  const created = await admin(testEnv, "/pairs", { method: "POST", body: input });
  expect(created.status, await created.clone().text()).toBe(201);
  cleanUps.push(async () => {
    await admin(testEnv, `/pairs/${id}`, { method: "DELETE" });
  });
  await tick(testEnv, TICK);
  const meeting = await meetingOf(testEnv, id);
  const agendaId = (meeting as { agendaId?: string }).agendaId;
  if (agendaId === undefined) throw new Error("no agenda made");
  const previousTodos = async () =>
    (await emu.blockTree(previous.id)).filter((node) => node.type === "to_do");
  return { id, hooks, testEnv, token: integration.token, previousId: previous.id, agendaId, previousTodos };
}

async function meetingOf(testEnv: Env, id: string) {
  const response = await admin(testEnv, `/pairs/${id}/meetings`);
  const { meetings } = (await response.json()) as {
    meetings: { date: string; status: string; agendaId: string; carried: LedgerView[] }[];
  };
  const meeting = meetings.find((candidate) => candidate.date === "2026-12-08");
  expect(meeting?.status, JSON.stringify(meetings)).toBe("created");
  if (meeting === undefined) throw new Error("no meeting");
  return meeting;
}

describe("live sync through the Worker, Notion", () => {
  it("follows ticks, adds and edits in the previous agenda until the meeting, and keeps a person's copy", async () => {
    const run = await setUp();
    const [plan, room, budget] = await run.previousTodos();
    if (plan === undefined || room === undefined || budget === undefined) throw new Error("not as seeded");
    const copies = (await emu.blockTree(run.agendaId)).filter((node) => node.type === "to_do");
    const planCopy = copies.find((node) => plainOf(node).startsWith("Write the plan"));
    if (planCopy === undefined) throw new Error("the plan was not carried");

    // After the agenda was made: in the previous agenda one item is ticked, one added, one edited; in the
    // new agenda a person rewrites a copy, and then its source is edited too.
    await emu.tickTodo(room.id);
    await emu.addBlocks(run.previousId, [todo("Send the notes")], { after: budget.id });
    await emu.editText(budget.id, "to_do", "Ask for the budget by Friday");
    await emu.editText(planCopy.id, "to_do", plainOf(planCopy).replace("the plan", "the plan with Bo"));
    await emu.editText(plan.id, "to_do", "Write the first plan");

    await tick(run.testEnv, TICK + QUARTER);
    expect(carriedTodoLines(await emu.blockTree(run.agendaId))).toEqual([
      "[ ] Write the plan with Bo ↻ open since 2026-12-01 · carried 1×",
      "[x] Book the room ↻ open since 2026-12-01 · carried 1×",
      "[ ] Ask for the budget by Friday ↻ open since 2026-12-01 · carried 1×",
      "[ ] Send the notes ↻ open since 2026-12-01 · carried 1×",
    ]);
    // The meetings view shows the final set: what was closed, added and kept.
    const meeting = await meetingOf(run.testEnv, run.id);
    expect(
      meeting.carried.map((item) => [
        item.text,
        item.closedAt !== null,
        item.addedAt !== null,
        item.keptByPerson,
      ]),
    ).toEqual([
      ["Write the plan", false, false, true],
      ["Book the room", true, false, false],
      ["Ask for the budget by Friday", false, false, false],
      ["Send the notes", false, true, false],
    ]);

    // Another tick: the add happened once.
    await tick(run.testEnv, TICK + 2 * QUARTER);
    expect(carriedTodoLines(await emu.blockTree(run.agendaId))).toHaveLength(4);

    // Once the meeting has started, the agenda is the people's.
    const sent = (await run.previousTodos()).find((node) => plainOf(node) === "Send the notes");
    if (sent === undefined) throw new Error("the added item is gone");
    await emu.tickTodo(sent.id);
    await tick(run.testEnv, Date.parse("2026-12-08T09:15:00Z"));
    expect(carriedTodoLines(await emu.blockTree(run.agendaId))[3]).toMatch(/^\[ \] Send the notes/u);
    expect(await emu.violations(run.token)).toEqual([]);
  });

  it("sends no second digest when the carried set changes, and the roll-up shows the final set", async () => {
    const run = await setUp({ digests: true });
    const digests = await receivers.received({ kind: "slack", hook: run.hooks.digest });
    expect(digests).toHaveLength(1);
    expect(digests[0]?.body).toContain("Book the room");
    const [, room] = await run.previousTodos();
    if (room === undefined) throw new Error("not as seeded");
    await emu.tickTodo(room.id);
    await tick(run.testEnv, TICK + QUARTER);
    expect(carriedTodoLines(await emu.blockTree(run.agendaId))[1]).toMatch(/^\[x\] Book the room/u);
    // The roll-up's tick: the meeting's digest is not sent again, and the roll-up counts the ticked item
    // as closed (within a week: it first appeared in the previous agenda), not as carried.
    await tick(run.testEnv, Date.parse("2026-12-07T11:00:00Z"));
    expect(await receivers.received({ kind: "slack", hook: run.hooks.digest })).toHaveLength(1);
    const [rollup] = await receivers.received({ kind: "slack", hook: run.hooks.rollup });
    const body = JSON.stringify(JSON.parse(rollup?.body ?? "{}"));
    expect(body).toContain("closed 1 (1 within a week, 100%) · carried 2");
    expect(body).not.toContain("Book the room");
  });

  it("syncs at once when Notion's webhook says the previous agenda changed, without waiting for a tick", async () => {
    const run = await setUp();
    const hook = `${run.id}-notion`;
    const subscription = await hooks.subscribe({ token: run.token, url: `${receiversUrl}/webhook/${hook}` });
    await hooks.verify(subscription.id, subscription.verificationToken);
    const signed = { ...run.testEnv, NOTION_WEBHOOK_VERIFICATION_TOKEN: subscription.verificationToken };
    const [, room] = await run.previousTodos();
    if (room === undefined) throw new Error("not as seeded");
    await emu.tickTodo(room.id);
    await hooks.flush(subscription.id);
    // The receiver holds the handshake, then the event: the Worker gets the event as Notion sends it.
    const [event] = (await receivers.received({ kind: "webhook", hook })).filter((request) =>
      request.body.includes('"type":"page.content_updated"'),
    );
    if (event === undefined) throw new Error("Notion sent no event");
    const response = await workerFetch(
      signed,
      new Request("https://agendas.test/webhooks/notion", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-notion-signature": event.headers["x-notion-signature"] ?? "",
        },
        body: event.body,
      }),
    );
    expect(await response.json()).toMatchObject({ recorded: { kind: "page", id: run.previousId }, syncs: 1 });
    expect(carriedTodoLines(await emu.blockTree(run.agendaId))[1]).toMatch(/^\[x\] Book the room/u);
  });

  it("looks with one data source query per tick, whatever else the tick does", async () => {
    const run = await setUp();
    // The first tick after the agenda was made set the data source's cursor; from then on a tick asks once.
    await emu.resetCalls(run.token);
    await tick(run.testEnv, TICK + QUARTER);
    expect(await emu.calls(run.token)).toEqual({ [QUERY]: 1 });
  });

  it("leaves the new agenda alone when the pair turned sync off", async () => {
    const run = await setUp({ sync: false });
    const [, room] = await run.previousTodos();
    if (room === undefined) throw new Error("not as seeded");
    await emu.tickTodo(room.id);
    await emu.resetCalls(run.token);
    await tick(run.testEnv, TICK + QUARTER);
    expect(carriedTodoLines(await emu.blockTree(run.agendaId))[1]).toMatch(/^\[ \] Book the room/u);
    expect(await emu.calls(run.token)).toEqual({});
  });
});
