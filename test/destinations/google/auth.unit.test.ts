// Service-account auth: the key checked field by field, the assertion's claims and RS256 signature
// (verified against the public half of a key pair made here), tokens cached per subject until five
// minutes before expiry and shared by concurrent callers, and refusals explained without a secret.
import { decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import {
  createTokenSource,
  GOOGLE_SCOPES,
  parseServiceAccountKey,
  type TokenSourceOptions,
} from "../../../src/destinations/google/api/auth";
import { DEFAULT_GOOGLE_RETRY } from "../../../src/destinations/google/api/client";
import { GoogleAuthError } from "../../../src/destinations/google/api/errors";
import { fakeClock, serviceAccount } from "./keys";

const TOKEN_URL = "https://oauth2.googleapis.com/token";

interface Exchange {
  assertion: string;
  grantType: string | null;
  contentType: string | null;
}

/** A token endpoint: answers each request with the next scripted response (default: a fresh token). */
function tokenEndpoint(script: (Response | (() => Response))[] = []) {
  const exchanges: Exchange[] = [];
  let issued = 0;
  const fetch = async (_url: string, init: RequestInit): Promise<Response> => {
    const form = new URLSearchParams(String(init.body));
    exchanges.push({
      assertion: form.get("assertion") ?? "",
      grantType: form.get("grant_type"),
      contentType: new Headers(init.headers).get("content-type"),
    });
    const next = script.shift();
    if (next !== undefined) return typeof next === "function" ? next() : next;
    issued += 1;
    return Response.json({ access_token: `ya29.token-${issued}`, expires_in: 3599, token_type: "Bearer" });
  };
  return { fetch, exchanges };
}

async function source(extra: Partial<TokenSourceOptions> = {}) {
  const account = await serviceAccount();
  const time = fakeClock();
  const endpoint = tokenEndpoint();
  const tokens = createTokenSource({
    key: parseServiceAccountKey(account.json),
    tokenUrl: TOKEN_URL,
    fetch: endpoint.fetch,
    clock: time.clock,
    retry: { ...DEFAULT_GOOGLE_RETRY, baseDelayMs: 10 },
    attemptTimeoutMs: 1000,
    random: () => 0.5,
    ...extra,
  });
  return { account, time, endpoint, tokens };
}

describe("service-account key", () => {
  it("happy: reads a key file and unescapes a key pasted with literal \\n", async () => {
    const { key } = await serviceAccount();
    const escaped = JSON.stringify({ ...key, private_key: key.private_key.replaceAll("\n", "\\n") });
    expect(parseServiceAccountKey(escaped).private_key).toBe(key.private_key);
  });

  it("names the bad field and never quotes the key", async () => {
    const { key } = await serviceAccount();
    const cases: [unknown, RegExp][] = [
      ["{not json", /not valid JSON/],
      [{ ...key, client_email: "nope" }, /client_email/],
      [{ ...key, private_key: "hello" }, /private_key/],
      [{ ...key, private_key_id: undefined }, /private_key_id/],
      [{ ...key, token_uri: "not a url" }, /token_uri/],
    ];
    for (const [input, message] of cases) {
      const attempt = () => parseServiceAccountKey(typeof input === "string" ? input : JSON.stringify(input));
      expect(attempt).toThrow(GoogleAuthError);
      expect(attempt).toThrow(message);
      try {
        attempt();
      } catch (error) {
        expect(String(error)).not.toContain("PRIVATE KEY-----\nMII");
      }
    }
    // JSON.parse's own message quotes the text around the error: a broken key file must not leak through it.
    const broken = `${JSON.stringify(key).slice(0, 200)}`;
    expect(() => parseServiceAccountKey(broken)).toThrow("The Google service-account key is not valid JSON");
  });
});

describe("assertion", () => {
  it("happy: RS256, signed by the key, with Google's claims and the key id", async () => {
    const { account, endpoint, tokens, time } = await source();
    await tokens.token(null);
    const [exchange] = endpoint.exchanges;
    expect(exchange?.grantType).toBe("urn:ietf:params:oauth:grant-type:jwt-bearer");
    expect(exchange?.contentType).toBe("application/x-www-form-urlencoded");
    const assertion = exchange?.assertion ?? "";
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: "RS256", typ: "JWT", kid: "key-1" });
    const { payload } = await jwtVerify(assertion, account.publicKey, {
      issuer: account.key.client_email,
      audience: TOKEN_URL,
      currentDate: new Date(time.clock.now()),
    });
    const iat = Math.floor(time.clock.now() / 1000);
    expect(payload).toEqual({
      iss: account.key.client_email,
      scope: GOOGLE_SCOPES.join(" "),
      aud: TOKEN_URL,
      iat,
      exp: iat + 3600,
    });
    expect(payload.scope).toBe(
      "https://www.googleapis.com/auth/documents https://www.googleapis.com/auth/drive",
    );
  });

  it("names the impersonated user as sub", async () => {
    const { account, endpoint, tokens, time } = await source();
    await tokens.token("ada@example.com");
    const { payload } = await jwtVerify(endpoint.exchanges[0]?.assertion ?? "", account.publicKey, {
      currentDate: new Date(time.clock.now()),
    });
    expect(payload.sub).toBe("ada@example.com");
  });

  it("a signature made by another key does not verify", async () => {
    const { endpoint, tokens, time } = await source();
    const other = await serviceAccount();
    await tokens.token(null);
    await expect(
      jwtVerify(endpoint.exchanges[0]?.assertion ?? "", other.publicKey, {
        currentDate: new Date(time.clock.now()),
      }),
    ).rejects.toThrow();
  });
});

