// The per-invocation budget: D1 statements (batches by statement), fetches, Durable Object calls and
// queue sends count against the invocation they run in, invocations that interleave keep their own
// counts, each ends with an `invocation.budget` line, and the admin API shows the peaks.
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { date, heading, notionControl, title, todo } from "../../emulators/notion/control";
import {
  budgetPeaks,
  countedD1,
  countedFetch,
  countedObjects,
  countQueueSend,
  resetBudgetPeaks,
  withBudget,
} from "../../src/lib/budget";
import { createLogger } from "../../src/lib/log";
import { admin, envFor, tick } from "../support/worker";

const notion = notionControl(inject("notionUrl"));

function capture() {
  const lines: { level: string; body: Record<string, unknown> }[] = [];
  const log = createLogger({
    level: "debug",
    secrets: [],
    sink: (line, level) => lines.push({ level, body: JSON.parse(line) as Record<string, unknown> }),
  });
  return { log, lines };
}

/** Lets the other invocation run, so the two interleave. */
const yieldTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("invocation budget", () => {
  it("counts each invocation's own D1 queries and subrequests, even when they interleave", async () => {
    resetBudgetPeaks();
    const { log, lines } = capture();
    const db = countedD1(env.DB);
    const objects = countedObjects({ getByName: () => ({ ping: async () => "pong" }) });
    const first = withBudget("queue", log, async () => {
      for (let i = 0; i < 3; i += 1) {
        await db.prepare("SELECT ? AS n").bind(i).first();
        await yieldTurn();
      }
      // A batch of two statements is two queries; D1 takes the counted statements as its own.
      const results = await db.batch([db.prepare("SELECT 1 AS n"), db.prepare("SELECT ? AS n").bind(2)]);
      expect(results.map((result) => result.results)).toEqual([[{ n: 1 }], [{ n: 2 }]]);
      await countedFetch(`${inject("notionUrl")}/health-of-nothing`);
      return "done";
    });
    const second = withBudget("scheduled", log, async () => {
      await yieldTurn();
      await db.prepare("SELECT 1").run();
      expect(await objects.getByName("x").ping()).toBe("pong");
      countQueueSend();
      countQueueSend();
    });
    expect(await first).toBe("done");
    await second;

    const budgets = lines.filter((line) => line.body.event === "invocation.budget").map((line) => line.body);
    expect(budgets).toHaveLength(2);
    expect(budgets.find((body) => body.kind === "queue")).toMatchObject({
      d1Queries: 5,
      fetches: 1,
      durableObjectCalls: 0,
      queueSends: 0,
      subrequests: 1,
      withinFreePlan: true,
    });
    expect(budgets.find((body) => body.kind === "scheduled")).toMatchObject({
      d1Queries: 1,
      fetches: 0,
      durableObjectCalls: 1,
      queueSends: 2,
      subrequests: 3,
    });
    // Outside an invocation nothing is counted (the admin API's own queries, say).
    await db.prepare("SELECT 1").first();
    const peaks = budgetPeaks();
    expect(peaks.invocations).toBe(2);
    expect(peaks.max.queue.d1Queries).toBe(5);
    expect(peaks.max.scheduled.subrequests).toBe(3);
  });

  it("warns when an invocation nears a paid plan limit, saying the free plan's would not hold", async () => {
    const { log, lines } = capture();
    const db = countedD1(env.DB);
    await withBudget("queue", log, async () => {
      await db.batch(Array.from({ length: 800 }, () => db.prepare("SELECT 1")));
    });
    const line = lines.find((entry) => entry.body.event === "invocation.budget");
    expect(line?.level).toBe("warn");
    expect(line?.body).toMatchObject({ d1Queries: 800, nearPaidLimit: true, withinFreePlan: false });
  });

  it("shows a cron tick's spend in the admin API, and resets it", async () => {
    const { token } = await notion.createIntegration({ requestsPerSecond: null });
    const db = await notion.seedDatabase(token, {
      title: "Budget 1:1s",
      properties: { Name: { type: "title" }, Date: { type: "date" } },
      pages: [
        {
          properties: { Name: title("1:1 2026-12-01"), Date: date("2026-12-01") },
          children: [heading(2, "Action items"), todo("Open item")],
        },
      ],
    });
    const testEnv = envFor(inject("notionUrl"), token);
    const pair = {
      id: "budget-pair",
      manager: { name: "Ada Manager", email: "ada@example.com" },
      report: { name: "Bo Report", email: "bo@example.com" },
      schedule: { timeZone: "Europe/Berlin", time: "10:00", cadence: { kind: "weekly", weekday: "tuesday" } },
      destination: { kind: "notion", dataSourceId: db.dataSourceId },
    };
    expect((await admin(testEnv, "/pairs", { method: "POST", body: pair })).status).toBe(201);
    expect((await admin(testEnv, "/budget", { method: "DELETE" })).status).toBe(200);
    await tick(testEnv, Date.parse("2026-12-07T09:00:00Z"));

    const answer = (await (await admin(testEnv, "/budget")).json()) as ReturnType<typeof budgetPeaks> & {
      limits: { paid: { subrequests: number; d1Queries: number } };
    };
    expect(answer.limits.paid).toEqual({ subrequests: 10_000, d1Queries: 1_000 });
    const scheduled = answer.max.scheduled;
    expect(scheduled.invocations).toBe(1);
    // The tests handle work inline, so the tick itself read the previous agenda and created the new one.
    const calls = await notion.calls(token);
    const notionCalls = Object.values(calls).reduce((sum, n) => sum + n, 0);
    expect(scheduled.fetches).toBe(notionCalls);
    expect(scheduled.d1Queries).toBeGreaterThan(0);

    // The meetings of a date range in one answer: the one created carried the open item.
    const summary = await admin(testEnv, "/meetings/summary?from=2026-12-08&to=2026-12-08");
    expect(await summary.json()).toMatchObject({
      created: 1,
      failed: 0,
      claimed: 0,
      createdCarryingNothing: 0,
    });
    const refused = await admin(testEnv, "/meetings/summary?from=2026-12-09&to=2026-12-08");
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ problems: ["to: must not be before from"] });
  });
});
