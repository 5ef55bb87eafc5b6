// Owns turning what the Notion SDK throws into a DestinationError a person can act on: it names the data
// source, page or property at fault and says whether waiting will help. Messages never carry a token or a
// raw response body; Notion's own short message is quoted only where we cannot say it better.
import {
  APIErrorCode,
  APIResponseError,
  RequestTimeoutError,
  UnknownHTTPResponseError,
} from "@notionhq/client";
import { UnexpectedResponseError } from "../../lib/upstream";

import { DestinationError } from "../types";
import { NotionNetworkError } from "./client";

// Callers parse answers through the shared check; re-exported so each destination has one errors module.
export { parseResponse } from "../../lib/upstream";

/** What a failed request was about, so the message can name it. */
export interface ErrorSubject {
  kind: "data source" | "database" | "page";
  id: string;
  /** The data source whose properties the request used, when there is one. */
  dataSourceId?: string;
  /** Property names the request used, each with the property type this destination needs there. */
  properties?: Readonly<Record<string, string>>;
}

const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  APIErrorCode.RateLimited,
  APIErrorCode.InternalServerError,
  APIErrorCode.ServiceUnavailable,
  APIErrorCode.ServiceOverload,
  APIErrorCode.GatewayTimeout,
  APIErrorCode.ConflictError,
]);

// Integration tokens look like these; nothing Notion says should contain one, but the message is quoted
// into stored errors, so anything token-shaped is cut out regardless.
const TOKEN_SHAPED = /\b(?:secret_|ntn_)[A-Za-z0-9]{10,}\b/g;

/** Notion's message, token-free, on one line and short enough to store and show. */
function quoteNotionMessage(message: string): string {
  const cleaned = message.replace(TOKEN_SHAPED, "[redacted]").replace(/\s+/g, " ").trim();
  return cleaned.length > 300 ? `${cleaned.slice(0, 297)}...` : cleaned;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The property a validation message is about, as Notion words it: "Could not find property with name or
 * id: Date" (queries), "Date is not a property that exists." (page creation), "Date is expected to be
 * rich_text." (a value of the wrong type: the property's actual type is named).
 */
export function propertyProblem(
  message: string,
  names: readonly string[],
): { name: string; problem: "missing" } | { name: string; problem: "type"; actual: string } | null {
  for (const name of names) {
    const quoted = escapeRegExp(name);
    const missing = [
      new RegExp(`Could not find property with name or id: "?${quoted}"?\\s*(?:\\.|$)`, "i"),
      new RegExp(`(?:^|[.:]\\s+)"?${quoted}"? is not a property that exists`, "i"),
    ];
    if (missing.some((pattern) => pattern.test(message))) return { name, problem: "missing" };
    const wrongType = new RegExp(`(?:^|[.:]\\s+)"?${quoted}"? is expected to be (\\w+)`, "i").exec(message);
    if (wrongType?.[1] !== undefined) return { name, problem: "type", actual: wrongType[1] };
  }
  return null;
}

function subjectName(subject: ErrorSubject): string {
  return `Notion ${subject.kind} ${subject.id}`;
}

function fromApiError(error: APIResponseError, subject: ErrorSubject): DestinationError {
  const name = subjectName(subject);
  switch (error.code) {
    case APIErrorCode.ObjectNotFound:
      return new DestinationError(`${name} was not found or is not shared with the integration`, false);
    case APIErrorCode.Unauthorized:
      return new DestinationError(
        "Notion refused the integration token (unauthorized): check the NOTION_TOKEN secret",
        false,
      );
    case APIErrorCode.RestrictedResource:
      return new DestinationError(
        `The Notion integration may not do this on ${subject.kind} ${subject.id} (restricted_resource): ` +
          "give it the read content, insert content and update content capabilities",
        false,
      );
    case APIErrorCode.ValidationError: {
      const properties = subject.properties ?? {};
      const found = propertyProblem(error.message, Object.keys(properties));
      const owner = `Notion data source ${subject.dataSourceId ?? subject.id}`;
      if (found?.problem === "missing") {
        return new DestinationError(`${owner} has no property "${found.name}"`, false);
      }
      if (found?.problem === "type") {
        return new DestinationError(
          `${owner} property "${found.name}" is a ${found.actual} property; it must be a ${properties[found.name]} property`,
          false,
        );
      }
      return new DestinationError(
        `Notion refused a request for ${subject.kind} ${subject.id}: ${quoteNotionMessage(error.message)}`,
        false,
      );
    }
    default:
      if (TRANSIENT_CODES.has(error.code) || error.status >= 500) {
        const reason =
          error.code === APIErrorCode.RateLimited
            ? "rate limit still exceeded after retries"
            : `HTTP ${error.status}, ${error.code}`;
        return new DestinationError(
          `Notion is unavailable for ${subject.kind} ${subject.id} (${reason}); a later run will retry`,
          true,
        );
      }
      return new DestinationError(
        `Notion refused a request for ${subject.kind} ${subject.id} (${error.code}): ${quoteNotionMessage(error.message)}`,
        false,
      );
  }
}

/** Notion refused a write for nesting children deeper than it accepts in one request. */
export function isNestingRefusal(error: unknown): boolean {
  return (
    APIResponseError.isAPIResponseError(error) &&
    error.code === APIErrorCode.ValidationError &&
    /\.children should be not present/.test(error.message)
  );
}

/** Notion answered that the object does not exist, or is not shared with the integration. */
export function isNotFound(error: unknown): boolean {
  return APIResponseError.isAPIResponseError(error) && error.code === APIErrorCode.ObjectNotFound;
}

/** Any failure of a Notion call about `subject`, as a DestinationError. */
export function toDestinationError(error: unknown, subject: ErrorSubject): DestinationError {
  if (error instanceof DestinationError) return error;
  if (APIResponseError.isAPIResponseError(error)) return fromApiError(error, subject);
  if (UnknownHTTPResponseError.isUnknownHTTPResponseError(error)) {
    // Not Notion's JSON error shape (a proxy's HTML page, say): only the status is worth keeping.
    const retryable = error.status >= 500 || error.status === 429;
    return new DestinationError(
      `Notion answered HTTP ${error.status} for ${subject.kind} ${subject.id}${retryable ? "; a later run will retry" : ""}`,
      retryable,
    );
  }
  if (error instanceof NotionNetworkError || RequestTimeoutError.isRequestTimeoutError(error)) {
    return new DestinationError(
      `Could not reach Notion for ${subject.kind} ${subject.id}; a later run will retry`,
      true,
    );
  }
  if (error instanceof UnexpectedResponseError) {
    return new DestinationError(
      `Notion gave an answer this Worker does not understand for ${subject.kind} ${subject.id}: ${error.message}`,
      false,
    );
  }
  const detail = error instanceof Error ? quoteNotionMessage(error.message) : "unknown failure";
  return new DestinationError(
    `The Notion destination failed for ${subject.kind} ${subject.id}: ${detail}`,
    false,
  );
}
