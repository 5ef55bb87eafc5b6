// Owns the failures of the Google Docs destination: what the client throws (Google's error shape, no
// answer at all, a refused key or grant, an answer we do not understand) and how each becomes a
// DestinationError a person can act on. Messages name the document, folder or template and the account
// that must be given access; they never hold the key, an assertion or an access token.
import { UnexpectedResponseError } from "../../../lib/upstream";

import { DestinationError } from "../../types";

// Callers parse answers through the shared check; re-exported so each destination has one errors module.
export { parseResponse, UnexpectedResponseError } from "../../../lib/upstream";

/** Google answered with an error: `{ error: { code, message, status, errors: [{ reason }] } }`. */
export class GoogleApiError extends Error {
  constructor(
    /** The endpoint, e.g. `POST /v1/documents/:id:batchUpdate`. */
    readonly endpoint: string,
    readonly httpStatus: number,
    /** Google's canonical status (`NOT_FOUND`, `PERMISSION_DENIED`), when it sent one. */
    readonly status: string | null,
    /** Drive's reason (`storageQuotaExceeded`, `userRateLimitExceeded`), when it sent one. */
    readonly reason: string | null,
    /** Google's message, already cleaned by `quoteGoogleMessage`. */
    message: string,
  ) {
    super(message);
    this.name = "GoogleApiError";
  }
}

/** A request that never got an HTTP answer (network failure or our per-attempt timeout). */
export class GoogleNetworkError extends Error {
  constructor(
    readonly endpoint: string,
    message: string,
  ) {
    super(message);
    this.name = "GoogleNetworkError";
  }
}

/** Why the service account could not get an access token. */
export type GoogleAuthProblem = "key" | "grant" | "delegation" | "unavailable";

/** The service-account key was unusable, or Google refused to exchange it for a token. */
export class GoogleAuthError extends Error {
  constructor(
    readonly problem: GoogleAuthProblem,
    message: string,
  ) {
    super(message);
    this.name = "GoogleAuthError";
  }
}

// Nothing Google says should hold one of these, but its messages are stored and shown, so anything
// shaped like an access token, a JWT or a PEM key is cut out regardless.
const SECRET_SHAPED = [
  /ya29\.[A-Za-z0-9._-]+/g,
  /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  /-----BEGIN [A-Z ]+-----[\s\S]*?(?:-----END [A-Z ]+-----|$)/g,
];

/** Google's message, secret-free, on one line and short enough to store and show. */
export function quoteGoogleMessage(message: string): string {
  let cleaned = message;
  for (const pattern of SECRET_SHAPED) cleaned = cleaned.replace(pattern, "[redacted]");
  cleaned = cleaned.replace(/\s+/g, " ").trim();
  return cleaned.length > 300 ? `${cleaned.slice(0, 297)}...` : cleaned;
}

/** What a failed request was about, so the message can name it and who needs access to it. */
export interface ErrorSubject {
  kind: "document" | "folder" | "template" | "file" | "changes";
  id: string;
  /** The account the request acted as: the impersonated user, or the service account's email. */
  actor: string;
  /** For a copy or create into a folder: the folder, so a missing folder can be named. */
  folderId?: string;
}

const RATE_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded", "dailyLimitExceeded"]);

/** Whether Google said "too many requests" (HTTP 429, RESOURCE_EXHAUSTED, or Drive's 403 rate reasons). */
export function isRateLimited(error: GoogleApiError): boolean {
  return (
    error.httpStatus === 429 ||
    error.status === "RESOURCE_EXHAUSTED" ||
    (error.httpStatus === 403 && error.reason !== null && RATE_REASONS.has(error.reason))
  );
}

/**
 * Whether a batchUpdate was refused because the document changed since we read it
 * (`writeControl.requiredRevisionId` no longer the latest): nothing was applied, so re-read and rebuild.
 */
export function isRevisionConflict(error: unknown): boolean {
  return (
    error instanceof GoogleApiError &&
    error.endpoint.endsWith(":batchUpdate") &&
    (error.httpStatus === 400 || error.httpStatus === 409) &&
    (error.status === "FAILED_PRECONDITION" || error.status === "ABORTED" || /revision/i.test(error.message))
  );
}

