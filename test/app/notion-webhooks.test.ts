// Notion's webhooks through the Worker: the emulator makes a subscription and sends its handshake and
// signed events to a loopback receiver, and each request that arrived there is handed to the Worker's
// POST /webhooks/notion exactly as sent (headers and raw body). The handshake is shown once in the admin
// API, signed events become one change signal per page, bad signatures record nothing, and a sync pass's
// `clear` keeps what changed after it read.

import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { date, notionControl, richText, title, todo } from "../../emulators/notion/control";
import { notionWebhooksControl } from "../../emulators/notion/webhooks-control";
import { receiversControl } from "../../emulators/receivers/control";
import { type ChangeSignal, ChangeSignalStore } from "../../src/store/change-signals";
import { createWorker } from "../../src/worker";
import { admin, envFor, testClock } from "../support/worker";

const notionUrl = inject("notionUrl");
const receiversUrl = inject("receiversUrl");
const emu = notionControl(notionUrl);
const hooks = notionWebhooksControl(notionUrl);
const receivers = receiversControl(receiversUrl);
const worker = createWorker({ clock: testClock.now });
const signals = new ChangeSignalStore(env.DB);

/** An integration with two agenda pages (to-dos on each) shared with it, and a manual subscription. */
async function setUp() {
  const { token } = await emu.createIntegration({ requestsPerSecond: null });
  const db = await emu.seedDatabase(token, {
    title: "1:1 agendas",
    properties: { Name: { type: "title" }, Date: { type: "date" }, Pair: { type: "rich_text" } },
    pages: ["Jan 1", "Jan 8"].map((name, index) => ({
      properties: { Name: title(name), Date: date(`2025-01-0${1 + index * 7}`), Pair: richText("ada-bo") },
      children: [todo(`Item on ${name}`)],
    })),
  });
  const pages = await Promise.all(
    db.pages.map(async (page) => {
      const [block] = await emu.blockTree(page.id);
      return { id: page.id, todo: String((block as { id: string }).id) };
    }),
  );
  const hook = `notion-${crypto.randomUUID()}`;
  const subscription = await hooks.subscribe({ token, url: `${receiversUrl}/webhook/${hook}`, manual: true });
  // The receiver has the handshake; what arrives later is relayed from here on.
  let relayed = 0;
  const testEnv = (tokens: string | null = subscription.verificationToken): Env => ({
    ...envFor(notionUrl, token),
    ...(tokens === null ? {} : { NOTION_WEBHOOK_VERIFICATION_TOKEN: tokens }),
  });
  /** Hands every request the receiver got since the last relay to the Worker, in arrival order. */
  const relay = async (options: { env?: Env; strip?: boolean } = {}) => {
    const arrived = (await receivers.received({ kind: "webhook", hook })).slice(relayed);
    relayed += arrived.length;
    const answers: Array<{ status: number; body: unknown; sent: unknown }> = [];
    for (const request of arrived) {
      const headers = new Headers({ "content-type": request.headers["content-type"] ?? "application/json" });
      const signature = request.headers["x-notion-signature"];
      if (signature !== undefined && options.strip !== true) headers.set("x-notion-signature", signature);
      const response = await worker.fetch(
        new Request("https://agendas.test/webhooks/notion", { method: "POST", headers, body: request.body }),
        options.env ?? testEnv(),
        createExecutionContext(),
      );
      answers.push({ status: response.status, body: await response.json(), sent: JSON.parse(request.body) });
    }
    return answers;
  };
  return { token, pages, subscription, testEnv, relay, skipHandshake: () => relay({ env: testEnv(null) }) };
}

async function signalsFor(ids: readonly string[]): Promise<ChangeSignal[]> {
  const { signals: all } = await signals.pending({ limit: 500 });
  return all.filter((signal) => ids.includes(signal.id));
}

function eventTime(sent: unknown): number {
  return Date.parse(String((sent as { timestamp: string }).timestamp));
}

describe("handshake", () => {
  it("records the verification token and shows it once in the admin API, then only that it came", async () => {
    const { subscription, relay, testEnv } = await setUp();
    // Before the operator has set the secret: the Worker has no token of its own yet.
    const [answer] = await relay({ env: testEnv(null) });
    expect(answer).toMatchObject({ status: 200, body: { received: "verification_token" } });
    expect(JSON.stringify(answer?.body)).not.toContain(subscription.verificationToken);

    const first = await admin(testEnv(null), "/notion-webhooks");
    expect(first.headers.get("Cache-Control")).toBe("no-store");
    const shown = (await first.json()) as {
      url: string;
      handshakes: Array<{ verificationToken?: string; fingerprint: string; configured: boolean }>;
    };
    expect(shown.url).toBe("https://agendas.test/webhooks/notion");
    const mine = shown.handshakes.find((h) => h.verificationToken === subscription.verificationToken);
    expect(mine).toMatchObject({ configured: false });

    // The operator sets the secret: the second answer shows the handshake, without its token, as configured.
    const second = await (await admin(testEnv(), "/notion-webhooks")).text();
    expect(second).not.toContain(subscription.verificationToken);
    const again = (JSON.parse(second) as { handshakes: Array<Record<string, unknown>> }).handshakes.find(
      (h) => h.fingerprint === mine?.fingerprint,
    );
    expect(again).toMatchObject({ configured: true, revealedAt: expect.any(String), deliveries: 1 });
    expect(again).not.toHaveProperty("verificationToken");

    // The person pastes the token into Notion: events flow and verify with it.
    await hooks.verify(subscription.id, subscription.verificationToken);
  });
});

