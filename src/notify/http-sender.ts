// Posting one JSON body to one webhook URL and saying what the outcome means for the outbox: delivered,
// worth retrying (the receiver is busy or down, or the network failed), or permanent (the receiver
// refused the request, redirected it, or the URL may not be used, so sending it again changes nothing).
//
// Webhook URLs are secrets (a Slack or Discord URL is all it takes to post), and a receiver can put any
// part of one into its status text or body ("400 Bad token <last path segment>"). So a reason is built
// only from our own words: the status code and its standard phrase, the secret's NAME, and at most an
// error code a vendor documents, taken from a fixed list below. The receiver's status text, body and
// runtime error messages never reach a reason. (The delivery row and the log line name the channel.)
//
// Before anything is sent, the URL must pass the address rule (./address-rule.ts): https, and a public
// host. Redirects are not followed: a 3xx is a failure, so a receiver cannot send the digest (and its
// signature) somewhere the rule was never asked about.
import { parseRetryAfter } from "../lib/retry";
import { checkDigestUrl } from "./address-rule";

export type SendOutcome =
  | { kind: "delivered"; status: number }
  | { kind: "retry"; reason: string; status?: number; retryAfterMs?: number }
  /** `status` is absent when nothing was sent (the URL was refused). */
  | { kind: "permanent"; reason: string; status?: number };

export interface PostJsonRequest {
  url: string;
  /** The exact bytes to send. */
  body: string;
  headers?: Record<string, string>;
  /** The digest channel ("slack", "webhook", …) and the secret that holds the URL, for reasons. */
  channel: string;
  secretName: string;
  /** Whether private hosts and plain http are allowed (ALLOW_PRIVATE_DIGEST_HOSTS). */
  allowPrivateHosts: boolean;
  timeoutMs: number;
  fetch: typeof fetch;
  /** For a Retry-After given as an HTTP date. */
  nowMs: number;
}

/** The standard phrase of each status a webhook receiver is likely to answer with. */
const STATUS_PHRASES: Readonly<Record<number, string>> = {
  300: "Multiple Choices",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/**
 * Error codes the vendors document for webhook posts. A body that IS one of these (Slack answers with the
 * bare code) or carries one in the vendor's JSON shape (Discord's numeric `code`, Google's `error.status`)
 * adds it to the reason; the code shown is our copy from these lists, never the receiver's text.
 */
const SLACK_CODES: ReadonlySet<string> = new Set([
  "action_prohibited",
  "channel_is_archived",
  "channel_not_found",
  "invalid_auth",
  "invalid_blocks",
  "invalid_blocks_format",
  "invalid_payload",
  "invalid_token",
  "missing_text_or_fallback_or_attachments",
  "msg_too_long",
  "no_active_hooks",
  "no_service",
  "no_service_id",
  "no_team",
  "no_text",
  "posting_to_general_channel_denied",
  "rate_limited",
  "team_disabled",
  "token_expired",
  "token_revoked",
  "too_many_attachments",
  "user_not_found",
]);
const DISCORD_CODES: Readonly<Record<number, string>> = {
  10003: "unknown channel",
  10015: "unknown webhook",
  40005: "request too large",
  50001: "missing access",
  50006: "empty message",
  50013: "missing permissions",
  50027: "invalid webhook token",
  50035: "invalid form body",
};
const GOOGLE_STATUSES: ReadonlySet<string> = new Set([
  "FAILED_PRECONDITION",
  "INVALID_ARGUMENT",
  "NOT_FOUND",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "UNAUTHENTICATED",
  "UNAVAILABLE",
]);

/** How much of a refusal's body is read to look for a vendor's error code. */
const MAX_BODY_BYTES = 2048;

class SendTimeout extends Error {}

/** Up to `MAX_BODY_BYTES` of the body as text; the rest is cancelled so the connection is freed. */
async function bodyStart(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes.subarray(0, MAX_BODY_BYTES));
}

