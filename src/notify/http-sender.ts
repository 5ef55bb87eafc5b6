// Posting one JSON body to one webhook URL and saying what the outcome means for the outbox: delivered,
// worth retrying (the receiver is busy or down, or the network failed), or permanent (the receiver
// refused the request, so sending it again changes nothing). Webhook URLs are secrets (a Slack or
// Discord URL is all it takes to post), so no reason ever contains the URL, and no reason carries the
// receiver's body, which could echo anything back; a status line is enough to act on.
import { redact } from "../lib/log";
import { parseRetryAfter } from "../lib/retry";

export type SendOutcome =
  | { kind: "delivered"; status: number }
  | { kind: "retry"; reason: string; status?: number; retryAfterMs?: number }
  | { kind: "permanent"; reason: string; status: number };

export interface PostJsonRequest {
  url: string;
  /** The exact bytes to send. */
  body: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  fetch: typeof fetch;
  /** For a Retry-After given as an HTTP date. */
  nowMs: number;
}

/** Longest status text kept in a reason: a status line, not a message. */
const MAX_STATUS_TEXT = 60;
/** Longest network error message kept in a reason. */
const MAX_ERROR_TEXT = 120;

class SendTimeout extends Error {}

/** Removes the URL, and its path on its own, from text a runtime or receiver produced. */
function scrub(text: string, url: string, max: number): string {
  let path = "";
  try {
    const parsed = new URL(url);
    path = `${parsed.pathname}${parsed.search}`;
  } catch {
    // An unparsable URL is removed whole below; there is no path to remove on its own.
  }
  // The path is what makes most webhook URLs secret (Slack's /services/T/B/token), and an error
  // message may show it without the host. `redact` ignores pieces shorter than 6 characters.
  const cleaned = redact(
    text,
    [url, path].filter((piece) => piece !== "/"),
  )
    .replace(/\s+/g, " ")
    .trim();
  return cleaned.length > max ? `${cleaned.slice(0, max)}…` : cleaned;
}

function statusLine(response: Response, url: string): string {
  const text = scrub(response.statusText, url, MAX_STATUS_TEXT);
  return text === "" ? `HTTP ${response.status}` : `HTTP ${response.status} ${text}`;
}

/** Classifies a finished response. 408 counts as a timeout: the receiver gave up waiting, not refused. */
export function classifyResponse(response: Response, url: string, nowMs: number): SendOutcome {
  const status = response.status;
  if (status >= 200 && status < 300) return { kind: "delivered", status };
  const reason = statusLine(response, url);
  if (status === 429 || status === 408 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), nowMs);
    return retryAfterMs === undefined
      ? { kind: "retry", reason, status }
      : { kind: "retry", reason, status, retryAfterMs };
  }
  // Other 4xx (bad payload, revoked webhook, wrong secret) and anything unexpected (3xx left after
  // redirects, 1xx) will not change by sending the same bytes again.
  return { kind: "permanent", reason, status };
}

/**
 * POSTs `body` as JSON and classifies the outcome. Never throws: a timeout or network failure is a
 * retry outcome. The timer races the fetch as well as aborting it, so a fetch that ignores the signal
 * still cannot hold the run.
 */
export async function postJson(request: PostJsonRequest): Promise<SendOutcome> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new SendTimeout());
    }, request.timeoutMs);
  });
  try {
    const response = await Promise.race([
      request.fetch(request.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...request.headers },
        body: request.body,
        signal: controller.signal,
      }),
      timeout,
    ]);
    // The body is never read (it may echo anything), but it is released so the connection is freed.
    await response.body?.cancel().catch(() => undefined);
    return classifyResponse(response, request.url, request.nowMs);
  } catch (error) {
    if (error instanceof SendTimeout || controller.signal.aborted) {
      return { kind: "retry", reason: `timed out after ${request.timeoutMs} ms` };
    }
    const detail =
      error instanceof Error ? scrub(`${error.name}: ${error.message}`, request.url, MAX_ERROR_TEXT) : "";
    return { kind: "retry", reason: detail === "" ? "network error" : `network error (${detail})` };
  } finally {
    clearTimeout(timer);
  }
}
