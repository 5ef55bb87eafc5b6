// Our signatures must verify with the reference Standard Webhooks library (what receivers run), match
// the specification's published example, fail on any tampering, and bad secrets must be refused
// without being echoed.
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  parseSigningSecret,
  SigningSecretError,
  signPayload,
  standardWebhookHeaders,
} from "../../src/notify/standard-webhooks";

// 32 random-looking bytes, base64: a well-formed secret for tests only.
const SECRET = `whsec_${btoa("0123456789abcdefghijklmnopqrstuv")}`;
const BODY = JSON.stringify({ type: "agenda.prepared", meeting: "p/2026-12-01", items: ["ship ✓"] });
/** The test's clock: the library checks the timestamp against Date.now(), so Date is pinned here. */
const NOW_MS = Date.UTC(2026, 11, 1, 9, 0, 0);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW_MS });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("signing (happy)", () => {
  it("verifies with the standardwebhooks library", async () => {
    const headers = await standardWebhookHeaders({
      secret: SECRET,
      id: "dlv_abc",
      nowMs: NOW_MS,
      body: BODY,
    });
    expect(headers["webhook-id"]).toBe("dlv_abc");
    expect(headers["webhook-timestamp"]).toBe(String(NOW_MS / 1000));
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(SECRET).verify(BODY, { ...headers })).toEqual(JSON.parse(BODY));
  });

  it("matches the example in the specification", async () => {
    // From the Standard Webhooks specification's signature example.
    const signature = await signPayload(
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      "msg_p5jXN8AQM9LWM0D4loKWxJek",
      1614265330,
      '{"test": 2432232314}',
    );
    expect(signature).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });
});

describe("signing (security)", () => {
  it("fails verification for a tampered body, id or timestamp, or another secret", async () => {
    const headers = {
      ...(await standardWebhookHeaders({ secret: SECRET, id: "dlv_abc", nowMs: NOW_MS, body: BODY })),
    };
    const webhook = new Webhook(SECRET);
    expect(() => webhook.verify(BODY.replace("p/2026", "q/2026"), headers)).toThrow(/signature/i);
    expect(() => webhook.verify(BODY, { ...headers, "webhook-id": "dlv_other" })).toThrow(/signature/i);
    const shifted = String(Number(headers["webhook-timestamp"]) - 1);
    expect(() => webhook.verify(BODY, { ...headers, "webhook-timestamp": shifted })).toThrow(/signature/i);
    const other = new Webhook(`whsec_${btoa("another secret of thirty-two b..")}`);
    expect(() => other.verify(BODY, headers)).toThrow(/signature/i);
  });

  it("is refused once its timestamp is more than five minutes from the receiver's clock", async () => {
    const headers = await standardWebhookHeaders({
      secret: SECRET,
      id: "dlv_abc",
      nowMs: NOW_MS,
      body: BODY,
    });
    vi.setSystemTime(NOW_MS + 6 * 60_000);
    expect(() => new Webhook(SECRET).verify(BODY, { ...headers })).toThrow(/too old/i);
  });

  it.each([
    ["no prefix", btoa("0123456789abcdefghijklmnopqrstuv"), /must start with "whsec_"/],
    ["not base64", "whsec_not*base64!!but-long-enough-to-matter", /not valid base64/],
    ["too short", `whsec_${btoa("short-key-123")}`, /must decode to 24-64 bytes, not 13/],
    ["too long", `whsec_${btoa("x".repeat(65))}`, /must decode to 24-64 bytes, not 65/],
    ["empty", "whsec_", /not valid base64/],
  ])("refuses a secret with %s, naming it by label without echoing it", async (_, secret, message) => {
    let caught: unknown;
    try {
      parseSigningSecret(secret, "secret HOOK_SIGNING_SECRET");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SigningSecretError);
    const text = caught instanceof Error ? caught.message : "";
    expect(text).toMatch(message);
    expect(text).toContain("secret HOOK_SIGNING_SECRET");
    const encoded = secret.replace(/^whsec_/, "");
    if (encoded !== "") expect(text).not.toContain(encoded);
    await expect(signPayload(secret, "id", 1, BODY)).rejects.toBeInstanceOf(SigningSecretError);
  });
});
