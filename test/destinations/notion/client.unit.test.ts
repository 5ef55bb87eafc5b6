// The fetch wrapper under the SDK: 429 waits for Retry-After and retries any request; 5xx and network
// failures are retried only for requests safe to repeat (GET, data-source query), never for page creation
// or block appends; calls are counted per endpoint; the token never shows up in errors or logs; every
// request names the pinned Notion-Version.
import { Client } from "@notionhq/client";
import { describe, expect, it } from "vitest";
import {
  createNotionClient,
  endpointKey,
  isSafeToRepeat,
  NOTION_API_VERSION,
} from "../../../src/destinations/notion/client";
import { toDestinationError } from "../../../src/destinations/notion/errors";
import { DestinationError } from "../../../src/destinations/types";
import { createLogger } from "../../../src/lib/log";
import type { Clock, RateLimiter } from "../../../src/lib/rate-limit";

const TOKEN = "secret_TESTTOKEN0123456789abcdefghijkl";
const BASE = "https://notion.test";
const DS = "1a2b3c4d-5e6f-4788-9900-aabbccddeeff";
const BLOCK = "0123456789abcdef0123456789abcdef";

type Reply = Response | Error;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

function notionError(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return json(status, { object: "error", status, code, message }, headers);
}

const LIST = { object: "list", results: [], has_more: false, next_cursor: null, type: "block", block: {} };
const PAGE = { object: "page", id: "22222222-2222-4222-8222-222222222222", url: "https://www.notion.so/p" };

/** A client over a scripted fetch, with a clock that records waits instead of waiting. */
function harness(replies: Reply[]) {
  const requests: {
    url: string;
    method: string;
    authorization: string | null;
    notionVersion: string | null;
  }[] = [];
  const waits: number[] = [];
  const holds: number[] = [];
  const lines: string[] = [];
  let now = 1_000_000;
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  };
  const limiter: RateLimiter = { acquire: async () => undefined, holdFor: (ms) => void holds.push(ms) };
  const client = createNotionClient({
    token: TOKEN,
    baseUrl: BASE,
    clock,
    limiter,
    random: () => 0.5,
    log: createLogger({ level: "debug", secrets: [], sink: (line) => void lines.push(line) }),
    fetch: async (url, init) => {
      const headers = new Headers(init.headers);
      requests.push({
        url,
        method: init.method ?? "GET",
        authorization: headers.get("authorization"),
        notionVersion: headers.get("notion-version"),
      });
      const reply = replies.shift();
      if (reply === undefined) throw new Error("no scripted reply left");
      if (reply instanceof Error) throw reply;
      return reply;
    },
  });
  return { client, requests, waits, holds, lines };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("endpoint keys", () => {
  it("names endpoints with ids replaced", () => {
    expect(endpointKey("get", `${BASE}/v1/blocks/${BLOCK}/children?page_size=100`)).toBe(
      "GET /v1/blocks/:id/children",
    );
    expect(endpointKey("POST", `${BASE}/v1/data_sources/${DS}/query`)).toBe(
      "POST /v1/data_sources/:id/query",
    );
    expect(endpointKey("POST", `${BASE}/v1/pages`)).toBe("POST /v1/pages");
    expect(endpointKey("PATCH", `${BASE}/v1/blocks/block-42/children`)).toBe("PATCH /v1/blocks/:id/children");
    expect(endpointKey("GET", `${BASE}/v1/users/me`)).toBe("GET /v1/users/me");
    expect(endpointKey("GET", "https://proxy.test/notion/v1/databases/x1", "/notion")).toBe(
      "GET /v1/databases/:id",
    );
  });

  it("knows which requests are safe to repeat", () => {
    expect(isSafeToRepeat("GET /v1/blocks/:id/children")).toBe(true);
    expect(isSafeToRepeat("POST /v1/data_sources/:id/query")).toBe(true);
    expect(isSafeToRepeat("POST /v1/pages")).toBe(false);
    expect(isSafeToRepeat("PATCH /v1/blocks/:id/children")).toBe(false);
  });
});

