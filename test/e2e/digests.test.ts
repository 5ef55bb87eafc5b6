// Digests through the real Worker: a prepared agenda reaches every channel of its pair once, through
// receivers that fail first, one that always refuses, a secret that is missing, re-runs and resends;
// and a manager's weekly roll-up goes out once at its time. Receivers are local HTTP servers that
// answer like the vendors and record what arrived.
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { beforeEach, describe, expect, inject, it } from "vitest";
import type { SeedBlock } from "../../emulators/notion/control";
import { date, heading, notionControl, title, todo } from "../../emulators/notion/control";
import { receiversControl } from "../../emulators/receivers/control";
import { SMTP_TEST_PASSWORD, SMTP_TEST_USER } from "../../emulators/smtp/constants";
import { smtpControl } from "../../emulators/smtp/control";
import type { PairInput } from "../../src/config/pair";
import type { DigestChannel } from "../../src/domain/channels";
import { webhookPayloadSchema } from "../../src/notify/channels/webhook/digest";
import { admin, envFor, testClock, tick } from "../support/worker";

const emu = notionControl(inject("notionUrl"));
const receiversUrl = inject("receiversUrl");
const receivers = receiversControl(receiversUrl);
const smtp = inject("smtp");
const mailbox = smtpControl(smtp.controlUrl);

// Tuesday 10:00 in Berlin, prepared 24 hours ahead: due from Monday 2026-12-07 09:00Z (10:00 local).
const DUE_AT = Date.parse("2026-12-07T09:00:00Z");
const STARTS_AT = Date.parse("2026-12-08T09:00:00Z");
const MEETING_DATE = "2026-12-08";
const TICK_MS = 15 * 60_000;
const SIGNING_SECRET = `whsec_${btoa("a local signing secret, 32 bytes!")}`;

let serial = 0;
let token = "";
let ownerId = "";

/** A hook name no other test uses, so receivers' records never mix between tests. */
function hookName(label: string): string {
  serial += 1;
  return `${label}-${serial}-${crypto.randomUUID().slice(0, 8)}`;
}

interface Hooks {
  env: Env;
  channels: DigestChannel[];
  hook: Record<"slack" | "teams" | "discord" | "google-chat" | "webhook", string>;
}

/** One channel of each webhook kind, each with its own receiver hook and secret. */
function hooks(baseEnv: Env): Hooks {
  const hook = {
    slack: hookName("slack"),
    teams: hookName("teams"),
    discord: hookName("discord"),
    "google-chat": hookName("chat"),
    webhook: hookName("hook"),
  };
  const secrets: Record<string, string> = {
    DIGEST_SLACK_URL: `${receiversUrl}/slack/${hook.slack}`,
    DIGEST_TEAMS_URL: `${receiversUrl}/teams/${hook.teams}`,
    DIGEST_DISCORD_URL: `${receiversUrl}/discord/${hook.discord}`,
    DIGEST_CHAT_URL: `${receiversUrl}/google-chat/${hook["google-chat"]}`,
    DIGEST_HOOK_URL: `${receiversUrl}/webhook/${hook.webhook}`,
    DIGEST_HOOK_URL_SIGNING_SECRET: SIGNING_SECRET,
  };
  return {
    env: { ...baseEnv, ...secrets },
    hook,
    channels: [
      { channel: "slack", secret: "DIGEST_SLACK_URL" },
      { channel: "teams", secret: "DIGEST_TEAMS_URL" },
      { channel: "discord", secret: "DIGEST_DISCORD_URL" },
      { channel: "google-chat", secret: "DIGEST_CHAT_URL" },
      { channel: "webhook", secret: "DIGEST_HOOK_URL" },
    ],
  };
}

