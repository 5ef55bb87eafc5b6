// The Google client's traffic rules, against the Google emulator in this process: bearer tokens, call
// counts per endpoint, 429s waited out (Retry-After honoured, even for writes, since Google did not act),
// 5xx and lost answers retried for reads only, a refused token refreshed once, per-user pacing, answers
// checked with zod, and failures mapped to messages that name the document and the account but never a
// key or a token. Failures are the emulator's faults, scripted through its control API.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type GoogleControl, googleControl } from "../../../emulators/google/control";
import { type GoogleEmulator, startGoogleEmulator } from "../../../emulators/google/server";
import { createGoogleClient, type GoogleClientOptions } from "../../../src/destinations/google/api/client";
import {
  GoogleApiError,
  toDestinationError,
  UnexpectedResponseError,
} from "../../../src/destinations/google/api/errors";
import { DestinationError } from "../../../src/destinations/types";
import { documentText } from "./docs-model";
import { fakeClock, serviceAccount } from "./keys";

let emulator: GoogleEmulator;
let google: GoogleControl;
/** The clock Google's token endpoint judges assertions by: each test's own, never the real one. */
let googleNow: () => number = () => 0;

beforeAll(async () => {
  emulator = await startGoogleEmulator({ now: () => googleNow() });
  google = googleControl(emulator.url);
});
afterAll(() => emulator.close());
afterEach(() => google.clearFaults());

let people = 0;
/** A user of the Workspace, new for each test. */
async function person(): Promise<string> {
  people += 1;
  return (await google.createUser({ email: `person${people}@example.com` })).email;
}

async function docFor(...sharedWith: string[]): Promise<string> {
  return (await google.createDocument({ title: "Doc", sharedWith })).documentId;
}

/** A shared drive, or a folder in someone else's My Drive, that `principal` may write in. */
async function folderFor(principal: string, sharedDrive: boolean): Promise<string> {
  return (await google.createFolder({ name: "Agendas", sharedDrive, sharedWith: [principal] })).id;
}

async function setup(extra: Partial<GoogleClientOptions> = {}) {
  const time = fakeClock();
  googleNow = time.clock.now;
  await google.resetCalls();
  const key = await google.createServiceAccount({ domainWideDelegation: true });
  const me = key.client_email;
  const client = createGoogleClient({
    serviceAccountKey: JSON.stringify(key),
    tokenUrl: google.tokenUrl,
    docsBaseUrl: emulator.url,
    driveBaseUrl: emulator.url,
    fetch: (url, init) => fetch(url, init),
    clock: time.clock,
    random: () => 0.5,
    ...extra,
  });
  return { key, time, me, client, api: client.as() };
}

const DOC_ROUTE = "/v1/documents/:id";
const BATCH_ROUTE = "/v1/documents/:id:batchUpdate";

const INSERT = { requests: [{ insertText: { text: "hi", location: { index: 1 } } }] };

describe("requests", () => {
  it("happy: reads a document with its tabs, acting as the service account, and counts calls", async () => {
    const { me, api, client } = await setup();
    const doc = await docFor(me);
    const read = await api.getDocument(doc);
    expect(read.documentId).toBe(doc);
    expect(read.tabs).toHaveLength(1);
    await api.batchUpdate(doc, INSERT);
    await api.getDocument(doc);
    expect(client.calls()).toEqual({
      "POST /token": 1,
      "GET /v1/documents/:id": 2,
      "POST /v1/documents/:id:batchUpdate": 1,
    });
    // Every call Google saw (counted per principal) was made as the service account.
    expect(await google.calls(me)).toEqual(await google.calls());
  });

  it("acts as an impersonated user with a token of its own", async () => {
    const { client } = await setup();
    const ada = await person();
    const doc = await docFor(ada);
    await client.as(ada).getDocument(doc);
    expect((await google.calls(ada))[`GET ${DOC_ROUTE}`]).toBe(1);
  });

  it("sends Drive calls with supportsAllDrives and lists across all drives", async () => {
    const seen: URL[] = [];
    const { me, client } = await setup({
      fetch: (url, init) => {
        seen.push(new URL(url));
        return fetch(url, init);
      },
    });
    const folder = await folderFor(me, true);
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
    const { me, api } = await setup();
    const doc = await docFor(me);
    await google.addFault({ method: "GET", path: DOC_ROUTE, body: { title: "no id" }, times: 2 });
    await expect(api.getDocument(doc)).rejects.toThrow(UnexpectedResponseError);
    await expect(api.getDocument(doc)).rejects.toThrow(/documentId/);
  });
});