/**
 * Whether a failed write may still have been applied: no answer came (a dropped connection, a timeout),
 * Google answered 5xx, or it answered 2xx in a shape we could not read. Only a refusal (4xx) says
 * for sure that nothing was written.
 */
export function mayHaveApplied(error: unknown): boolean {
  return (
    error instanceof GoogleNetworkError ||
    error instanceof UnexpectedResponseError ||
    (error instanceof GoogleApiError && error.httpStatus >= 500)
  );
}

function describe(subject: ErrorSubject): string {
  switch (subject.kind) {
    case "document":
      return `Google document ${subject.id}`;
    case "template":
      return `template Google document ${subject.id}`;
    case "folder":
      return `Google Drive folder ${subject.id}`;
    case "file":
      return `Google Drive file ${subject.id}`;
    case "changes":
      return `the Google Drive changes of ${subject.actor}`;
  }
}

function fromApiError(error: GoogleApiError, subject: ErrorSubject): DestinationError {
  const name = describe(subject);
  if (isRateLimited(error)) {
    return new DestinationError(
      `Google's quota for ${subject.actor} is still exceeded after retries (${name}); a later run will retry`,
      true,
    );
  }
  if (error.httpStatus >= 500) {
    return new DestinationError(
      `Google is unavailable for ${name} (HTTP ${error.httpStatus}${error.status ? `, ${error.status}` : ""}); a later run will retry`,
      true,
    );
  }
  if (error.httpStatus === 404) {
    if (subject.folderId !== undefined && error.message.includes(subject.folderId)) {
      return new DestinationError(
        `Google Drive folder ${subject.folderId} was not found or is not shared with ${subject.actor}`,
        false,
      );
    }
    return new DestinationError(`${name} was not found or is not shared with ${subject.actor}`, false);
  }
  if (error.reason === "storageQuotaExceeded") {
    return new DestinationError(
      `${subject.actor} has no Drive storage of its own for new documents in ${name}: ` +
        "put the folder in a shared drive (with the service account as a Content manager), " +
        "or set impersonate to a Workspace user who owns the folder",
      false,
    );
  }
  if (error.httpStatus === 403 && error.endpoint.startsWith("GET ")) {
    // Google answers 403, not 404, when the document exists but is not shared with the caller.
    return new DestinationError(`${name} was not found or is not shared with ${subject.actor}`, false);
  }
  if (error.httpStatus === 403) {
    const what =
      subject.kind === "folder"
        ? "add documents to it: share it with that address as an Editor (Contributor on a shared drive)"
        : "edit it: share it with that address as an Editor";
    return new DestinationError(`${subject.actor} may not ${what} (${name})`, false);
  }
  if (error.httpStatus === 401) {
    return new DestinationError(
      `Google refused the access token for ${subject.actor} (${name}): check the service-account key`,
      false,
    );
  }
  return new DestinationError(
    `Google refused a request for ${name} (HTTP ${error.httpStatus}${error.status ? `, ${error.status}` : ""}): ${error.message}`,
    false,
  );
}

function fromAuthError(error: GoogleAuthError): DestinationError {
  return new DestinationError(error.message, error.problem === "unavailable");
}

/** Any failure of a Google call about `subject`, as a DestinationError. */
export function toDestinationError(error: unknown, subject: ErrorSubject): DestinationError {
  if (error instanceof DestinationError) return error;
  if (error instanceof GoogleApiError) return fromApiError(error, subject);
  if (error instanceof GoogleAuthError) return fromAuthError(error);
  if (error instanceof GoogleNetworkError) {
    return new DestinationError(
      `Could not reach Google for ${describe(subject)}; a later run will retry`,
      true,
    );
  }
  if (error instanceof UnexpectedResponseError) {
    return new DestinationError(
      `Google gave an answer this Worker does not understand for ${describe(subject)}: ${error.message}`,
      false,
    );
  }
  const detail = error instanceof Error ? quoteGoogleMessage(error.message) : "unknown failure";
  return new DestinationError(
    `The Google Docs destination failed for ${describe(subject)}: ${detail}`,
    false,
  );
}