/** The vendor's error code in `body`, as our own copy of it, or null. */
function vendorErrorCode(body: string): string | null {
  const text = body.trim();
  if (SLACK_CODES.has(text)) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null) return null;
  if ("code" in parsed && typeof parsed.code === "number") {
    const words = DISCORD_CODES[parsed.code];
    if (words !== undefined) return `${parsed.code} ${words}`;
  }
  if ("error" in parsed && typeof parsed.error === "object" && parsed.error !== null) {
    const status = "status" in parsed.error ? parsed.error.status : undefined;
    for (const known of GOOGLE_STATUSES) if (status === known) return known;
  }
  return null;
}

function statusWords(status: number): string {
  const phrase = STATUS_PHRASES[status];
  return phrase === undefined ? `HTTP ${status}` : `HTTP ${status} ${phrase}`;
}

/**
 * Classifies a finished response. 408 counts as a timeout: the receiver gave up waiting, not refused.
 * `body` is the start of the response body, read only for a vendor's error code.
 */
function classifyResponse(
  response: Response,
  request: Pick<PostJsonRequest, "secretName" | "nowMs">,
  body = "",
): SendOutcome {
  const status = response.status;
  if (status >= 200 && status < 300) return { kind: "delivered", status };
  const words = statusWords(status);
  if (status >= 300 && status < 400) {
    return {
      kind: "permanent",
      reason: `${words}: redirects are not followed; put the URL the receiver gives today in secret ${request.secretName}`,
      status,
    };
  }
  const code = vendorErrorCode(body);
  const reason = code === null ? words : `${words} (error code ${code})`;
  if (status === 429 || status === 408 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), request.nowMs);
    return retryAfterMs === undefined
      ? { kind: "retry", reason, status }
      : { kind: "retry", reason, status, retryAfterMs };
  }
  // Other 4xx (bad payload, revoked webhook, wrong secret) and anything unexpected (1xx) will not change
  // by sending the same bytes again.
  return { kind: "permanent", reason, status };
}

/** What went wrong on the network, in our words: a runtime's message can quote the URL. */
function networkWords(error: unknown): string {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  if (/tls|ssl|certificate|handshake/iu.test(text)) return "the TLS connection failed";
  if (/refused/iu.test(text)) return "the connection was refused";
  if (/dns|resolve|lookup|not known|no such host/iu.test(text)) return "the host name did not resolve";
  if (/lost|reset|closed|disconnect/iu.test(text)) return "the connection was lost";
  return "the receiver could not be reached";
}

/**
 * POSTs `body` as JSON and classifies the outcome. Never throws: a timeout or network failure is a
 * retry outcome. The timer races the fetch (and the read of a refusal's body) as well as aborting it, so
 * a fetch that ignores the signal still cannot hold the run.
 */
export async function postJson(request: PostJsonRequest): Promise<SendOutcome> {
  const allowed = checkDigestUrl(request.url, request.allowPrivateHosts);
  if (!allowed.ok) {
    return {
      kind: "permanent",
      reason: `not sent to the ${request.channel} webhook: secret ${request.secretName} ${allowed.problem}`,
    };
  }
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new SendTimeout());
    }, request.timeoutMs);
  });
  const send = async (): Promise<SendOutcome> => {
    const response = await request.fetch(request.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...request.headers },
      body: request.body,
      signal: controller.signal,
      redirect: "manual",
    });
    const refused = response.status >= 400 && response.status < 600;
    // A refusal's body is read only as far as a vendor's error code; any other body is released unread.
    const body = refused ? await bodyStart(response).catch(() => "") : "";
    if (!refused) await response.body?.cancel().catch(() => undefined);
    return classifyResponse(response, request, body);
  };
  try {
    return await Promise.race([send(), timeout]);
  } catch (error) {
    if (error instanceof SendTimeout || controller.signal.aborted) {
      return { kind: "retry", reason: `timed out after ${request.timeoutMs} ms` };
    }
    return { kind: "retry", reason: `network error (${networkWords(error)})` };
  } finally {
    clearTimeout(timer);
  }
}
