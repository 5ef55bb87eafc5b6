// The transport's steps, without a wire: the retry rule (quota refusals go again whatever they are, a
// refused token is refreshed once, 5xx and lost answers go again only for repeatable requests), the
// answer body of a final answer, and the token endpoint's answers read into a token or an error that
// says what to do.
import { describe, expect, it } from "vitest";
import { refreshAtOf, tokenOf } from "../../../src/destinations/google/api/auth";
import {
  GoogleApiError,
  GoogleAuthError,
  GoogleNetworkError,
} from "../../../src/destinations/google/api/errors";
import { answerBody, retryDecision } from "../../../src/destinations/google/api/transport";
import { PaceUnavailableError } from "../../../src/pace/pacer";

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);

function answer(status: number, text = "", retryAfter: string | null = null) {
  return { ok: true as const, value: { status, text, retryAfter, token: "tok" } };
}

const insert = { repeatable: false };
const read = { repeatable: true };

describe("retryDecision", () => {
  it("sends even a write again after a quota refusal, after the Retry-After", () => {
    expect(retryDecision(insert, answer(429, "", "7"), false, NOW)).toEqual({ retry: true, afterMs: 7000 });
    const drive403 = JSON.stringify({
      error: { code: 403, message: "slow down", errors: [{ reason: "userRateLimitExceeded" }] },
    });
    expect(retryDecision(insert, answer(403, drive403), false, NOW).retry).toBe(true);
  });

  it("does not retry a 403 that is not about rate", () => {
    const denied = JSON.stringify({ error: { code: 403, message: "no", status: "PERMISSION_DENIED" } });
    expect(retryDecision(read, answer(403, denied), false, NOW)).toEqual({ retry: false });
  });

  it("refreshes a refused token once, then gives up", () => {
    expect(retryDecision(insert, answer(401), false, NOW)).toEqual({
      retry: true,
      afterMs: 0,
      refresh: true,
    });
    expect(retryDecision(insert, answer(401), true, NOW)).toEqual({ retry: false });
  });

  it("retries a 5xx or a lost answer only for a repeatable request", () => {
    expect(retryDecision(read, answer(503), false, NOW).retry).toBe(true);
    expect(retryDecision(insert, answer(503), false, NOW).retry).toBe(false);
    const lost = { ok: false as const, error: new GoogleNetworkError("GET /x", "lost") };
    expect(retryDecision(read, lost, false, NOW).retry).toBe(true);
    expect(retryDecision(insert, lost, false, NOW).retry).toBe(false);
  });

  it("sends anything again when no pace slot was had (nothing was sent)", () => {
    const noSlot = { ok: false as const, error: new PaceUnavailableError("pacer down") };
    expect(retryDecision(insert, noSlot, false, NOW).retry).toBe(true);
    expect(retryDecision(insert, { ok: false as const, error: new Error("bug") }, false, NOW).retry).toBe(
      false,
    );
  });
});

describe("answerBody", () => {
  it("parses a 2xx answer, an empty one as {}", () => {
    expect(answerBody("GET /x", { status: 200, text: '{"a":1}', retryAfter: null, token: "t" })).toEqual({
      a: 1,
    });
    expect(answerBody("GET /x", { status: 204, text: "", retryAfter: null, token: "t" })).toEqual({});
  });

  it("turns a refusal into a GoogleApiError with Google's status and reason", () => {
    const text = JSON.stringify({
      error: { code: 404, message: "Requested entity was not found.", status: "NOT_FOUND" },
    });
    const call = () =>
      answerBody("GET /v1/documents/:id", { status: 404, text, retryAfter: null, token: "t" });
    expect(call).toThrow(GoogleApiError);
    try {
      call();
    } catch (error) {
      expect(error).toMatchObject({
        httpStatus: 404,
        status: "NOT_FOUND",
        endpoint: "GET /v1/documents/:id",
      });
    }
  });

  it("refuses a 2xx answer that is not JSON", () => {
    expect(() => answerBody("GET /x", { status: 200, text: "<html>", retryAfter: null, token: "t" })).toThrow(
      /not JSON/,
    );
  });
});

describe("the token endpoint's answer", () => {
  const key = {
    client_email: "agendas@example.iam.gserviceaccount.com",
    private_key: "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n",
    private_key_id: "k1",
    client_id: "1234",
  };

  it("gives the token and its lifetime", () => {
    const body = { access_token: "ya29.x", expires_in: 3600, token_type: "Bearer" };
    expect(tokenOf(key, null, { status: 200, body, retryAfter: null })).toEqual({
      token: "ya29.x",
      lifetimeMs: 3_600_000,
    });
  });

  it("says a busy endpoint is unavailable, and a 200 without a token too", () => {
    const busy = () => tokenOf(key, null, { status: 503, body: null, retryAfter: null });
    expect(busy).toThrow(GoogleAuthError);
    expect(busy).toThrow(/unavailable .*HTTP 503/);
    expect(() =>
      tokenOf(key, null, { status: 200, body: { token_type: "Bearer" }, retryAfter: null }),
    ).toThrow(/without an access token/);
  });

  it("tells a refused delegation how to grant it", () => {
    const body = { error: "unauthorized_client", error_description: "Client is unauthorized" };
    try {
      tokenOf(key, "ada@example.com", { status: 401, body, retryAfter: null });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GoogleAuthError);
      expect((error as GoogleAuthError).problem).toBe("delegation");
      expect((error as Error).message).toContain("client id 1234");
    }
  });

  it("replaces a token five minutes before it lapses, or at half its life when that is shorter", () => {
    expect(refreshAtOf(NOW, 3_600_000)).toBe(NOW + 3_600_000 - 300_000);
    expect(refreshAtOf(NOW, 120_000)).toBe(NOW + 60_000);
  });
});