describe("retries", () => {
  it("waits out a 429 for exactly its Retry-After, even for a write", async () => {
    const { me, api, time, client } = await setup();
    const doc = await docFor(me);
    await google.addFault({ method: "POST", path: BATCH_ROUTE, status: 429, retryAfter: 7 });
    await api.batchUpdate(doc, INSERT);
    expect(client.calls()["POST /v1/documents/:id:batchUpdate"]).toBe(2);
    expect(time.slept).toContain(7000);
    expect(documentText(emulator.workspace.documents.get(doc))).toBe("hi\n");
  });

  it("retries Drive's 403 userRateLimitExceeded like a 429", async () => {
    const { me, api, client } = await setup();
    const folder = await folderFor(me, true);
    await google.addFault({
      method: "POST",
      path: "/drive/v3/files",
      status: 403,
      reason: "userRateLimitExceeded",
      message: "User rate limit exceeded.",
    });
    await api.createFile(
      { name: "x", mimeType: "application/vnd.google-apps.document", parents: [folder] },
      "id",
    );
    expect(client.calls()["POST /drive/v3/files"]).toBe(2);
  });

  it("never retries a batchUpdate, copy or create after a 5xx or a lost answer", async () => {
    const { me, api, client } = await setup();
    const doc = await docFor(me);
    const folder = await folderFor(me, true);
    for (const path of [BATCH_ROUTE, "/drive/v3/files/:id/copy", "/drive/v3/files"]) {
      await google.addFault({ method: "POST", path, status: 503, times: 2 });
    }
    await expect(api.batchUpdate(doc, INSERT)).rejects.toThrow(GoogleApiError);
    await expect(api.copyFile(doc, { name: "c", parents: [folder] }, "id")).rejects.toThrow(GoogleApiError);
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
    const { me, api, client, time } = await setup();
    const doc = await docFor(me);
    await google.addFault({ method: "GET", path: DOC_ROUTE, status: 500, times: 2 });
    await api.getDocument(doc);
    expect(client.calls()["GET /v1/documents/:id"]).toBe(3);
    // Full jitter at random 0.5: half of 1 s, then half of 2 s.
    expect(time.slept).toEqual(expect.arrayContaining([500, 1000]));
  });

  it("refreshes a refused token once, then gives up", async () => {
    const { me, api, client } = await setup();
    const doc = await docFor(me);
    await google.addFault({ method: "GET", path: DOC_ROUTE, status: 401 });
    await api.getDocument(doc);
    expect(client.calls()["POST /token"]).toBe(2);

    await google.addFault({ path: DOC_ROUTE, status: 401, message: "no", times: 10 });
    await expect(api.getDocument(doc)).rejects.toMatchObject({ httpStatus: 401 });
  });
});

