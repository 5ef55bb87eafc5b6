// The outbox end to end over D1 with fake receivers: each digest reaches a receiver once by id however
// the receiver fails first, backoff and Retry-After set the next attempt, a refusing receiver leaves a
// clear failure without holding back other channels, overlapping runs never send twice, and neither the
// stored errors nor the logs ever contain a webhook URL or a secret.
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DeliverDueOptions } from "../../src/jobs/deliver";
import { deliverDue } from "../../src/jobs/deliver";
import { createLogger } from "../../src/lib/log";
import type { DeliveryChannel } from "../../src/store/deliveries";
import { DeliveryStore } from "../../src/store/deliveries";

const store = new DeliveryStore(env.DB);

const SIGNING_SECRET = `whsec_${btoa("0123456789abcdefghijklmnopqrstuv")}`;
const SECRETS: Record<string, string> = {
  HOOK_URL: "https://receiver.example.test/hooks/8f1c2b-secret-path",
  HOOK_URL_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_URL: "https://hooks.slack.test/services/T0001/B0001/slacksecrettoken",
  DISCORD_URL: "https://discord.test/api/webhooks/123/discordsecrettoken",
  BADSIGN_URL: "https://receiver.example.test/hooks/badsign-path",
  BADSIGN_URL_SIGNING_SECRET: "whsec_tooShortButSecretish",
};
const SECRET_VALUES = Object.values(SECRETS);
const MEETING = "pair-1/2026-12-01";
/** The test's clock; the receivers' Standard Webhooks library reads Date, so Date is pinned to it. */
const NOW = Date.UTC(2026, 11, 1, 9, 0, 0);

interface Call {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A fake network: records every call and answers with `answer` (per URL, in call order). */
function network(answer: (call: Call, index: number) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const call = {
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
    };
    calls.push(call);
    return answer(call, calls.filter((earlier) => earlier.url === call.url).length - 1);
  };
  return { calls, fetch };
}

function capture() {
  const lines: string[] = [];
  // No redaction here: the outbox must not hand secrets to the logger in the first place.
  const log = createLogger({ level: "debug", secrets: [], sink: (line) => lines.push(line) });
  return { lines, log };
}

function ok(): Response {
  return new Response("ok", { status: 200, statusText: "OK" });
}

async function enqueue(channelKey: string, channel: DeliveryChannel, secretName: string, nowMs: number) {
  const payload = JSON.stringify({ meeting: MEETING, channel: channelKey, text: "Agenda ready ✓" });
  const { id } = await store.enqueue({
    meetingKey: MEETING,
    channelKey,
    channel,
    secretName,
    payload,
    nowMs,
  });
  return { id, payload };
}

function tick(
  fetch: typeof globalThis.fetch,
  nowMs: number,
  extra: Partial<DeliverDueOptions> = {},
): ReturnType<typeof deliverDue> {
  return deliverDue({
    store,
    secrets: (name) => SECRETS[name],
    fetch,
    nowMs,
    log: extra.log ?? capture().log,
    random: () => 0.5,
    ...extra,
  });
}

/** Nothing a test can see (stored rows, logs) holds a URL or a secret. */
async function expectNoSecrets(lines: readonly string[]) {
  const stored = JSON.stringify(await store.listForMeeting(MEETING));
  for (const text of [stored, ...lines]) {
    for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
    expect(text).not.toContain("secret-path");
    expect(text).not.toContain("secrettoken");
  }
}