function pair(id: string, dataSourceId: string, channels: DigestChannel[], report = "Bo Report"): PairInput {
  return {
    id,
    manager: { name: "Ada Manager", email: "ada@example.com" },
    report: { name: report, email: `${id}@example.com` },
    schedule: { timeZone: "Europe/Berlin", time: "10:00", cadence: { kind: "weekly", weekday: "tuesday" } },
    destination: { kind: "notion", dataSourceId },
    digests: channels,
  };
}

/** The last agenda as people left it: an overdue item with an owner, an open one, and a done one. */
function previousAgenda(): SeedBlock[] {
  return [
    heading(2, "Action items"),
    {
      to_do: {
        rich_text: [
          { text: { content: "Send the <!channel> *review* notes " } },
          { mention: { user: { id: ownerId } } },
          { text: { content: " due " } },
          { mention: { date: { start: "2026-12-01" } } },
        ],
        checked: false,
      },
    },
    todo("Book the room"),
    todo("Close the survey", true),
  ];
}

/** A pair with its own database, holding the last agenda. */
async function seedPair(id: string, channels: DigestChannel[], testEnv: Env, report?: string) {
  const db = await emu.seedDatabase(token, {
    title: `1:1s ${id}`,
    properties: { Name: { type: "title" }, Date: { type: "date" } },
    pages: [
      {
        properties: { Name: title("1:1 2026-12-01"), Date: date("2026-12-01") },
        children: previousAgenda(),
      },
    ],
  });
  const body = pair(id, db.dataSourceId, channels, report);
  expect((await admin(testEnv, "/pairs", { method: "POST", body })).status).toBe(201);
}

async function deliveriesOf(testEnv: Env, pairId: string) {
  const response = await admin(testEnv, `/pairs/${pairId}/meetings`);
  const body = (await response.json()) as {
    meetings: {
      date: string;
      deliveries: {
        id: string;
        channel: string;
        status: string;
        lastError: string | null;
        attempts: number;
        nextAttemptAt: string | null;
        expiresAt: string | null;
      }[];
    }[];
  };
  return body.meetings.find((meeting) => meeting.date === MEETING_DATE)?.deliveries ?? [];
}

beforeEach(async () => {
  // A tick sends every pair's due deliveries with the secrets of the env it runs in, and every test's
  // env names its own receivers under the same secret names: an earlier test's retry left owed would
  // reach this test's hooks. Each test starts with an empty outbox (this file's own D1).
  await env.DB.prepare("DELETE FROM deliveries").run();
  token = (await emu.createIntegration({ requestsPerSecond: null })).token;
  ownerId = (await emu.createUser({ name: "Zoë Owner", email: `owner-${crypto.randomUUID()}@example.com` }))
    .id;
});