describe("pacing", () => {
  it("keeps one user's writes within 60 a minute while other users go at their own pace", async () => {
    const { me, client, time } = await setup();
    const ada = await person();
    const doc = await docFor(me, ada);
    const start = time.clock.now();
    for (let i = 0; i < 12; i += 1) await client.as().batchUpdate(doc, INSERT);
    const mine = time.clock.now() - start;
    // A burst of 6, then one every 1.1 s: 60 in any minute at most.
    expect(mine).toBeGreaterThanOrEqual(6 * 1000);
    const before = time.clock.now();
    await client.as(ada).batchUpdate(doc, INSERT);
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
    const { me, api } = await setup();
    const folder = await folderFor(me, false);
    const error = await api
      .createFile({ name: "x", mimeType: "application/vnd.google-apps.document", parents: [folder] }, "id")
      .catch((caught: unknown) => caught);
    const mapped = toDestinationError(error, { kind: "folder", id: folder, actor: me });
    expect(mapped.message).toMatch(/no Drive storage of its own.*shared drive.*impersonate/);
  });

  it("calls quota and outages retryable", async () => {
    const { me, api } = await setup({ retry: { maxAttempts: 1 } });
    const doc = await docFor(me);
    await google.addFault({ path: DOC_ROUTE, status: 429, message: "Quota exceeded" });
    const error = await api.getDocument(doc).catch((caught: unknown) => caught);
    expect(toDestinationError(error, { kind: "document", id: doc, actor: me })).toMatchObject({
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
    let token = "";
    const { me, api } = await setup({
      fetch: (url, init) => {
        token = new Headers(init.headers).get("authorization")?.replace(/^Bearer /, "") || token;
        return fetch(url, init);
      },
    });
    const doc = await docFor(me);
    await api.getDocument(doc);
    expect(token).not.toBe("");
    await google.addFault({
      method: "POST",
      path: BATCH_ROUTE,
      status: 400,
      message: `bad request with Bearer ${token} inside`,
    });
    const error = await api.batchUpdate(doc, INSERT).catch((caught: unknown) => caught);
    const mapped = toDestinationError(error, { kind: "document", id: doc, actor: me });
    expect(mapped.message).not.toContain(token);
    expect(String((error as Error).message)).not.toContain(token);
  });
});

describe("the token endpoint's refusals, judged on the test's clock", () => {
  /** Where a client that names another token endpoint still sends its requests: this emulator. */
  const REAL_TOKEN_URL = "https://oauth2.googleapis.com/token";

  /**
   * A client on a fake clock against the emulator, whose token endpoint judges by `googleClock`; the
   * client signs with `key` (an emulator key unless given) and names `tokenUrl` as the audience.
   */
  async function refused(
    options: { googleClock?: (now: () => number) => () => number; tokenUrl?: string; key?: object } = {},
  ) {
    const time = fakeClock();
    googleNow = (options.googleClock ?? ((now) => now))(time.clock.now);
    const issued = await google.createServiceAccount();
    const key = options.key === undefined ? issued : { ...options.key, client_email: issued.client_email };
    const client = createGoogleClient({
      serviceAccountKey: JSON.stringify(key),
      tokenUrl: options.tokenUrl ?? google.tokenUrl,
      docsBaseUrl: emulator.url,
      fetch: (url, init) => fetch(url === REAL_TOKEN_URL ? google.tokenUrl : url, init),
      clock: time.clock,
      random: () => 0.5,
    });
    const doc = await docFor(issued.client_email);
    const error = await client
      .as()
      .getDocument(doc)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    return String((error as Error).message);
  }

  it("grants a token whatever today's date, when the assertion is fresh on Google's clock", async () => {
    // Ten years on from the suite's usual clock, so nothing here hangs on the real date.
    const time = fakeClock(Date.UTC(2036, 5, 1, 12, 0, 0));
    googleNow = time.clock.now;
    const key = await google.createServiceAccount();
    const client = createGoogleClient({
      serviceAccountKey: JSON.stringify(key),
      tokenUrl: google.tokenUrl,
      docsBaseUrl: emulator.url,
      fetch: (url, init) => fetch(url, init),
      clock: time.clock,
    });
    const doc = await docFor(key.client_email);
    expect((await client.as().getDocument(doc)).documentId).toBe(doc);
  });

  it("says an assertion that expired on Google's clock is not short-lived", async () => {
    const message = await refused({ googleClock: (now) => () => now() + 2 * 3_600_000 });
    expect(message).toContain(
      "invalid_grant: Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe",
    );
    expect(message).not.toContain("Signature");
  });

  it("says an assertion for another token endpoint failed the audience check", async () => {
    const message = await refused({ tokenUrl: REAL_TOKEN_URL });
    expect(message).toContain(
      `invalid_grant: Invalid JWT: Failed audience check. The right audience is ${google.tokenUrl}`,
    );
  });

  it("says an assertion signed by another key has a bad signature", async () => {
    const other = await serviceAccount();
    const message = await refused({ key: other.key });
    expect(message).toContain("invalid_grant: Invalid JWT Signature.");
    expect(message).toMatch(/key may be deleted or disabled/);
  });
});
