// Posting a digest to a webhook, against the local receivers acting as hostile or careless ones: a
// receiver that echoes the URL's path in its status text and body, one that redirects, one on an
// address digests may not go to. No reason (and so no stored error, admin answer or log line) may hold
// any part of the URL; a redirect is a failure, not a detour; a refused address is never contacted.
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { receiversControl } from "../../emulators/receivers/control";
import { deliverDue } from "../../src/jobs/deliver";
import { createLogger } from "../../src/lib/log";
import { type PostJsonRequest, postJson } from "../../src/notify/http-sender";
import { DeliveryStore } from "../../src/store/deliveries";

const receiversUrl = inject("receiversUrl");
const receivers = receiversControl(receiversUrl);

/** A hook name no other test uses, with a part that stands for the secret token in a real URL. */
function hook(label: string): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}-tok3nsecret`;
}

function request(url: string, overrides: Partial<PostJsonRequest> = {}): PostJsonRequest {
  return {
    url,
    body: JSON.stringify({ text: "Agenda ready" }),
    channel: "slack",
    secretName: "DIGEST_SLACK_URL",
    allowPrivateHosts: true,
    timeoutMs: 5_000,
    fetch: (input, init) => fetch(input, init),
    nowMs: 0,
    ...overrides,
  };
}

/**
 * Every piece of `url` that could identify it: the whole, its host (with the port), its path, and each
 * path segment but the receivers' first, which names the vendor ("slack") as the channel does.
 */
function urlParts(url: string): string[] {
  const parsed = new URL(url);
  const segments = parsed.pathname.split("/").filter((part) => part !== "");
  return [url, parsed.host, parsed.pathname, ...segments.slice(1), "tok3nsecret"];
}

function expectNoUrl(text: string, url: string) {
  for (const part of urlParts(url)) expect(text).not.toContain(part);
}

function reasonOf(outcome: Awaited<ReturnType<typeof postJson>>): string {
  return outcome.kind === "delivered" ? "" : outcome.reason;
}

describe("webhook failure reasons (security)", () => {
  it("keeps a 4xx reason to the status and our words when the receiver echoes the path", async () => {
    const name = hook("echo");
    const url = `${receiversUrl}/slack/${name}`;
    await receivers.behave(`slack/${name}`, { status: 400, always: true, echoPath: true });
    const outcome = await postJson(request(url));
    expect(outcome).toEqual({
      kind: "permanent",
      status: 400,
      reason: "HTTP 400 Bad Request",
    });
    expectNoUrl(reasonOf(outcome), url);
  });

  it("keeps a retried 5xx reason just as clean", async () => {
    const name = hook("echo5xx");
    const url = `${receiversUrl}/teams/${name}`;
    await receivers.behave(`teams/${name}`, { status: 503, always: true, echoPath: true, retryAfter: 30 });
    const outcome = await postJson(request(url, { channel: "teams" }));
    expect(outcome).toEqual({
      kind: "retry",
      status: 503,
      retryAfterMs: 30_000,
      reason: "HTTP 503 Service Unavailable",
    });
  });

  it("adds a vendor's documented error code, and nothing else from the body", async () => {
    const slack = hook("code");
    await receivers.behave(`slack/${slack}`, { status: 403, always: true, body: "invalid_token" });
    expect(reasonOf(await postJson(request(`${receiversUrl}/slack/${slack}`)))).toBe(
      "HTTP 403 Forbidden (error code invalid_token)",
    );
    const discord = hook("code");
    await receivers.behave(`discord/${discord}`, {
      status: 401,
      always: true,
      body: JSON.stringify({ message: `Invalid Webhook Token ${discord}`, code: 50027 }),
    });
    const discordReason = reasonOf(
      await postJson(request(`${receiversUrl}/discord/${discord}`, { channel: "discord" })),
    );
    expect(discordReason).toBe("HTTP 401 Unauthorized (error code 50027 invalid webhook token)");
    // A body that merely contains a known code is not one: it could carry anything beside it.
    const noisy = hook("code");
    await receivers.behave(`slack/${noisy}`, {
      status: 403,
      always: true,
      body: `invalid_token for ${noisy}`,
    });
    expect(reasonOf(await postJson(request(`${receiversUrl}/slack/${noisy}`)))).toBe("HTTP 403 Forbidden");
  });

  it("says what went wrong on the network in our words, not the runtime's", async () => {
    const url = "https://hooks.slack.test/services/T1/B2/tok3nsecret";
    const failing: typeof fetch = async () => {
      throw new TypeError(`Network connection lost while fetching ${url}`);
    };
    const outcome = await postJson(request(url, { fetch: failing }));
    expect(outcome).toEqual({
      kind: "retry",
      reason: "network error (the connection was lost)",
    });
  });
});

describe("webhook redirects (security)", () => {
  it("does not follow a redirect, and fails it with a clear reason", async () => {
    const from = hook("moved");
    const to = hook("target");
    await receivers.behave(`slack/${from}`, {
      status: 302,
      always: true,
      redirectTo: `${receiversUrl}/slack/${to}`,
    });
    const url = `${receiversUrl}/slack/${from}`;
    const outcome = await postJson(request(url));
    expect(outcome).toEqual({
      kind: "permanent",
      status: 302,
      reason:
        "HTTP 302 Found: redirects are not followed; put the URL the receiver gives today in secret DIGEST_SLACK_URL",
    });
    expectNoUrl(reasonOf(outcome), url);
    expect(await receivers.received({ kind: "slack", hook: from })).toHaveLength(1);
    expect(await receivers.received({ kind: "slack", hook: to })).toHaveLength(0);
  });
});

describe("webhook addresses (security)", () => {
  /** A fetch that records whether anything was sent at all. */
  function spy() {
    const calls: string[] = [];
    const fetchSpy: typeof fetch = async (input) => {
      calls.push(String(input));
      return new Response("ok");
    };
    return { calls, fetch: fetchSpy };
  }

  it("sends nothing to loopback unless the setting allows it, and names the kind, not the URL", async () => {
    const name = hook("loop");
    // As https, so that the address is what is refused (the receivers' own http is refused first).
    const url = `${receiversUrl.replace(/^http:/u, "https:")}/slack/${name}`;
    const outcome = await postJson(request(url, { allowPrivateHosts: false }));
    expect(outcome).toEqual({
      kind: "permanent",
      reason:
        "not sent to the slack webhook: secret DIGEST_SLACK_URL points at a loopback address, where digests are not sent (ALLOW_PRIVATE_DIGEST_HOSTS=true allows it for local testing)",
    });
    expectNoUrl(reasonOf(outcome), url);
    expect(await receivers.received({ kind: "slack", hook: name })).toHaveLength(0);
  });

  it("refuses metadata, private and spelled-out loopback addresses before any request", async () => {
    for (const [url, words] of [
      ["https://169.254.169.254/latest/meta-data/tok3nsecret", "a cloud metadata address"],
      ["https://metadata.google.internal/computeMetadata/v1/tok3nsecret", "a cloud metadata address"],
      ["https://10.1.2.3/hooks/tok3nsecret", "a private network address"],
      ["https://2130706433/hooks/tok3nsecret", "a loopback address"],
      ["https://[::ffff:127.0.0.1]/hooks/tok3nsecret", "a loopback address"],
      ["https://[fe80::1]/hooks/tok3nsecret", "a link-local address"],
      ["https://0.0.0.0/hooks/tok3nsecret", "an unspecified address"],
    ] as const) {
      const network = spy();
      const outcome = await postJson(request(url, { allowPrivateHosts: false, fetch: network.fetch }));
      expect(reasonOf(outcome)).toContain(`points at ${words}`);
      expectNoUrl(reasonOf(outcome), url);
      expect(network.calls).toEqual([]);
    }
  });

  it("refuses http:// unless the setting allows it", async () => {
    const network = spy();
    const outcome = await postJson(
      request("http://hooks.slack.test/services/tok3nsecret", {
        allowPrivateHosts: false,
        fetch: network.fetch,
      }),
    );
    expect(reasonOf(outcome)).toMatch(
      /^not sent to the slack webhook: secret DIGEST_SLACK_URL holds an http:\/\/ URL/u,
    );
    expect(network.calls).toEqual([]);
  });
});

describe("webhook failures through the outbox (security)", () => {
  it("stores and logs a reason without any part of the URL", async () => {
    const store = new DeliveryStore(env.DB);
    const name = hook("outbox");
    const url = `${receiversUrl}/slack/${name}`;
    await receivers.behave(`slack/${name}`, { status: 400, always: true, echoPath: true });
    const meetingKey = `http-sender-${crypto.randomUUID()}/2026-12-01`;
    await store.enqueue({
      meetingKey,
      channelKey: "slack",
      channel: "slack",
      secretName: "ECHO_SLACK_URL",
      payload: JSON.stringify({ text: "Agenda ready" }),
      nowMs: 0,
    });
    const lines: string[] = [];
    // No redaction: the URL must not reach the logger in the first place.
    const log = createLogger({ level: "debug", secrets: [], sink: (line) => lines.push(line) });
    const result = await deliverDue({
      store,
      secrets: (secret) => (secret === "ECHO_SLACK_URL" ? url : undefined),
      fetch: (input, init) => fetch(input, init),
      allowPrivateHosts: true,
      nowMs: 1_000,
      log,
    });
    const mine = result.results.filter((entry) => entry.channel === "slack");
    expect(mine.map((entry) => entry.status)).toContain("failed");
    const rows = await store.listForMeeting(meetingKey);
    expect(rows[0]?.lastError).toBe("HTTP 400 Bad Request");
    for (const text of [JSON.stringify(rows), ...lines, JSON.stringify(result)]) expectNoUrl(text, url);
  });
});
