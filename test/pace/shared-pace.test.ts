// One pace per vendor account, shared by every isolate: two runtimes (as two queue consumers or two
// overlapping invocations would build them) talk to one Notion integration through its Durable Object.
// Judged by what the Notion emulator recorded (arrival times and answers), never by sleeping: together
// they get no 429 at the allowed rate; a 429 or 529 with Retry-After that one of them gets pauses the
// other too; and the object's name and storage never hold the token.
import { listDurableObjectIds, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { notionControl, type RequestRecord } from "../../emulators/notion/control";
import type { NotionClient } from "../../src/destinations/notion/client";
import { parseEnv } from "../../src/env";
import { silentLogger } from "../../src/lib/log";
import { notionPaceName } from "../../src/pace/names";
import { createRuntimeNotionClient } from "../../src/runtime";
import { envFor } from "../support/worker";

const notionUrl = inject("notionUrl");
const notion = notionControl(notionUrl);

/** The pace both runtimes keep (requests per second), and the emulator's bucket for the integration. */
const RATE = 10;
/**
 * The client's burst at 10/s is 9 (one token of slack below the rate). The emulator allows 14, a little
 * more, because each slot is planned where the object runs and sent from where the caller runs: a busy
 * machine may wake a few sleepers late and together, never half a second's worth. Two clients pacing
 * alone would still send 18 at once.
 */
const EMULATOR_BURST = 14;

/** The Notion client each of two runtimes builds for the token: separate bindings, as separate isolates have. */
function twoRuntimeClients(token: string): [NotionClient, NotionClient] {
  const build = () =>
    createRuntimeNotionClient(
      parseEnv({ ...envFor(notionUrl, token), NOTION_REQUESTS_PER_SECOND: String(RATE) }),
      token,
      silentLogger,
    );
  return [build(), build()];
}

async function integration(): Promise<string> {
  const { token } = await notion.createIntegration({ requestsPerSecond: RATE, burst: EMULATOR_BURST });
  return token;
}

/** Each client sends `count` requests one after another, both at once. */
async function sideBySide(clients: readonly NotionClient[], count: number): Promise<void> {
  await Promise.all(
    clients.map(async (client) => {
      for (let sent = 0; sent < count; sent += 1) await client.sdk.users.me({});
    }),
  );
}

function statuses(records: readonly RequestRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of records) counts[String(record.status)] = (counts[String(record.status)] ?? 0) + 1;
  return counts;
}

describe("one pace per vendor account", () => {
  it("happy: two runtimes side by side keep the integration's rate together, with no 429", async () => {
    const token = await integration();
    const clients = twoRuntimeClients(token);
    // Each fires all its requests at once: alone, each client's own bucket would let 9 go at once and 10 a
    // second after, twice what the integration allows.
    await Promise.all(
      clients.map((client) => Promise.all(Array.from({ length: 12 }, () => client.sdk.users.me({})))),
    );
    const records = await notion.requests(token);
    expect(statuses(records)).toEqual({ "200": 24 });
    // The emulator's own clock: 24 requests at 10/s after a burst of 9 are planned over 1.5 s; a late
    // first arrival may shorten what the emulator sees a little, never to 1.2 s.
    const first = records[0]?.at ?? 0;
    const last = records.at(-1)?.at ?? 0;
    expect(last - first).toBeGreaterThanOrEqual(1200);
  });

  it.each([
    { status: 429, what: "429 rate_limited (per workspace)" },
    { status: 529, what: "529 service_overload" },
  ])("a $what with Retry-After to one runtime pauses the other too", async ({ status }) => {
    const token = await integration();
    await notion.addFault({
      token,
      path: "/v1/users/me",
      status,
      retryAfter: 1,
      skip: 4,
      ...(status === 429 ? { rateLimitReason: "workspace" } : {}),
    });
    await sideBySide(twoRuntimeClients(token), 8);
    const records = await notion.requests(token);
    const refused = records.filter((record) => record.status === status);
    expect(refused).toHaveLength(1);
    const refusedAt = refused[0]?.at ?? 0;
    const during = records.filter((record) => record.at > refusedAt && record.at < refusedAt + 1000);
    // Only a slot handed out before the hold may still go in it: each client waits for one slot at a
    // time, so at most the other client's one. Paced alone, the other client would go on at 10/s.
    expect(during.length).toBeLessThanOrEqual(1);
    // Everything was sent in the end: the refused request once more, after the hold.
    expect(statuses(records)).toEqual({ "200": 16, [String(status)]: 1 });
    // (5 ms of leeway: the emulator and workerd read the clock in separate processes.)
    expect(records.filter((record) => record.at >= refusedAt + 1000 - 5).length).toBeGreaterThanOrEqual(1);
  });

  it("security: the integration's pace object is named by a hash, and holds no token", async () => {
    const token = await integration();
    await notion.addFault({ token, path: "/v1/users/me", status: 429, retryAfter: 1 });
    const [client] = twoRuntimeClients(token);
    await client.sdk.users.me({});
    const pace = env.PACE;
    if (pace === undefined) throw new Error("the PACE binding is missing from wrangler.toml");
    const name = await notionPaceName(token);
    expect(name).not.toContain(token);
    const ids = await listDurableObjectIds(pace);
    expect(ids.some((id) => id.equals(pace.idFromName(name)))).toBe(true);
    expect(ids.some((id) => id.equals(pace.idFromName(token)))).toBe(false);
    expect(ids.every((id) => !(id.name ?? "").includes(token))).toBe(true);
    // The hold the 429 started is what the object stored, and nothing else.
    const stored = await runInDurableObject(pace.getByName(name), (_instance, state) => [
      ...state.storage.kv.list(),
    ]);
    expect(stored.map(([key]) => key)).toEqual(["heldUntil"]);
    expect(JSON.stringify(stored)).not.toContain(token);
  });
});
