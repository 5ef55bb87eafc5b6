// The Google client's traffic rules, with a fake fetch: bearer tokens, call counts per endpoint, 429s
// waited out (Retry-After honoured, even for writes, since Google did not act), 5xx and lost answers
// retried for reads only, a refused token refreshed once, per-user pacing, answers checked with zod, and
// failures mapped to messages that name the document and the account but never a key or a token.
import { describe, expect, it } from "vitest";
import { createGoogleClient, type GoogleClientOptions } from "../../../src/destinations/google/api/client";
import {
  GoogleApiError,
  toDestinationError,
  UnexpectedResponseError,
} from "../../../src/destinations/google/api/errors";
import { DestinationError } from "../../../src/destinations/types";
import { FAKE_BASE, fakeGoogle, googleError, TOKEN_URL } from "./fake-google";
import { fakeClock, serviceAccount } from "./keys";

async function setup(extra: Partial<GoogleClientOptions> = {}) {
  const account = await serviceAccount();
  const time = fakeClock();
  const google = fakeGoogle({ verify: { publicKey: account.publicKey, now: time.clock.now } });
  const me = account.key.client_email;
  const client = createGoogleClient({
    serviceAccountKey: account.json,
    tokenUrl: TOKEN_URL,
    docsBaseUrl: FAKE_BASE,
    driveBaseUrl: FAKE_BASE,
    fetch: google.fetch,
    clock: time.clock,
    random: () => 0.5,
    ...extra,
  });
  return { account, google, time, me, client, api: client.as() };
}

const INSERT = { requests: [{ insertText: { text: "hi", location: { index: 1 } } }] };

describe("requests", () => {
  it("happy: reads a document with its tabs, acting as the service account, and counts calls", async () => {
    const { google, me, api, client } = await setup();
    const doc = google.addDoc([me]);
    const read = await api.getDocument(doc.documentId);
    expect(read.documentId).toBe(doc.documentId);
    expect(read.tabs).toHaveLength(1);
    await api.batchUpdate(doc.documentId, INSERT);
    await api.getDocument(doc.documentId);
    expect(client.calls()).toEqual({
      "POST /token": 1,
      "GET /v1/documents/:id": 2,
      "POST /v1/documents/:id:batchUpdate": 1,
    });
    expect(google.calls.filter((call) => call.path !== "/token").every((call) => call.actor === me)).toBe(
      true,
    );
  });

  it("acts as an impersonated user with a token of its own", async () => {
    const { google, client } = await setup();
    const doc = google.addDoc(["ada@example.com"]);
    await client.as("ada@example.com").getDocument(doc.documentId);
    expect(google.calls.at(-1)?.actor).toBe("ada@example.com");
  });

  it("sends Drive calls with supportsAllDrives and lists across all drives", async () => {
    const seen: URL[] = [];
    const account = await serviceAccount();
    const google = fakeGoogle();
    const client = createGoogleClient({
      serviceAccountKey: account.json,
      tokenUrl: TOKEN_URL,
      driveBaseUrl: FAKE_BASE,
      clock: fakeClock().clock,
      fetch: (url, init) => {
        seen.push(new URL(url));
        return google.fetch(url, init);
      },
    });
    const folder = google.addFolder([account.key.client_email], true);
    await client.as().listFiles({ q: `'${folder}' in parents`, fields: "files(id)" });
    await client
      .as()
      .createFile({ name: "x", mimeType: "application/vnd.google-apps.document", parents: [folder] }, "id");
    const [list, create] = seen.filter((url) => url.pathname.startsWith("/drive/"));
    expect(list?.searchParams.get("supportsAllDrives")).toBe("true");
    expect(list?.searchParams.get("includeItemsFromAllDrives")).toBe("true");
    expect(list?.searchParams.get("corpora")).toBe("allDrives");
    expect(create?.searchParams.get("supportsAllDrives")).toBe("true");
  });

  it("checks answers with zod and names the missing field", async () => {
    const { google, me, api } = await setup();
    const doc = google.addDoc([me]);
    google.override(({ method }) => (method === "GET" ? Response.json({ title: "no id" }) : undefined));
    await expect(api.getDocument(doc.documentId)).rejects.toThrow(UnexpectedResponseError);
    await expect(api.getDocument(doc.documentId)).rejects.toThrow(/documentId/);
  });
});

