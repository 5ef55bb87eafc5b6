// Exactly one agenda per meeting, whatever happens around a run: a crash between "created" and
// "recorded", a vendor error mid-run, overlapping cron runs, a manual run beside the cron. And a dry
// run that shows the agenda without writing anything.
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { date, heading, notionControl, title, todo } from "../../emulators/notion/control";
import type { PairInput } from "../../src/config/pair";
import { admin, envFor, tick } from "../support/worker";

const emu = notionControl(inject("notionUrl"));
// Tuesday 10:00 in Berlin (UTC+1 in December), prepared 24 hours ahead: due from Monday 09:00Z.
const DUE_AT = Date.parse("2026-12-07T09:00:00Z");
const MEETING_DATE = "2026-12-08";
/** Live sync's look at the data source, made by every tick whose pairs have agendas waiting for their meeting. */
const QUERY = "POST /v1/data_sources/:id/query";

let testEnv: Env;
let token: string;
let dataSourceId: string;
// Pairs written in hooks outlive each test, so every test gets its own pair and meeting key.
let pairId = "";
let key = "";
let serial = 0;

function pair(id: string): PairInput {
  return {
    id,
    manager: { name: "Ada Manager", email: "ada@example.com" },
    report: { name: "Bo Report", email: "bo@example.com" },
    schedule: { timeZone: "Europe/Berlin", time: "10:00", cadence: { kind: "weekly", weekday: "tuesday" } },
    destination: { kind: "notion", dataSourceId },
  };
}

async function agendaPages(): Promise<string[]> {
  const pages = await emu.pages(dataSourceId);
  return pages.flatMap((page) =>
    page.properties.Date?.type === "date" && page.properties.Date.date?.start === MEETING_DATE
      ? [page.id]
      : [],
  );
}

async function meeting(key: string) {
  return env.DB.prepare("SELECT status, agenda_id, error, attempts FROM meetings WHERE key = ?")
    .bind(key)
    .first<{ status: string; agenda_id: string | null; error: string | null; attempts: number }>();
}

beforeEach(async () => {
  token = (await emu.createIntegration({ requestsPerSecond: null })).token;
  testEnv = envFor(inject("notionUrl"), token);
  const db = await emu.seedDatabase(token, {
    title: "1:1s",
    properties: { Name: { type: "title" }, Date: { type: "date" } },
    pages: [
      {
        properties: { Name: title("1:1 2026-12-01"), Date: date("2026-12-01") },
        children: [heading(2, "Action items"), todo("Open item"), todo("Done item", true)],
      },
    ],
  });
  dataSourceId = db.dataSourceId;
  serial += 1;
  pairId = `p${serial}`;
  key = `${pairId}/${MEETING_DATE}`;
  expect((await admin(testEnv, "/pairs", { method: "POST", body: pair(pairId) })).status).toBe(201);
});

afterEach(async () => {
  expect((await admin(testEnv, `/pairs/${pairId}`, { method: "DELETE" })).status).toBe(204);
});

describe("exactly one agenda per meeting", () => {
  it("recovers from a crash between creating the page and recording it, without a second page", async () => {
    // Notion creates the page, but the answer never arrives: the run cannot know it succeeded.
    await emu.addFault({ token, method: "POST", path: "/v1/pages", drop: "after", times: 1 });
    await tick(testEnv, DUE_AT);
    expect((await meeting(key))?.status).toBe("failed");
    expect(await agendaPages()).toHaveLength(1);

    await tick(testEnv, DUE_AT + 15 * 60 * 1000);
    const [page] = await agendaPages();
    expect(await agendaPages()).toHaveLength(1);
    const record = await meeting(key);
    expect(record?.status).toBe("created");
    expect(record?.agenda_id).toBe(page);
    // The ledger written before the crash survives: the open item is recorded as carried.
    const ledger = await env.DB.prepare("SELECT text FROM carried_items WHERE meeting_key = ?")
      .bind(key)
      .all<{ text: string }>();
    expect(ledger.results.map((row) => row.text)).toEqual(["Open item"]);
  });

  it("retries on the next tick after a Notion outage, and records the reason meanwhile", async () => {
    await emu.addFault({ token, method: "POST", path: "/v1/pages", status: 503, times: 1 });
    await tick(testEnv, DUE_AT);
    const failed = await meeting(key);
    expect(failed?.status).toBe("failed");
    expect(failed?.error).toMatch(/Notion/);
    expect(failed?.error).not.toContain(token);
    expect(await agendaPages()).toHaveLength(0);

    await tick(testEnv, DUE_AT + 15 * 60 * 1000);
    expect(await agendaPages()).toHaveLength(1);
    expect((await meeting(key))?.attempts).toBe(2);
  });

  it("makes one page when cron runs overlap and a manual run joins them", async () => {
    // Slow Notion down so the three runs really are in flight together.
    await emu.addFault({ token, method: "POST", path: "/v1/data_sources/:id/query", delayMs: 300, times: 3 });
    await Promise.all([
      tick(testEnv, DUE_AT),
      tick(testEnv, DUE_AT),
      admin(testEnv, "/run", { method: "POST", body: { at: DUE_AT, pairId } }),
    ]);
    expect(await agendaPages()).toHaveLength(1);
    const calls = await emu.calls(token);
    expect(calls["POST /v1/pages"]).toBe(1);
  });

  it("creates nothing on a re-run of the same tick", async () => {
    await tick(testEnv, DUE_AT);
    await emu.resetCalls(token);
    await tick(testEnv, DUE_AT);
    await tick(testEnv, DUE_AT + 60 * 60 * 1000);
    expect(await agendaPages()).toHaveLength(1);
    // Nothing is written: the only calls are live sync's look at the data source and a pass's reads.
    const calls = Object.keys(await emu.calls(token));
    expect(calls.filter((route) => !route.startsWith("GET ") && route !== QUERY)).toEqual([]);
  });

  it("keeps a page a person already made for the meeting", async () => {
    await emu.seedPage(token, {
      parent: { dataSourceId },
      properties: { Name: title("Made by hand"), Date: date(MEETING_DATE) },
    });
    await tick(testEnv, DUE_AT);
    expect(await agendaPages()).toHaveLength(1);
    expect((await meeting(key))?.status).toBe("created");
  });
});

describe("dry run", () => {
  it("returns the agenda it would write, with the carried items, and writes nothing", async () => {
    const response = await admin(testEnv, "/run", {
      method: "POST",
      body: { at: DUE_AT, pairId, dryRun: true },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      dryRun: boolean;
      outcomes: { status: string; agenda: { title: string }; carried: { text: string }[] }[];
    };
    expect(body.dryRun).toBe(true);
    expect(body.outcomes).toHaveLength(1);
    expect(body.outcomes[0]?.status).toBe("dry-run");
    expect(body.outcomes[0]?.agenda.title).toContain(MEETING_DATE);
    expect(body.outcomes[0]?.carried.map((item) => item.text)).toEqual(["Open item"]);
    expect(await agendaPages()).toHaveLength(0);
    expect(await meeting(key)).toBeNull();
    expect((await emu.calls(token))["POST /v1/pages"]).toBeUndefined();
  });

  it("refuses an unknown pair and a malformed time", async () => {
    expect((await admin(testEnv, "/run", { method: "POST", body: { pairId: "nobody" } })).status).toBe(404);
    const bad = await admin(testEnv, "/run", { method: "POST", body: { at: "next tuesday" } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("at");
  });
});