describe("token cache", () => {
  it("happy: reuses a token until five minutes before it expires, then fetches a new one", async () => {
    const { endpoint, tokens, time } = await source();
    expect(await tokens.token(null)).toBe("ya29.token-1");
    time.advance(54 * 60 * 1000);
    expect(await tokens.token(null)).toBe("ya29.token-1");
    time.advance(60 * 1000);
    expect(await tokens.token(null)).toBe("ya29.token-2");
    expect(endpoint.exchanges).toHaveLength(2);
  });

  it("keeps one token per subject", async () => {
    const { endpoint, tokens } = await source();
    const [a, b, c] = [
      await tokens.token(null),
      await tokens.token("ada@example.com"),
      await tokens.token(null),
    ];
    expect(a).toBe(c);
    expect(b).not.toBe(a);
    expect(endpoint.exchanges).toHaveLength(2);
  });

  it("concurrent callers share one request", async () => {
    const { endpoint, tokens } = await source();
    const all = await Promise.all([tokens.token(null), tokens.token(null), tokens.token(null)]);
    expect(new Set(all).size).toBe(1);
    expect(endpoint.exchanges).toHaveLength(1);
  });

  it("forgets a token Google refused, so the next call fetches another", async () => {
    const { tokens } = await source();
    const first = await tokens.token(null);
    tokens.invalidate(null, first);
    expect(await tokens.token(null)).not.toBe(first);
  });
});

describe("refusals", () => {
  async function refused(response: Response, subject: string | null = null) {
    const account = await serviceAccount();
    const endpoint = tokenEndpoint([response]);
    const tokens = createTokenSource({
      key: parseServiceAccountKey(account.json),
      tokenUrl: TOKEN_URL,
      fetch: endpoint.fetch,
      clock: fakeClock().clock,
      retry: DEFAULT_GOOGLE_RETRY,
      attemptTimeoutMs: 1000,
    });
    const error = await tokens.token(subject).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GoogleAuthError);
    const message = String((error as Error).message);
    expect(message).not.toContain("PRIVATE KEY");
    expect(message).not.toContain(endpoint.exchanges[0]?.assertion ?? "never");
    return { error: error as GoogleAuthError, message };
  }

  it("quotes Google's error_description for a refused grant", async () => {
    const { error, message } = await refused(
      Response.json(
        { error: "invalid_grant", error_description: "Invalid email or User ID" },
        { status: 400 },
      ),
      "nobody@example.com",
    );
    expect(error.problem).toBe("grant");
    expect(message).toContain("invalid_grant: Invalid email or User ID");
    expect(message).toContain("nobody@example.com");
  });

  it("explains missing domain-wide delegation", async () => {
    const { error, message } = await refused(
      Response.json(
        { error: "unauthorized_client", error_description: "Client is unauthorized" },
        { status: 401 },
      ),
      "ada@example.com",
    );
    expect(error.problem).toBe("delegation");
    expect(message).toMatch(/domain-wide delegation to client id 1234567890/);
  });

  it("calls a deleted or wrong key a key problem", async () => {
    const { error } = await refused(
      Response.json({ error: "invalid_grant", error_description: "Invalid JWT Signature." }, { status: 400 }),
    );
    expect(error.problem).toBe("key");
  });

  it("cuts anything token-shaped out of what Google says", async () => {
    const { message } = await refused(
      Response.json(
        { error: "invalid_grant", error_description: "bad ya29.a0AfB_secret and eyJhbGciOi.eyJzdWIi.sig" },
        { status: 400 },
      ),
    );
    expect(message).not.toContain("ya29.a0AfB_secret");
    expect(message).not.toContain("eyJhbGciOi");
  });

  it("retries an unavailable token endpoint, then reports it as retryable", async () => {
    const account = await serviceAccount();
    const down = () => new Response("oops", { status: 503 });
    const endpoint = tokenEndpoint([down, down]);
    const tokens = createTokenSource({
      key: parseServiceAccountKey(account.json),
      tokenUrl: TOKEN_URL,
      fetch: endpoint.fetch,
      clock: fakeClock().clock,
      retry: { ...DEFAULT_GOOGLE_RETRY, baseDelayMs: 1 },
      attemptTimeoutMs: 1000,
    });
    expect(await tokens.token(null)).toBe("ya29.token-1");
    expect(endpoint.exchanges).toHaveLength(3);

    const never = tokenEndpoint(Array.from({ length: 10 }, () => down));
    const failing = createTokenSource({
      key: parseServiceAccountKey(account.json),
      tokenUrl: TOKEN_URL,
      fetch: never.fetch,
      clock: fakeClock().clock,
      retry: { ...DEFAULT_GOOGLE_RETRY, baseDelayMs: 1, maxAttempts: 3 },
      attemptTimeoutMs: 1000,
    });
    const error = await failing.token(null).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ problem: "unavailable" });
  });
});