describe("meeting digests", () => {
  it("sends the prepared agenda's digest to every channel once, signed and complete", async () => {
    const setup = hooks(envFor(inject("notionUrl"), token));
    const id = `d${crypto.randomUUID().slice(0, 8)}`;
    await seedPair(id, setup.channels, setup.env);

    await tick(setup.env, DUE_AT);
    await tick(setup.env, DUE_AT + TICK_MS);
    await admin(setup.env, "/run", { method: "POST", body: { at: DUE_AT + 2 * TICK_MS } });

    for (const [kind, hook] of Object.entries(setup.hook)) {
      const arrived = await receivers.received({ kind, hook });
      expect(arrived, `${kind} receives one digest`).toHaveLength(1);
    }
    const [slack] = await receivers.received({ kind: "slack", hook: setup.hook.slack });
    const slackBody = JSON.parse(slack?.body ?? "{}") as { text: string };
    // Escaped: the item's <!channel> cannot ping, and the overdue item leads.
    expect(slackBody.text).toContain("&lt;!channel&gt;");
    expect(slackBody.text).not.toContain("<!channel>");

    const [signed] = await receivers.received({ kind: "webhook", hook: setup.hook.webhook });
    if (signed === undefined) throw new Error("no webhook request");
    const verified = new Webhook(SIGNING_SECRET).verify(signed.body, {
      "webhook-id": signed.headers["webhook-id"] ?? "",
      "webhook-timestamp": signed.headers["webhook-timestamp"] ?? "",
      "webhook-signature": signed.headers["webhook-signature"] ?? "",
    });
    const payload = webhookPayloadSchema.parse(verified);
    expect(payload.items.map((item) => item.text)).toEqual([
      "Send the <!channel> *review* notes @Zoë Owner due 2026-12-01",
      "Book the room",
    ]);
    expect(payload.items[0]).toMatchObject({ owner: "Zoë Owner", dueDate: "2026-12-01", overdueDays: 7 });
    expect(payload.counts).toMatchObject({ carried: 2, overdue: 1, closedSinceLastMeeting: 1 });

    const deliveries = await deliveriesOf(setup.env, id);
    expect(deliveries.map((delivery) => delivery.status)).toEqual(Array(5).fill("delivered"));
    // The webhook-id is the delivery's stable id.
    expect(deliveries.map((delivery) => delivery.id)).toContain(signed.headers["webhook-id"]);
  });

  it("retries receivers that fail first and delivers each digest exactly once", async () => {
    const setup = hooks(envFor(inject("notionUrl"), token));
    const id = `r${crypto.randomUUID().slice(0, 8)}`;
    await seedPair(id, setup.channels, setup.env);
    await receivers.behave(`slack/${setup.hook.slack}`, { status: 503, failNext: 2 });
    await receivers.behave(`webhook/${setup.hook.webhook}`, { status: 429, failNext: 1, retryAfter: 60 });
    await receivers.behave(`teams/${setup.hook.teams}`, { status: 502, failNext: 1 });

    for (let n = 0; n < 6; n += 1) await tick(setup.env, DUE_AT + n * TICK_MS);

    const slack = await receivers.received({ kind: "slack", hook: setup.hook.slack });
    expect(slack.map((request) => request.status)).toEqual([503, 503, 200]);
    // Every attempt sent the same bytes.
    expect(new Set(slack.map((request) => request.body)).size).toBe(1);
    const webhook = await receivers.received({ kind: "webhook", hook: setup.hook.webhook });
    expect(webhook.map((request) => request.status)).toEqual([429, 204]);
    expect(new Set(webhook.map((request) => request.headers["webhook-id"])).size).toBe(1);
    const teams = await receivers.received({ kind: "teams", hook: setup.hook.teams });
    expect(teams.map((request) => request.status)).toEqual([502, 202]);
    const deliveries = await deliveriesOf(setup.env, id);
    expect(deliveries.every((delivery) => delivery.status === "delivered")).toBe(true);
  });

  it("leaves a clear failure for a receiver that always refuses, and the other channels unaffected", async () => {
    const setup = hooks(envFor(inject("notionUrl"), token));
    const id = `f${crypto.randomUUID().slice(0, 8)}`;
    await seedPair(id, setup.channels, setup.env);
    await receivers.behave(`discord/${setup.hook.discord}`, { status: 400, always: true });

    await tick(setup.env, DUE_AT);
    await tick(setup.env, DUE_AT + TICK_MS);

    expect(await receivers.received({ kind: "discord", hook: setup.hook.discord })).toHaveLength(1);
    const deliveries = await deliveriesOf(setup.env, id);
    const discord = deliveries.find((delivery) => delivery.channel === "discord");
    expect(discord).toMatchObject({ status: "failed", attempts: 1 });
    expect(discord?.lastError).toMatch(/^HTTP 400/);
    expect(discord?.lastError).not.toContain(receiversUrl);
    expect(deliveries.filter((delivery) => delivery.status === "delivered")).toHaveLength(4);

    const failed = (await (await admin(setup.env, "/deliveries?status=failed")).json()) as {
      deliveries: { id: string }[];
    };
    expect(failed.deliveries.map((delivery) => delivery.id)).toContain(discord?.id);

    // A person fixes the receiver and resends: it is sent at once, without waiting for a tick; a second
    // resend of a delivered digest needs consent.
    await receivers.behave(`discord/${setup.hook.discord}`, { status: 400, failNext: 0 });
    const resend = await admin(setup.env, `/deliveries/${discord?.id}/resend`, { method: "POST" });
    expect(resend.status).toBe(202);
    const after = await receivers.received({ kind: "discord", hook: setup.hook.discord });
    expect(after.map((request) => request.status)).toEqual([400, 204]);
    const again = await admin(setup.env, `/deliveries/${discord?.id}/resend`, { method: "POST" });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { problems: string[] }).problems[0]).toMatch(/includeDelivered/);
  });

  it("fails a channel whose secret is missing with the secret's name, and sends the rest", async () => {
    const setup = hooks(envFor(inject("notionUrl"), token));
    const id = `m${crypto.randomUUID().slice(0, 8)}`;
    const channels: DigestChannel[] = [...setup.channels, { channel: "slack", secret: "NOT_SET_ANYWHERE" }];
    await seedPair(id, channels, setup.env);

    await tick(setup.env, DUE_AT);

    const deliveries = await deliveriesOf(setup.env, id);
    const missing = deliveries.find((delivery) => delivery.status === "failed");
    expect(missing?.lastError).toBe("secret NOT_SET_ANYWHERE is not set");
    expect(deliveries.filter((delivery) => delivery.status === "delivered")).toHaveLength(5);
  });

  it("emails both people through SMTP with STARTTLS, the delivery id as Message-ID", async () => {
    const credentials = `${encodeURIComponent(SMTP_TEST_USER)}:${encodeURIComponent(SMTP_TEST_PASSWORD)}`;
    const named: Record<string, string> = {
      DIGEST_SMTP_URL: `smtp://${credentials}@localhost:${smtp.ports.starttls}`,
    };
    const testEnv = { ...envFor(inject("notionUrl"), token), ...named };
    const id = `e${crypto.randomUUID().slice(0, 8)}`;
    const channel: DigestChannel = {
      channel: "email",
      via: "smtp",
      secret: "DIGEST_SMTP_URL",
      from: { email: "agendas@agendas.test", name: "1:1 agendas" },
    };
    await seedPair(id, [channel], testEnv, "Zoë Åström");

    await tick(testEnv, DUE_AT);
    await tick(testEnv, DUE_AT + TICK_MS);

    const [delivery] = await deliveriesOf(testEnv, id);
    expect(delivery?.status).toBe("delivered");
    const messages = await mailbox.messagesWithId(`<${delivery?.id}@agendas.test>`);
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message).toMatchObject({ listener: "starttls", secure: true, user: SMTP_TEST_USER });
    expect(message?.envelope.rcptTo).toEqual(["ada@example.com", `${id}@example.com`]);
    expect(message?.to.map((address) => address.name)).toEqual(["Ada Manager", "Zoë Åström"]);
    expect(message?.subject).toContain("Zoë Åström");
    expect(message?.contentTypes).toEqual(["multipart/alternative", "text/plain", "text/html"]);
    expect(message?.text).toContain("Book the room");
    expect(message?.html).toContain("&lt;!channel&gt;");
    expect(message?.html).not.toContain("<!channel>");
  });

  it("sends nothing on a dry run", async () => {
    const setup = hooks(envFor(inject("notionUrl"), token));
    const id = `y${crypto.randomUUID().slice(0, 8)}`;
    await seedPair(id, setup.channels, setup.env);
    await admin(setup.env, "/run", { method: "POST", body: { at: DUE_AT, dryRun: true } });
    expect(await receivers.received({ kind: "slack", hook: setup.hook.slack })).toHaveLength(0);
    expect(await deliveriesOf(setup.env, id)).toHaveLength(0);
  });
});