describe("retries", () => {
  it("waits out a 429 for exactly its Retry-After, even for a write", async () => {
    const { google, me, api, time, client } = await setup();
    const doc = google.addDoc([me]);
    let refused = 0;
    google.override(({ path }) => {
      if (!path.endsWith(":batchUpdate") || refused >= 1) return undefined;
      refused += 1;
      return new Response(
        JSON.stringify({ error: { code: 429, status: "RESOURCE_EXHAUSTED", message: "Quota" } }),
        {
          status: 429,
          headers: { "retry-after": "7" },
        },
      );
    });
    await api.batchUpdate(doc.documentId, INSERT);
    expect(client.calls()["POST /v1/documents/:id:batchUpdate"]).toBe(2);
    expect(time.slept).toContain(7000);
    expect(doc.text()).toBe("hi\n");
  });

  it("retries Drive's 403 userRateLimitExceeded like a 429", async () => {
    const { google, me, api, client } = await setup();
    const folder = google.addFolder([me], true);
    let refused = 0;
    google.override(({ method, path }) => {
      if (method !== "POST" || path !== "/drive/v3/files" || refused >= 1) return undefined;
      refused += 1;
      return googleError(403, "PERMISSION_DENIED", "User rate limit exceeded.", "userRateLimitExceeded");
    });
    await api.createFile(
      { name: "x", mimeType: "application/vnd.google-apps.document", parents: [folder] },
      "id",
    );
    expect(client.calls()["POST /drive/v3/files"]).toBe(2);
  });

  it("never retries a batchUpdate, copy or create after a 5xx or a lost answer", async () => {
    const { google, me, api, client } = await setup();
    const doc = google.addDoc([me]);
    const folder = google.addFolder([me], true);
    google.override(({ method, path }) =>
      method === "POST" && path !== "/token" ? googleError(503, "UNAVAILABLE", "Backend Error") : undefined,
    );
    await expect(api.batchUpdate(doc.documentId, INSERT)).rejects.toThrow(GoogleApiError);
    await expect(api.copyFile(doc.documentId, { name: "c", parents: [folder] }, "id")).rejects.toThrow(
      GoogleApiError,
    );
    await expect(
      api.createFile(
        { name: "n", mimeType: "application/vnd.google-apps.document", parents: [folder] },
        "id",
      ),
    ).rejects.toThrow(GoogleApiError);
    expect(client.calls()).toMatchObject({
      "POST /v1/documents/:id:batchUpdate": 1,
      "POST /drive/v3/files/:id/copy": 1,
      "POST /drive/v3/files": 1,
    });

    const lost = await setup({
      fetch: async (url) => {
        if (url.endsWith("/token")) return Response.json({ access_token: "ya29.x", expires_in: 3600 });
        throw new TypeError("connection reset");
      },
    });
    await expect(lost.api.batchUpdate("doc", INSERT)).rejects.toThrow(/Could not reach Google/);
    expect(lost.client.calls()["POST /v1/documents/:id:batchUpdate"]).toBe(1);
  });

  it("retries reads after a 5xx or a lost answer, with backoff", async () => {
    const { google, me, api, client, time } = await setup();
    const doc = google.addDoc([me]);
    let failures = 0;
    google.override(({ method }) => {
      if (method !== "GET" || failures >= 2) return undefined;
      failures += 1;
      return googleError(500, "INTERNAL", "Internal error encountered.");
    });
    await api.getDocument(doc.documentId);
    expect(client.calls()["GET /v1/documents/:id"]).toBe(3);
    // Full jitter at random 0.5: half of 1 s, then half of 2 s.
    expect(time.slept).toEqual(expect.arrayContaining([500, 1000]));
  });

  it("refreshes a refused token once, then gives up", async () => {
    const { google, me, api, client } = await setup();
    const doc = google.addDoc([me]);
    let refusals = 0;
    google.override(({ method, path }) => {
      if (method !== "GET" || path === "/token" || refusals >= 1) return undefined;
      refusals += 1;
      return googleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
    });
    await api.getDocument(doc.documentId);
    expect(client.calls()["POST /token"]).toBe(2);

    google.override(({ path }) =>
      path === "/token" ? undefined : googleError(401, "UNAUTHENTICATED", "no"),
    );
    await expect(api.getDocument(doc.documentId)).rejects.toMatchObject({ httpStatus: 401 });
  });
});

describe("pacing", () => {
  it("keeps one user's writes within 60 a minute while other users go at their own pace", async () => {
    const { google, me, client, time } = await setup();
    const doc = google.addDoc([me, "ada@example.com"]);
    const start = time.clock.now();
    for (let i = 0; i < 12; i += 1) await client.as().batchUpdate(doc.documentId, INSERT);
    const mine = time.clock.now() - start;
    // A burst of 6, then one every 1.1 s: 60 in any minute at most.
    expect(mine).toBeGreaterThanOrEqual(6 * 1000);
    const before = time.clock.now();
    await client.as("ada@example.com").batchUpdate(doc.documentId, INSERT);
    expect(time.clock.now() - before).toBe(0);
  });
});

