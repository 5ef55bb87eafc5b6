// Notion failures as messages a person can act on: the data source, page or property is named, and
// whether waiting helps is said. No raw body, no token.
import { APIErrorCode, APIResponseError, UnknownHTTPResponseError } from "@notionhq/client";
import { describe, expect, it } from "vitest";
import { propertyProblem, toDestinationError } from "../../../src/destinations/notion/errors";

const DS = "1a2b3c4d-5e6f-4788-9900-aabbccddeeff";
const SUBJECT = {
  kind: "data source" as const,
  id: DS,
  dataSourceId: DS,
  properties: { Name: "title", Date: "date", "Pair (1:1)": "rich_text" },
};

function apiError(status: number, code: APIErrorCode, message: string) {
  const body = JSON.stringify({ object: "error", status, code, message });
  return new APIResponseError({
    code,
    status,
    message,
    headers: {},
    rawBodyText: body,
    additional_data: undefined,
    request_id: "req-1",
  });
}

describe("toDestinationError", () => {
  it("object_not_found names the data source and the sharing fix", () => {
    const mapped = toDestinationError(
      apiError(404, APIErrorCode.ObjectNotFound, "Could not find data_source"),
      SUBJECT,
    );
    expect(mapped.message).toBe(
      `Notion data source ${DS} was not found or is not shared with the integration`,
    );
    expect(mapped.retryable).toBe(false);
  });

  it.each([
    ["Could not find property with name or id: Date", "Date"],
    ["Date is not a property that exists.", "Date"],
    ['Could not find property with name or id: "Pair (1:1)"', "Pair (1:1)"],
    ["body failed validation. Name is not a property that exists.", "Name"],
  ])("validation_error %j names the missing property", (message, property) => {
    const mapped = toDestinationError(apiError(400, APIErrorCode.ValidationError, message), SUBJECT);
    expect(mapped.message).toBe(`Notion data source ${DS} has no property "${property}"`);
    expect(mapped.retryable).toBe(false);
  });

  it("validation_error about something else quotes Notion's message, shortened", () => {
    const mapped = toDestinationError(
      apiError(
        400,
        APIErrorCode.ValidationError,
        `body.children[0].to_do.rich_text should be ≤ 100 ${"x".repeat(400)}`,
      ),
      SUBJECT,
    );
    expect(mapped.message).toMatch(/^Notion refused a request for data source .*: body\.children\[0\]/);
    expect(mapped.message.length).toBeLessThan(400);
  });

  it("validation_error for a property of the wrong type says which type it must be", () => {
    const mapped = toDestinationError(
      apiError(400, APIErrorCode.ValidationError, "Date is expected to be rich_text."),
      SUBJECT,
    );
    expect(mapped.message).toBe(
      `Notion data source ${DS} property "Date" is a rich_text property; it must be a date property`,
    );
  });

  it("restricted_resource names the capabilities to grant", () => {
    const mapped = toDestinationError(
      apiError(403, APIErrorCode.RestrictedResource, "Insufficient permissions"),
      SUBJECT,
    );
    expect(mapped.message).toMatch(/restricted_resource.*insert content/);
    expect(mapped.retryable).toBe(false);
  });

  it("5xx and rate limits are retryable", () => {
    for (const [status, code] of [
      [503, APIErrorCode.ServiceUnavailable],
      [500, APIErrorCode.InternalServerError],
      [429, APIErrorCode.RateLimited],
    ] as const) {
      expect(toDestinationError(apiError(status, code, "x"), SUBJECT).retryable).toBe(true);
    }
  });

  it("a non-JSON gateway page keeps only its status, never the body", () => {
    const error = new UnknownHTTPResponseError({
      status: 502,
      message: undefined,
      headers: {},
      rawBodyText: "<html>Bad gateway: upstream said secret_abcdefghijklmnop</html>",
    });
    const mapped = toDestinationError(error, { kind: "page", id: "p1" });
    expect(mapped.message).toBe("Notion answered HTTP 502 for page p1; a later run will retry");
    expect(mapped.retryable).toBe(true);
  });

  it("cuts token-shaped text out of a quoted Notion message", () => {
    const mapped = toDestinationError(
      apiError(400, APIErrorCode.InvalidRequest, "bad header ntn_abcdefghijklmnopqrstuvwxyz"),
      SUBJECT,
    );
    expect(mapped.message).not.toMatch(/ntn_/);
    expect(mapped.message).toContain("[redacted]");
  });
});

describe("propertyProblem", () => {
  it("does not confuse a property with one whose name contains it", () => {
    expect(propertyProblem("Could not find property with name or id: Date due", ["Date"])).toBeNull();
    expect(
      propertyProblem("Could not find property with name or id: Date due", ["Date", "Date due"]),
    ).toEqual({
      name: "Date due",
      problem: "missing",
    });
  });
});