describe("digests on the real clock", () => {
  it("does not send a digest once its meeting has begun: it is marked expired, with the reason", async () => {
    const setup = hooks(envFor(inject("notionUrl"), token));
    const id = `x${crypto.randomUUID().slice(0, 8)}`;
    const slack: DigestChannel = { channel: "slack", secret: "DIGEST_SLACK_URL" };
    await seedPair(id, [slack], setup.env);
    await receivers.behave(`slack/${setup.hook.slack}`, { status: 503, failNext: 1 });

    await tick(setup.env, DUE_AT);
    // The next tick comes only after the meeting began (the Worker was down, say).
    await tick(setup.env, STARTS_AT + TICK_MS);

    const arrived = await receivers.received({ kind: "slack", hook: setup.hook.slack });
    expect(arrived.map((request) => request.status)).toEqual([503]);
    const [delivery] = await deliveriesOf(setup.env, id);
    expect(delivery).toMatchObject({
      status: "expired",
      attempts: 1,
      nextAttemptAt: null,
      expiresAt: new Date(STARTS_AT).toISOString(),
      lastError:
        "expired: not delivered before the meeting began (2026-12-08T10:00:00+01:00); last attempt: HTTP 503 Service Unavailable",
    });
    const listed = await admin(setup.env, "/deliveries?status=expired");
    expect(listed.status).toBe(200);
    const expired = ((await listed.json()) as { deliveries: { id: string }[] }).deliveries;
    expect(expired.map((entry) => entry.id)).toContain(delivery?.id);
    // Its moment has passed: a resend is refused with why.
    const resend = await admin(setup.env, `/deliveries/${delivery?.id}/resend`, { method: "POST" });
    expect(resend.status).toBe(409);
    expect(((await resend.json()) as { problems: string[] }).problems[0]).toMatch(/meeting has begun/);
  });

  it("runs now for one pair without sending another pair's digests", async () => {
    const setup = hooks(envFor(inject("notionUrl"), token));
    const mine = `a${crypto.randomUUID().slice(0, 8)}`;
    const other = `b${crypto.randomUUID().slice(0, 8)}`;
    const otherHook = hookName("other");
    const testEnv = { ...setup.env, OTHER_SLACK_URL: `${receiversUrl}/slack/${otherHook}` };
    await seedPair(mine, [{ channel: "slack", secret: "DIGEST_SLACK_URL" }], testEnv);
    await seedPair(other, [{ channel: "slack", secret: "OTHER_SLACK_URL" }], testEnv);
    await receivers.behave(`slack/${otherHook}`, { status: 503, failNext: 1 });
    await tick(testEnv, DUE_AT);
    expect((await deliveriesOf(testEnv, other))[0]?.status).toBe("pending");

    // Ten minutes later a person runs one pair "at" a far moment: the other pair's retry, due by the
    // real clock, is not theirs to send.
    testClock.set(DUE_AT + 10 * 60_000);
    const run = await admin(testEnv, "/run", {
      method: "POST",
      body: { pairId: mine, at: "2027-02-04T12:00:00Z" },
    });
    expect(run.status).toBe(200);
    const arrived = await receivers.received({ kind: "slack", hook: otherHook });
    expect(arrived.map((request) => request.status)).toEqual([503]);
    expect((await deliveriesOf(testEnv, other))[0]?.status).toBe("pending");
    expect((await deliveriesOf(testEnv, mine))[0]?.status).toBe("delivered");
  });

  it("schedules retries from the real clock, not from a run's `at` or a replayed tick's time", async () => {
    const setup = hooks(envFor(inject("notionUrl"), token));
    const id = `t${crypto.randomUUID().slice(0, 8)}`;
    await seedPair(id, [{ channel: "slack", secret: "DIGEST_SLACK_URL" }], setup.env);
    await receivers.behave(`slack/${setup.hook.slack}`, { status: 503, always: true });
    await tick(setup.env, DUE_AT);
    const nextAttempt = async () => Date.parse((await deliveriesOf(setup.env, id))[0]?.nextAttemptAt ?? "");
    // Full jitter: the first retry is within a minute, the second within two, the third within four.
    expect(await nextAttempt()).toBeLessThanOrEqual(DUE_AT + 60_000);

    const runAt = DUE_AT + 10 * 60_000;
    testClock.set(runAt);
    await admin(setup.env, "/run", { method: "POST", body: { pairId: id, at: "2027-02-04T12:00:00Z" } });
    expect((await deliveriesOf(setup.env, id))[0]?.attempts).toBe(2);
    expect(await nextAttempt()).toBeGreaterThanOrEqual(runAt);
    expect(await nextAttempt()).toBeLessThanOrEqual(runAt + 2 * 60_000);

    // A cron tick replayed for a far moment, while the real time is twenty minutes on.
    const tickAt = DUE_AT + 20 * 60_000;
    await tick(setup.env, Date.parse("2027-02-04T12:00:00Z"), { clockMs: tickAt });
    expect((await deliveriesOf(setup.env, id))[0]?.attempts).toBe(3);
    expect(await nextAttempt()).toBeGreaterThanOrEqual(tickAt);
    expect(await nextAttempt()).toBeLessThanOrEqual(tickAt + 4 * 60_000);
  });
});