describe("errors for people", () => {
  it("names the document and the account it must be shared with", async () => {
    const { me, api } = await setup();
    const error = await api.getDocument("1missingDocument0000").catch((caught: unknown) => caught);
    const mapped = toDestinationError(error, { kind: "document", id: "1missingDocument0000", actor: me });
    expect(mapped).toBeInstanceOf(DestinationError);
    expect(mapped.message).toBe(
      `Google document 1missingDocument0000 was not found or is not shared with ${me}`,
    );
    expect(mapped.retryable).toBe(false);
  });

  it("says a service account has no storage of its own", async () => {
    const { google, me, api } = await setup();
    const folder = google.addFolder([me], false);
    const error = await api
      .createFile({ name: "x", mimeType: "application/vnd.google-apps.document", parents: [folder] }, "id")
      .catch((caught: unknown) => caught);
    const mapped = toDestinationError(error, { kind: "folder", id: folder, actor: me });
    expect(mapped.message).toMatch(/no Drive storage of its own.*shared drive.*impersonate/);
  });

  it("calls quota and outages retryable", async () => {
    const { google, me, api } = await setup({ retry: { maxAttempts: 1 } });
    const doc = google.addDoc([me]);
    google.override(() => googleError(429, "RESOURCE_EXHAUSTED", "Quota exceeded"));
    const error = await api.getDocument(doc.documentId).catch((caught: unknown) => caught);
    expect(toDestinationError(error, { kind: "document", id: doc.documentId, actor: me })).toMatchObject({
      retryable: true,
    });
  });

  it("a bad key fails every call with the same message and no key material", async () => {
    const { key } = await serviceAccount();
    const client = createGoogleClient({
      serviceAccountKey: JSON.stringify({ ...key, client_email: 3 }),
      fetch: async () => new Response(),
    });
    const error = await client
      .as()
      .getDocument("x")
      .catch((caught: unknown) => caught);
    const mapped = toDestinationError(error, { kind: "document", id: "x", actor: "?" });
    expect(mapped.message).toMatch(/client_email/);
    expect(mapped.message).not.toContain("PRIVATE");
    expect(mapped.retryable).toBe(false);
  });

  it("never shows a token, even when an upstream message echoes it", async () => {
    const { google, me, api } = await setup();
    const doc = google.addDoc([me]);
    google.override(({ method, path }) =>
      method === "POST" && path !== "/token"
        ? googleError(400, "INVALID_ARGUMENT", "bad request with Bearer ya29.fake-1 inside")
        : undefined,
    );
    const error = await api.batchUpdate(doc.documentId, INSERT).catch((caught: unknown) => caught);
    const mapped = toDestinationError(error, { kind: "document", id: doc.documentId, actor: me });
    expect(mapped.message).not.toContain("ya29.fake-1");
    expect(String((error as Error).message)).not.toContain("ya29.fake-1");
  });
});

describe("the token endpoint's refusals, judged on the test's clock", () => {
  /** A client on a fake clock, and a fake Google checking assertions with `check`'s key and clock. */
  async function refused(
    check: (
      account: Awaited<ReturnType<typeof serviceAccount>>,
      now: () => number,
    ) => {
      publicKey: CryptoKey;
      now: () => number;
      tokenUrl?: string;
    },
  ) {
    const account = await serviceAccount();
    const time = fakeClock();
    const { tokenUrl = TOKEN_URL, ...verify } = check(account, time.clock.now);
    const google = fakeGoogle({ verify });
    const client = createGoogleClient({
      serviceAccountKey: account.json,
      tokenUrl,
      docsBaseUrl: FAKE_BASE,
      fetch: google.fetch,
      clock: time.clock,
      random: () => 0.5,
    });
    const doc = google.addDoc([account.key.client_email]);
    const error = await client
      .as()
      .getDocument(doc.documentId)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    return String((error as Error).message);
  }

  it("grants a token whatever today's date, when the assertion is fresh on Google's clock", async () => {
    // Ten years on from the suite's usual clock, so nothing here hangs on the real date.
    const time = fakeClock(Date.UTC(2036, 5, 1, 12, 0, 0));
    const account = await serviceAccount();
    const google = fakeGoogle({ verify: { publicKey: account.publicKey, now: time.clock.now } });
    const client = createGoogleClient({
      serviceAccountKey: account.json,
      tokenUrl: TOKEN_URL,
      docsBaseUrl: FAKE_BASE,
      fetch: google.fetch,
      clock: time.clock,
    });
    const doc = google.addDoc([account.key.client_email]);
    expect((await client.as().getDocument(doc.documentId)).documentId).toBe(doc.documentId);
  });

  it("says an assertion that expired on Google's clock is not short-lived", async () => {
    const message = await refused((account, now) => ({
      publicKey: account.publicKey,
      now: () => now() + 2 * 3_600_000,
    }));
    expect(message).toContain(
      "invalid_grant: Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe",
    );
    expect(message).not.toContain("Signature");
  });

  it("says an assertion for another token endpoint failed the audience check", async () => {
    const message = await refused((account, now) => ({
      publicKey: account.publicKey,
      now,
      tokenUrl: "https://oauth2.googleapis.com/token",
    }));
    expect(message).toContain(
      `invalid_grant: Invalid JWT: Failed audience check. The right audience is ${TOKEN_URL}`,
    );
  });

  it("says an assertion signed by another key has a bad signature", async () => {
    const other = await serviceAccount();
    const message = await refused((_account, now) => ({ publicKey: other.publicKey, now }));
    expect(message).toContain("invalid_grant: Invalid JWT Signature.");
    expect(message).toMatch(/key may be deleted or disabled/);
  });
});