beforeEach(async () => {
  await env.DB.prepare("DELETE FROM deliveries").run();
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("outbox (happy)", () => {
  it("gets a digest to a receiver that fails twice, once by id, signed, with the same bytes", async () => {
    const t0 = NOW;
    const { id, payload } = await enqueue("hook", "webhook", "HOOK_URL", t0);
    const processed = new Map<string, number>();
    const { calls, fetch } = network((call, index) => {
      // The receiver verifies like a real one would, then fails twice before accepting.
      new Webhook(SIGNING_SECRET).verify(call.body, call.headers);
      if (index < 2) return new Response("busy", { status: 503, statusText: "Service Unavailable" });
      const webhookId = call.headers["webhook-id"] ?? "";
      processed.set(webhookId, (processed.get(webhookId) ?? 0) + 1);
      return ok();
    });
    const { lines, log } = capture();

    const first = await tick(fetch, t0, { log });
    // Full jitter pinned at 0.5: the first backoff is half of 60 s, the second half of 120 s.
    expect(first.results).toEqual([
      {
        id,
        channel: "webhook",
        status: "retry",
        attempts: 1,
        nextAttemptAt: t0 + 30_000,
        reason: "HTTP 503 Service Unavailable",
      },
    ]);
    expect((await tick(fetch, t0 + 29_999, { log })).claimed).toBe(0);
    expect((await tick(fetch, t0 + 30_000, { log })).results[0]).toMatchObject({
      status: "retry",
      nextAttemptAt: t0 + 90_000,
    });
    expect((await tick(fetch, t0 + 90_000, { log })).results[0]).toMatchObject({
      status: "delivered",
      attempts: 3,
    });
    expect((await tick(fetch, t0 + 10 * 3_600_000, { log })).claimed).toBe(0);

    expect(calls).toHaveLength(3);
    expect(calls.map((call) => [call.headers["webhook-id"], call.body])).toEqual([
      [id, payload],
      [id, payload],
      [id, payload],
    ]);
    expect(calls[0]?.headers["content-type"]).toBe("application/json");
    expect([...processed]).toEqual([[id, 1]]);
    expect(await store.get(id)).toMatchObject({ status: "delivered", attempts: 3, lastError: null });
    await expectNoSecrets(lines);
  });

  it("schedules the next attempt by a 429's Retry-After, in seconds or as a date", async () => {
    const t0 = 1_800_000_000_000;
    const seconds = await enqueue("slack", "slack", "SLACK_URL", t0);
    const dated = await enqueue("discord", "discord", "DISCORD_URL", t0);
    const { calls, fetch } = network((call, index) => {
      if (index > 0) return ok();
      const retryAfter = call.url === SECRETS.SLACK_URL ? "120" : new Date(t0 + 600_000).toUTCString();
      return new Response(null, {
        status: 429,
        statusText: "Too Many Requests",
        headers: { "retry-after": retryAfter },
      });
    });

    await tick(fetch, t0);
    expect((await store.get(seconds.id))?.nextAttemptAt).toBe(t0 + 120_000);
    expect((await store.get(dated.id))?.nextAttemptAt).toBe(t0 + 600_000);
    expect((await store.get(seconds.id))?.lastError).toBe("HTTP 429 Too Many Requests");
    expect((await tick(fetch, t0 + 119_999)).claimed).toBe(0);
    expect((await tick(fetch, t0 + 120_000)).results.map((result) => [result.id, result.status])).toEqual([
      [seconds.id, "delivered"],
    ]);
    expect((await tick(fetch, t0 + 600_000)).results.map((result) => [result.id, result.status])).toEqual([
      [dated.id, "delivered"],
    ]);
    expect(calls).toHaveLength(4);
  });

  it("caps a receiver's Retry-After so a digest is never parked for ever", async () => {
    const { id } = await enqueue("slack", "slack", "SLACK_URL", 0);
    const { fetch } = network(
      () => new Response(null, { status: 503, headers: { "retry-after": "31536000" } }),
    );
    await tick(fetch, 0, { policy: { maxRetryAfterMs: 3_600_000 } });
    expect(await store.get(id)).toMatchObject({
      nextAttemptAt: 3_600_000,
      lastError: "HTTP 503 Service Unavailable",
    });
  });
});

describe("outbox (error)", () => {
  it("fails a 400 receiver with a clear reason, and still delivers the meeting's other channel", async () => {
    const hook = await enqueue("hook", "webhook", "HOOK_URL", 0);
    const slack = await enqueue("slack", "slack", "SLACK_URL", 0);
    const { calls, fetch } = network((call) =>
      call.url === SECRETS.HOOK_URL
        ? new Response(`invalid payload for ${call.url} with ${SIGNING_SECRET}`, {
            status: 400,
            statusText: "Bad Request",
          })
        : ok(),
    );
    const { lines, log } = capture();

    await tick(fetch, NOW, { log });
    expect(await store.get(hook.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "HTTP 400 Bad Request",
    });
    expect(await store.get(slack.id)).toMatchObject({ status: "delivered" });
    expect((await tick(fetch, NOW + 30 * 86_400_000, { log })).claimed).toBe(0);
    expect(calls).toHaveLength(2);
    expect(
      lines.some((line) => line.includes('"outbox.failed"') && line.includes("HTTP 400 Bad Request")),
    ).toBe(true);
    await expectNoSecrets(lines);
  });

  it("fails a delivery whose secret is missing or unusable by name, and sends the others", async () => {
    const missing = await enqueue("teams", "teams", "TEAMS_URL", 0);
    const unsigned = await enqueue("hook", "webhook", "SLACK_URL", 0);
    const badSecret = await enqueue("badsign", "webhook", "BADSIGN_URL", 0);
    const slack = await enqueue("slack", "slack", "SLACK_URL", 0);
    const { calls, fetch } = network(() => ok());
    const { lines, log } = capture();

    await tick(fetch, 0, { log });
    expect((await store.get(missing.id))?.lastError).toBe("secret TEAMS_URL is not set");
    expect((await store.get(unsigned.id))?.lastError).toBe("secret SLACK_URL_SIGNING_SECRET is not set");
    expect((await store.get(badSecret.id))?.lastError).toBe(
      "secret BADSIGN_URL_SIGNING_SECRET must decode to 24-64 bytes, not 15",
    );
    expect([missing, unsigned, badSecret].map(() => "failed")).toEqual(
      await Promise.all([missing, unsigned, badSecret].map(async ({ id }) => (await store.get(id))?.status)),
    );
    expect((await store.get(slack.id))?.status).toBe("delivered");
    expect(calls.map((call) => call.url)).toEqual([SECRETS.SLACK_URL]);
    await expectNoSecrets(lines);
  });

  it("gives up after the attempt cap with the last reason", async () => {
    const { id } = await enqueue("slack", "slack", "SLACK_URL", 0);
    const { calls, fetch } = network(
      () => new Response(null, { status: 500, statusText: "Internal Server Error" }),
    );
    const policy = { maxAttempts: 2 };
    await tick(fetch, 0, { policy });
    await tick(fetch, 10_000_000, { policy });
    expect(await store.get(id)).toMatchObject({
      status: "failed",
      attempts: 2,
      lastError: "gave up after 2 attempts: HTTP 500 Internal Server Error",
    });
    expect((await tick(fetch, 100_000_000, { policy })).claimed).toBe(0);
    expect(calls).toHaveLength(2);
  });

  it("retries a timeout and a network error, with reasons that do not name the URL", async () => {
    const slow = await enqueue("slack", "slack", "SLACK_URL", 0);
    const broken = await enqueue("discord", "discord", "DISCORD_URL", 0);
    const { fetch } = network((call) => {
      if (call.url === SECRETS.DISCORD_URL)
        throw new TypeError(`connect ECONNREFUSED while fetching ${call.url}`);
      // Never answers, and ignores the abort: the sender's own timer must still end the wait.
      return new Promise<Response>(() => {});
    });
    const { lines, log } = capture();
    await tick(fetch, 0, { log, policy: { timeoutMs: 20 } });
    expect(await store.get(slow.id)).toMatchObject({ status: "pending", lastError: "timed out after 20 ms" });
    const reason = (await store.get(broken.id))?.lastError ?? "";
    // Our words only: the runtime's message named the URL.
    expect(reason).toBe("network error (the connection was refused)");
    await expectNoSecrets(lines);
  });
});

describe("outbox (exactly once by id)", () => {
  it("sends each delivery once when two runs overlap", async () => {
    for (const key of ["a", "b", "c", "d", "e", "f", "g"]) await enqueue(key, "slack", "SLACK_URL", 0);
    const { calls, fetch } = network(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return ok();
    });
    // Both runs see all seven due and race for each row, claiming it just before its send.
    const policy = { concurrency: 3, batchSize: 7 };
    const [one, two] = await Promise.all([
      tick(fetch, 0, { runId: "run-1", policy }),
      tick(fetch, 0, { runId: "run-2", policy }),
    ]);
    expect(one.claimed + two.claimed).toBe(7);
    const sentTo = calls.map((call) => String(JSON.parse(call.body).channel)).sort();
    expect(sentTo).toEqual(["a", "b", "c", "d", "e", "f", "g"]);
    const rows = await store.listForMeeting(MEETING);
    expect(rows.every((row) => row.status === "delivered" && row.attempts === 1)).toBe(true);
  });

  it("never posts twice to Slack when a slow receiver holds one run past the lease and another run starts", async () => {
    // One run: the signed webhook first (slow), Slack second. Before the fix the run claimed both at the
    // start; the Slack row's lease ran out while the slow receiver held the run, the next run took it
    // and posted it, and the first run posted it again when the receiver let go.
    await enqueue("hook", "webhook", "HOOK_URL", 0);
    await enqueue("slack", "slack", "SLACK_URL", 1);
    let releaseSlow = (): void => {};
    const slowHeld = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    let slowReached = (): void => {};
    const reached = new Promise<void>((resolve) => {
      slowReached = resolve;
    });
    const slow = network(async (call) => {
      if (call.url === SECRETS.HOOK_URL) {
        slowReached();
        await slowHeld;
      }
      return ok();
    });
    const fast = network(() => ok());
    const policy = { concurrency: 1, batchSize: 10, leaseMs: 300_000 };
    let now = 60_000;
    const first = tick(slow.fetch, now, { runId: "slow-run", policy, clock: () => now });
    await reached;
    now += 300_001;
    await tick(fast.fetch, now, { runId: "next-run", policy, clock: () => now });
    releaseSlow();
    await first;
    const slackPosts = [...slow.calls, ...fast.calls].filter((call) => call.url === SECRETS.SLACK_URL);
    expect(slackPosts).toHaveLength(1);
    const slack = (await store.listForMeeting(MEETING)).find((row) => row.channelKey === "slack");
    expect(slack).toMatchObject({ status: "delivered", attempts: 1 });
  });

  it("never sends a delivered digest again, whatever re-runs happen", async () => {
    const { id } = await enqueue("slack", "slack", "SLACK_URL", 0);
    const { calls, fetch } = network(() => ok());
    await tick(fetch, 0);
    expect((await enqueue("slack", "slack", "SLACK_URL", 5)).id).toBe(id);
    for (const at of [0, 1, 300_001, 86_400_000]) expect((await tick(fetch, at)).claimed).toBe(0);
    expect(calls).toHaveLength(1);
    expect((await store.get(id))?.status).toBe("delivered");
  });

  it("sends again, with the same id and bytes, what a crashed run claimed once its claim expires", async () => {
    const t0 = NOW;
    const { id, payload } = await enqueue("hook", "webhook", "HOOK_URL", t0);
    // A run that claimed the row and died before recording anything (maybe after sending).
    await store.claimDue({ token: "crashed", nowMs: t0, leaseMs: 300_000, limit: 10 });
    const { calls, fetch } = network(() => ok());
    expect((await tick(fetch, t0 + 299_999)).claimed).toBe(0);
    expect((await tick(fetch, t0 + 300_000)).results).toEqual([
      { id, channel: "webhook", status: "delivered", attempts: 2 },
    ]);
    expect(calls.map((call) => [call.headers["webhook-id"], call.body])).toEqual([[id, payload]]);
    expect(await store.markFailed(id, "crashed", "late", t0 + 300_001)).toBe(false);
  });

  it("sends email deliveries too: one that cannot be sent fails by itself, the webhook beside it goes", async () => {
    // The payload here is not an email message, so the email sender refuses it without a network call;
    // test/notify/email covers email sent for real.
    const mail = await enqueue("mail", "email", "SMTP_SETTINGS", 0);
    const slack = await enqueue("slack", "slack", "SLACK_URL", 0);
    const { calls, fetch } = network(() => ok());
    expect((await tick(fetch, 0)).claimed).toBe(2);
    expect(calls.map((call) => call.url)).toEqual([SECRETS.SLACK_URL]);
    expect(await store.get(mail.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: expect.stringMatching(/^email payload is not a valid message: /u),
    });
    expect((await store.get(slack.id))?.status).toBe("delivered");
  });
});

describe("outbox (expiry)", () => {
  const startsAt = "2026-12-08T10:00:00+01:00";
  const start = Date.parse(startsAt);
  const expires = { atMs: start, reason: `the meeting began (${startsAt})` };

  async function enqueueExpiring(nowMs: number) {
    const payload = JSON.stringify({ text: "Agenda ready" });
    const request = { meetingKey: MEETING, channelKey: "slack", channel: "slack" as const, payload };
    return store.enqueue({ ...request, secretName: "SLACK_URL", pairId: "pair-1", expires, nowMs });
  }

  it("does not send a retry once the meeting has begun, and says so", async () => {
    const { id } = await enqueueExpiring(start - 3_600_000);
    const { calls, fetch } = network((_, index) =>
      index === 0 ? new Response(null, { status: 503, statusText: "Service Unavailable" }) : ok(),
    );
    const { lines, log } = capture();
    expect((await tick(fetch, start - 3_600_000, { log })).results[0]).toMatchObject({ status: "retry" });

    const late = await tick(fetch, start, { log });
    expect(late).toEqual({ due: 0, claimed: 0, expired: 1, results: [] });
    expect(calls).toHaveLength(1);
    expect(await store.get(id)).toMatchObject({
      status: "expired",
      lastError: `expired: not delivered before the meeting began (${startsAt}); last attempt: HTTP 503 Service Unavailable`,
    });
    expect(lines.some((line) => line.includes('"outbox.expired"') && line.includes(id))).toBe(true);
    expect((await tick(fetch, start + 86_400_000)).claimed).toBe(0);
    expect(calls).toHaveLength(1);
  });

  it("expires at once a delivery whose next attempt would come after the meeting began", async () => {
    const { id } = await enqueueExpiring(start - 60_000);
    const { fetch } = network(
      () =>
        new Response(null, {
          status: 429,
          statusText: "Too Many Requests",
          headers: { "retry-after": "120" },
        }),
    );
    const result = await tick(fetch, start - 60_000);
    const reason =
      "expired: the next attempt would come after the meeting began (2026-12-08T10:00:00+01:00); last attempt: HTTP 429 Too Many Requests";
    expect(result.results).toEqual([{ id, channel: "slack", status: "expired", attempts: 1, reason }]);
    expect(await store.get(id)).toMatchObject({ status: "expired", lastError: reason });
  });
});

describe("outbox (scope and fairness)", () => {
  async function enqueueFor(pairId: string, channelKey: string, nowMs = 0) {
    const meetingKey = `${pairId}/2026-12-08`;
    const payload = JSON.stringify({ pairId, channelKey });
    return store.enqueue({
      meetingKey,
      channelKey,
      channel: "slack",
      secretName: "SLACK_URL",
      payload,
      pairId,
      nowMs,
    });
  }

  it("sends only the asked pair's deliveries", async () => {
    const mine = await enqueueFor("mine", "slack");
    const other = await enqueueFor("other", "slack");
    const { calls, fetch } = network(() => ok());
    const result = await tick(fetch, 0, { pairId: "mine" });
    expect(result.results.map((entry) => entry.id)).toEqual([mine.id]);
    expect(calls.map((call) => JSON.parse(call.body).pairId)).toEqual(["mine"]);
    expect((await store.get(other.id))?.status).toBe("pending");
  });

  it("shares a run's budget: one pair with many channels cannot keep the others waiting", async () => {
    // The crowded pair's rows are the oldest, so oldest-first alone would send only them.
    for (let n = 0; n < 20; n += 1) await enqueueFor("crowded", `c${n}`, 0);
    const small = Array.from({ length: 8 }, (_, n) => `small-${n}`);
    for (const pairId of small) await enqueueFor(pairId, "slack", 1);
    const { calls, fetch } = network(() => ok());
    const result = await tick(fetch, 1, { policy: { batchSize: 10 } });
    expect(result.claimed).toBe(10);
    const sentTo = calls.map((call) => String(JSON.parse(call.body).pairId));
    for (const pairId of small) expect(sentTo).toContain(pairId);
    expect(sentTo.filter((pairId) => pairId === "crowded")).toHaveLength(2);
  });
});