describe("weekly roll-up", () => {
  it("goes out once at the manager's time, across all their reports", async () => {
    const setup = hooks(envFor(inject("notionUrl"), token));
    const manager = `ada-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const first = `u${crypto.randomUUID().slice(0, 8)}`;
    const second = `v${crypto.randomUUID().slice(0, 8)}`;
    const slackOnly: DigestChannel[] = [];
    for (const [id, report] of [
      [first, "Bo Report"],
      [second, "Cy Report"],
    ] as const) {
      await seedPair(id, slackOnly, setup.env, report);
      const stored = (await (await admin(setup.env, `/pairs/${id}`)).json()) as { pair: PairInput };
      const moved = { ...stored.pair, manager: { name: "Ada Manager", email: manager } };
      expect((await admin(setup.env, `/pairs/${id}`, { method: "PUT", body: moved })).status).toBe(200);
    }
    const rollupHook = hookName("rollup");
    const rollupEnv = { ...setup.env, ROLLUP_SLACK_URL: `${receiversUrl}/slack/${rollupHook}` };
    const put = await admin(rollupEnv, `/rollups/${manager}`, {
      method: "PUT",
      body: {
        manager: { name: "Ada Manager", email: manager },
        // Monday 10:00 in Berlin: the same tick that prepares Tuesday's agendas.
        weekday: "monday",
        time: "10:00",
        timeZone: "Europe/Berlin",
        channels: [{ channel: "slack", secret: "ROLLUP_SLACK_URL" }],
      },
    });
    expect(put.status).toBe(201);
    expect(((await put.json()) as { nextRollupAt: string | null }).nextRollupAt).toMatch(/\+01:00$/);

    await tick(rollupEnv, DUE_AT - TICK_MS);
    expect(await receivers.received({ kind: "slack", hook: rollupHook })).toHaveLength(0);
    for (let n = 0; n < 4; n += 1) await tick(rollupEnv, DUE_AT + n * TICK_MS);

    const arrived = await receivers.received({ kind: "slack", hook: rollupHook });
    expect(arrived).toHaveLength(1);
    const body = JSON.stringify(JSON.parse(arrived[0]?.body ?? "{}"));
    expect(body).toContain("Bo Report");
    expect(body).toContain("Cy Report");
    expect(body).toContain("Book the room");

    const view = (await (await admin(rollupEnv, `/rollups/${manager}`)).json()) as {
      deliveries: { status: string; digestKey: string }[];
    };
    expect(view.deliveries).toEqual([
      expect.objectContaining({ status: "delivered", digestKey: `rollup/${manager}/2026-12-07` }),
    ]);
  });
});