describe("notion fetch wrapper", () => {
  it("happy: sends the token only as a bearer header and counts calls per endpoint", async () => {
    const { client, requests } = harness([json(200, LIST), json(200, LIST), json(200, PAGE)]);
    await client.sdk.blocks.children.list({ block_id: BLOCK });
    await client.sdk.blocks.children.list({ block_id: BLOCK });
    await client.sdk.pages.create({ parent: { data_source_id: DS }, properties: {} });
    expect(requests[0]?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(requests.every((request) => !request.url.includes(TOKEN))).toBe(true);
    expect(client.calls()).toEqual({ "GET /v1/blocks/:id/children": 2, "POST /v1/pages": 1 });
  });

  it("names the pinned Notion-Version on every request, whatever the SDK's own default", async () => {
    const sdkDefault = Client.defaultNotionVersion;
    // An SDK release that moved its default must not move the version the Worker speaks.
    Reflect.set(Client, "defaultNotionVersion", "2026-03-11");
    try {
      const { client, requests } = harness([json(200, LIST), json(200, PAGE)]);
      await client.sdk.blocks.children.list({ block_id: BLOCK });
      await client.sdk.pages.create({ parent: { data_source_id: DS }, properties: {} });
      expect(requests.map((request) => request.notionVersion)).toEqual([
        NOTION_API_VERSION,
        NOTION_API_VERSION,
      ]);
    } finally {
      Reflect.set(Client, "defaultNotionVersion", sdkDefault);
    }
  });

  it("429: waits Retry-After, pauses the shared limiter, and retries even a page creation", async () => {
    const { client, waits, holds, requests } = harness([
      notionError(429, "rate_limited", "Rate limited", { "retry-after": "2" }),
      json(200, PAGE),
    ]);
    const page = await client.sdk.pages.create({ parent: { data_source_id: DS }, properties: {} });
    expect(page.id).toBe(PAGE.id);
    expect(waits).toEqual([2000]);
    expect(holds).toEqual([2000]);
    expect(requests).toHaveLength(2);
    expect(client.calls()).toEqual({ "POST /v1/pages": 2 });
  });

  it("429 for good: gives up within the bounds and maps to a retryable error", async () => {
    const limited = () => notionError(429, "rate_limited", "Rate limited", { "retry-after": "30" });
    const { client, waits } = harness([limited(), limited(), limited(), limited()]);
    const error = await failure(client.sdk.blocks.children.list({ block_id: BLOCK }));
    // 30 s, 30 s, then a third wait would pass the 60 s total budget.
    expect(waits).toEqual([30_000, 30_000]);
    const mapped = toDestinationError(error, { kind: "page", id: BLOCK });
    expect(mapped.retryable).toBe(true);
    expect(mapped.message).toMatch(/rate limit/);
  });

  it("503: retried with backoff for GET", async () => {
    const { client, waits } = harness([
      notionError(503, "service_unavailable", "Unavailable"),
      notionError(502, "internal_server_error", "Bad gateway"),
      json(200, LIST),
    ]);
    await client.sdk.blocks.children.list({ block_id: BLOCK });
    expect(waits).toEqual([250, 500]);
    expect(client.calls()).toEqual({ "GET /v1/blocks/:id/children": 3 });
  });

  it("503: retried for the read-only data source query", async () => {
    const { client } = harness([
      notionError(503, "service_unavailable", "Unavailable"),
      json(200, { object: "list", results: [], has_more: false, next_cursor: null }),
    ]);
    await client.sdk.dataSources.query({ data_source_id: DS });
    expect(client.calls()).toEqual({ "POST /v1/data_sources/:id/query": 2 });
  });

  it("503: never retried for page creation or block appends", async () => {
    const { client } = harness([
      notionError(503, "service_unavailable", "Unavailable"),
      notionError(504, "gateway_timeout", "Timeout"),
    ]);
    const created = await failure(
      client.sdk.pages.create({ parent: { data_source_id: DS }, properties: {} }),
    );
    const appended = await failure(client.sdk.blocks.children.append({ block_id: BLOCK, children: [] }));
    expect(client.calls()).toEqual({ "POST /v1/pages": 1, "PATCH /v1/blocks/:id/children": 1 });
    expect(toDestinationError(created, { kind: "data source", id: DS }).retryable).toBe(true);
    expect(toDestinationError(appended, { kind: "page", id: BLOCK }).retryable).toBe(true);
  });

  it("network errors: retried for GET, not for creation", async () => {
    const { client } = harness([new TypeError("Network connection lost."), json(200, LIST)]);
    await client.sdk.blocks.children.list({ block_id: BLOCK });
    expect(client.calls()).toEqual({ "GET /v1/blocks/:id/children": 2 });

    const second = harness([new TypeError("Network connection lost."), json(200, PAGE)]);
    const error = await failure(
      second.client.sdk.pages.create({ parent: { data_source_id: DS }, properties: {} }),
    );
    expect(second.client.calls()).toEqual({ "POST /v1/pages": 1 });
    const mapped = toDestinationError(error, { kind: "data source", id: DS });
    expect(mapped).toBeInstanceOf(DestinationError);
    expect(mapped.retryable).toBe(true);
  });

  it("security: the token never appears in errors or logs, even when a failure quotes it", async () => {
    const { client, lines } = harness([
      new TypeError(`connect failed for Authorization: Bearer ${TOKEN}`),
      new TypeError(`connect failed for Authorization: Bearer ${TOKEN}`),
      new TypeError(`connect failed for Authorization: Bearer ${TOKEN}`),
      new TypeError(`connect failed for Authorization: Bearer ${TOKEN}`),
      notionError(400, "validation_error", `body failed validation (token ${TOKEN})`),
      notionError(401, "unauthorized", "API token is invalid."),
    ]);
    const network = await failure(client.sdk.blocks.children.list({ block_id: BLOCK }));
    const validation = await failure(
      client.sdk.pages.create({ parent: { data_source_id: DS }, properties: {} }),
    );
    const unauthorized = await failure(
      client.sdk.pages.create({ parent: { data_source_id: DS }, properties: {} }),
    );
    expect(String(network)).not.toContain(TOKEN);
    for (const error of [network, validation, unauthorized]) {
      const mapped = toDestinationError(error, { kind: "data source", id: DS });
      expect(mapped.message).not.toContain(TOKEN);
      expect(mapped.message).not.toContain("secret_");
    }
    expect(toDestinationError(unauthorized, { kind: "data source", id: DS }).message).toMatch(
      /refused the integration token/,
    );
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).not.toContain(TOKEN);
  });
});
