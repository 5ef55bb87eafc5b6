// The Google client's quotas on shared paces: each quota of each acting user (Docs reads, Docs writes,
// Drive) is one pace object, the same one for every client that holds the key, so two runtimes spend a
// user's write quota together; a quota refusal's Retry-After reaches that quota's object only.
import { describe, expect, it } from "vitest";
import { createGoogleClient } from "../../src/destinations/google/api/client";
import { PaceSchedule, type PaceSettings } from "../../src/lib/rate-limit";
import { googlePaceName } from "../../src/pace/names";
import { createDurablePacer, type PaceNamespace } from "../../src/pace/pacer";
import { useGoogleEmulator } from "../destinations/google/emulator";
import { fakeClock } from "../destinations/google/keys";

const google = useGoogleEmulator();

const INSERT = { requests: [{ insertText: { text: "hi", location: { index: 1 } } }] };

/** Stand-in for the PACE binding on the test's clock: one schedule per name, every answer recorded. */
function fakeNamespace(now: () => number) {
  const schedules = new Map<string, PaceSchedule>();
  const reserved: { name: string; settings: PaceSettings; wait: number }[] = [];
  const held: { name: string; ms: number }[] = [];
  const namespace: PaceNamespace = {
    getByName: (name) => ({
      reserve: async (settings) => {
        let schedule = schedules.get(name);
        if (schedule === undefined) {
          schedule = new PaceSchedule(settings);
          schedules.set(name, schedule);
        }
        const wait = schedule.reserve(now()) - now();
        reserved.push({ name, settings, wait });
        return wait;
      },
      hold: async (ms) => {
        held.push({ name, ms });
        schedules.get(name)?.holdUntil(now() + ms);
      },
    }),
  };
  return { namespace, reserved, held };
}

async function setup() {
  const time = fakeClock();
  google.setClock(time.clock.now);
  const key = await google.control.createServiceAccount({ domainWideDelegation: true });
  const paces = fakeNamespace(time.clock.now);
  // Two runtimes' clients for one key, as the Worker builds them (src/runtime.ts).
  const client = () =>
    createGoogleClient({
      serviceAccountKey: JSON.stringify(key),
      tokenUrl: google.control.tokenUrl,
      docsBaseUrl: google.emulator.url,
      driveBaseUrl: google.emulator.url,
      fetch: (url, init) => fetch(url, init),
      clock: time.clock,
      random: () => 0.5,
      quotas: { docsWritesPerMinute: 60, docsReadsPerMinute: 300 },
      limiterFor: (quota) =>
        createDurablePacer({
          namespace: paces.namespace,
          name: googlePaceName(quota.serviceAccount, quota.subject, quota.lane),
          settings: quota.settings,
          vendor: "Google Docs",
          clock: time.clock,
        }),
    });
  return { me: key.client_email, time, paces, clients: [client(), client()] as const };
}

describe("google quotas on shared paces", () => {
  it("happy: two clients acting as one user spend one write pace, and reads have their own", async () => {
    const { me, time, paces, clients } = await setup();
    const ada = await google.person("ada");
    const doc = await google.docFor(ada);
    const [first, second] = clients;
    for (const client of [first, second, first, second, first, second, first, second])
      await client.as(ada).batchUpdate(doc, INSERT);
    await second.as(ada).getDocument(doc);

    const writes = googlePaceName(me, ada, "docsWrite");
    const reads = googlePaceName(me, ada, "docsRead");
    expect(new Set(paces.reserved.map((entry) => entry.name))).toEqual(new Set([writes, reads]));
    // 60 writes a minute: a burst of 6, then one every 1.1 s (54 over the minute), whichever client asks.
    expect(
      paces.reserved.filter((entry) => entry.name === writes).map((entry) => Math.round(entry.wait)),
    ).toEqual([0, 0, 0, 0, 0, 0, 1111, 1111]);
    expect(paces.reserved.find((entry) => entry.name === writes)?.settings).toEqual({
      perSecond: 0.9,
      burst: 6,
    });
    expect(paces.reserved.find((entry) => entry.name === reads)?.wait).toBe(0);
    expect(time.slept.map(Math.round)).toEqual([1111, 1111]);
  });

  it("a quota refusal holds that user's quota for everyone, and only that quota", async () => {
    const { me, paces, clients } = await setup();
    const bo = await google.person("bo");
    const doc = await google.docFor(bo);
    await google.control.addFault({
      method: "POST",
      path: "/v1/documents/:id:batchUpdate",
      status: 429,
      retryAfter: 20,
    });
    await clients[0].as(bo).batchUpdate(doc, INSERT);
    expect(paces.held).toEqual([{ name: googlePaceName(me, bo, "docsWrite"), ms: 20_000 }]);
  });
});