describe("events", () => {
  it("records a signed event's page, with the event's time", async () => {
    const { pages, subscription, relay, skipHandshake } = await setUp();
    await skipHandshake();
    await hooks.verify(subscription.id, subscription.verificationToken);
    const [page] = pages;
    await emu.tickTodo(page?.todo ?? "");
    await hooks.flush(subscription.id);
    const [answer] = await relay();
    expect(answer).toMatchObject({ status: 200, body: { recorded: { kind: "page", id: page?.id } } });

    const [signal] = await signalsFor([page?.id ?? ""]);
    expect(signal).toMatchObject({
      kind: "page",
      lastEventType: "page.content_updated",
      lastEventAt: eventTime(answer?.sent),
      events: 1,
    });
  });

  it("refuses a wrong or missing signature, or none configured, and records nothing", async () => {
    const { pages, subscription, relay, skipHandshake, testEnv } = await setUp();
    await skipHandshake();
    await hooks.verify(subscription.id, subscription.verificationToken);
    const [page] = pages;

    await hooks.faults(subscription.id, { wrongToken: true });
    await emu.tickTodo(page?.todo ?? "");
    await hooks.flush(subscription.id);
    const wrong = await relay();
    await hooks.faults(subscription.id, {});
    await emu.tickTodo(page?.todo ?? "", false);
    await hooks.flush(subscription.id);
    const missing = await relay({ strip: true });
    await emu.tickTodo(page?.todo ?? "");
    await hooks.flush(subscription.id);
    const unconfigured = await relay({ env: testEnv(null) });

    for (const answer of [...wrong, ...missing, ...unconfigured]) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        error: "unauthorized",
        problems: ["X-Notion-Signature: the signature did not verify"],
      });
    }
    expect([wrong.length, missing.length, unconfigured.length]).toEqual([1, 1, 1]);
    expect(await signalsFor(pages.map((p) => p.id))).toEqual([]);
  });

  it("keeps one row per page with the newest time through redeliveries, duplicates and late, reordered events", async () => {
    const { pages, subscription, relay, skipHandshake } = await setUp();
    await skipHandshake();
    await hooks.verify(subscription.id, subscription.verificationToken);
    const [a, b] = pages;
    // The first edit's event is held back, so it arrives after the second's: late and out of order.
    await hooks.faults(subscription.id, { holdNext: 1, duplicate: 2 });
    await emu.tickTodo(a?.todo ?? "");
    await hooks.flush(subscription.id);
    await hooks.faults(subscription.id, { duplicate: 2 });
    await emu.tickTodo(a?.todo ?? "", false);
    await emu.tickTodo(b?.todo ?? "");
    await hooks.flush(subscription.id);
    const answers = await relay();
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    // Three events for page A and B, each sent three times (attempts 1 to 3).
    expect(answers).toHaveLength(9);

    const newest = (pageId: string) =>
      Math.max(
        ...answers
          .map((answer) => answer.sent as { entity: { id: string }; timestamp: string })
          .filter((sent) => sent.entity.id === pageId)
          .map(eventTime),
      );
    const rows = await signalsFor([a?.id ?? "", b?.id ?? ""]);
    expect(rows.map((row) => ({ id: row.id, at: row.lastEventAt, events: row.events }))).toEqual(
      expect.arrayContaining([
        { id: a?.id, at: newest(a?.id ?? ""), events: 2 },
        { id: b?.id, at: newest(b?.id ?? ""), events: 1 },
      ]),
    );
    expect(rows).toHaveLength(2);
    // The held (older) event for A arrived last and did not move its time back.
    const last = answers.at(-1)?.sent as { entity: { id: string }; timestamp: string };
    expect(last.entity.id).toBe(a?.id);
    expect(eventTime(last)).toBeLessThan(newest(a?.id ?? ""));
  });

  it("acknowledges event types that are not change signals, recording nothing", async () => {
    const { pages, testEnv } = await setUp();
    const body = JSON.stringify({
      id: crypto.randomUUID(),
      timestamp: "2026-12-01T09:00:00.000Z",
      type: "comment.created",
      entity: { id: pages[0]?.id, type: "comment" },
    });
    const { signWebhookPayload } = await import("@notionhq/client");
    const token = testEnv().NOTION_WEBHOOK_VERIFICATION_TOKEN ?? "";
    const response = await worker.fetch(
      new Request("https://agendas.test/webhooks/notion", {
        method: "POST",
        headers: { "x-notion-signature": await signWebhookPayload({ body, verificationToken: token }) },
        body,
      }),
      testEnv(),
      createExecutionContext(),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ignored: "comment.created" });
    expect(await signalsFor(pages.map((p) => p.id))).toEqual([]);
  });
});

describe("a sync pass's read and clear", () => {
  it("clears what it read, and keeps a page that changed again after the read", async () => {
    const { pages, subscription, relay, skipHandshake } = await setUp();
    await skipHandshake();
    await hooks.verify(subscription.id, subscription.verificationToken);
    const [a, b] = pages;
    await emu.tickTodo(a?.todo ?? "");
    await emu.tickTodo(b?.todo ?? "");
    await hooks.flush(subscription.id);
    await relay();

    const read = await signals.pending({ limit: 500 });
    const mine = read.signals.filter((signal) => signal.id === a?.id || signal.id === b?.id);
    expect(mine).toHaveLength(2);
    // While the pass works, page A changes again.
    await emu.tickTodo(a?.todo ?? "", false);
    await hooks.flush(subscription.id);
    await relay();

    expect(await signals.clear(mine, read.upTo)).toBe(1);
    const left = await signalsFor([a?.id ?? "", b?.id ?? ""]);
    expect(left.map((signal) => ({ id: signal.id, events: signal.events }))).toEqual([
      { id: a?.id, events: 2 },
    ]);
  });
});
