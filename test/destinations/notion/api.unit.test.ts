// The one core every Notion call goes through: an answer is taken in only when it matches the call's
// schema, and a mismatch names the endpoint and the first wrong field. Query results that are pages are
// checked whole; anything else is set aside.
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { call, NOTION_ENDPOINTS, notionApi } from "../../../src/destinations/notion/api";
import type { NotionClient } from "../../../src/destinations/notion/client";
import { toDestinationError } from "../../../src/destinations/notion/errors";
import { UnexpectedResponseError } from "../../../src/lib/upstream";

const DS = "1a2b3c4d-5e6f-4788-9900-aabbccddeeff";

/** A client whose SDK answers every data source query with `answer`. */
function answering(answer: unknown): NotionClient {
  const sdk = { dataSources: { query: async () => answer } };
  return { sdk, calls: () => ({}) } as unknown as NotionClient;
}

describe("call", () => {
  it("returns the answer as the schema reads it", async () => {
    const schema = z.looseObject({ id: z.string() }).transform((answer) => answer.id);
    await expect(
      call({ endpoint: "GET /v1/pages/:id", schema, send: async () => ({ id: "p1" }) }),
    ).resolves.toBe("p1");
  });

  it("error: a mismatch is an UnexpectedResponseError naming the endpoint and the field", async () => {
    const failure = call({
      endpoint: NOTION_ENDPOINTS.createPage,
      schema: z.looseObject({ url: z.string() }),
      send: async () => ({ id: "p1" }),
    });
    await expect(failure).rejects.toThrow(UnexpectedResponseError);
    await expect(failure).rejects.toThrow(/^Notion's answer to POST \/v1\/pages: url /);
  });

  it("error: becomes a DestinationError that says the answer was not understood, and is not retried", async () => {
    const error = await call({
      endpoint: NOTION_ENDPOINTS.createPage,
      schema: z.looseObject({ url: z.string() }),
      send: async () => ({}),
    }).catch((caught: unknown) => caught);
    const failure = toDestinationError(error, { kind: "data source", id: DS });
    expect(failure.message).toMatch(/does not understand for data source .*POST \/v1\/pages: url/);
    expect(failure.retryable).toBe(false);
  });

  it("leaves what the request threw as it was", async () => {
    const refused = new Error("refused");
    await expect(
      call({ endpoint: "GET /v1/pages/:id", schema: z.unknown(), send: () => Promise.reject(refused) }),
    ).rejects.toBe(refused);
  });
});

describe("queryDataSource", () => {
  const page = { object: "page", id: "p1", url: "https://www.notion.so/p1", properties: {} };

  it("checks page results whole and sets anything else aside as null", async () => {
    const api = notionApi(
      answering({ results: [page, { object: "data_source", id: "d1" }], has_more: false, next_cursor: null }),
    );
    const list = await api.queryDataSource({ data_source_id: DS });
    expect(list.results).toEqual([page, null]);
  });

  it("error: a page result without its url names the endpoint and the result", async () => {
    const { url: _url, ...broken } = page;
    const api = notionApi(answering({ results: [broken], has_more: false, next_cursor: null }));
    await expect(api.queryDataSource({ data_source_id: DS })).rejects.toThrow(
      /POST \/v1\/data_sources\/:id\/query: results\.0\.url /,
    );
  });
});
