// Owns the one Notion SDK client a run uses, the API version it speaks, and the fetch wrapper under it:
// every request waits for the integration's pace (Notion allows about 3 requests/second per integration: in
// the Worker a Durable Object shared by every isolate, see src/pace/), 429s and 529s (rate limited, service
// overload) pause that pace for Retry-After and are retried, 5xx and network failures are retried only for
// requests that are safe to repeat, and calls are counted per endpoint for the benchmark. The token never
// leaves the Authorization header the SDK builds: not in logs, not in errors.
import { Client, LogLevel } from "@notionhq/client";
import { type Logger, redact, silentLogger } from "../../lib/log";
import { type Clock, createRateLimiter, type RateLimiter, systemClock } from "../../lib/rate-limit";
import { type Attempt, parseRetryAfter, type RetryPolicy, retry } from "../../lib/retry";
import { PaceUnavailableError } from "../../pace/pacer";

/**
 * The Notion API version every request names (the Notion-Version header). Pinned rather than left to the
 * SDK's default, which moves with SDK releases: the code parses this version's shapes, and it addresses
 * agendas through data sources, which 2025-09-03 introduced. Moving it is a deliberate change: read
 * Notion's upgrade guide, adapt the parsing, then move the emulator's EMULATED_VERSION with it.
 */
export const NOTION_API_VERSION = "2025-09-03";

type ClientOptions = NonNullable<ConstructorParameters<typeof Client>[0]>;
/** The fetch signature the SDK calls (its type is not exported by name). */
type NotionFetch = NonNullable<ClientOptions["fetch"]>;
type NotionRequestInit = NonNullable<Parameters<NotionFetch>[1]>;

/** The plain fetch our wrapper sends through; `globalThis.fetch` unless a caller gives another. */
type BaseFetch = (url: string, init: RequestInit) => Promise<Response>;

/** One SDK client plus what the run needs to know about its traffic. */
export interface NotionClient {
  /** The SDK client. Every request it makes goes through the limiter and retry rules. */
  readonly sdk: Client;
  /** HTTP requests sent so far per endpoint (`POST /v1/pages`, `GET /v1/blocks/:id/children`), retries included. */
  calls(): Record<string, number>;
}

/** How to build the run's Notion client; everything but the token has a production default. */
export interface NotionClientOptions {
  /** The integration token. Sent only in the Authorization header. */
  token: string;
  /** `https://api.notion.com` in production; the emulator's URL in tests. */
  baseUrl?: string;
  /** Sustained request rate for this token; default 3 (Notion's documented average). */
  requestsPerSecond?: number;
  log?: Logger;
  /**
   * The integration's pace, shared by every client that uses the token (the Worker passes its Durable
   * Object pacer); by default each client has an in-memory limiter of its own.
   */
  limiter?: RateLimiter;
  fetch?: BaseFetch;
  clock?: Clock;
  random?: () => number;
  retry?: Partial<RetryPolicy>;
  /** A single attempt that takes longer is aborted (and retried only when safe). Default 30 s. */
  attemptTimeoutMs?: number;
}

/** The default retry bounds: 4 attempts, waits of at most 20 s each and 60 s in all. */
const DEFAULT_NOTION_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxTotalWaitMs: 60_000,
};

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);
/**
 * Notion's "slow down" answers: 429 rate_limited (per connection, per workspace, or another reason in
 * `additional_data.rate_limit_reason`) and 529 service_overload. Notion did not act on the request.
 */
const SLOW_DOWN_STATUS = new Set([429, 529]);
const HEX_ID = /^[0-9a-f]{32}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The SDK's own timeout wraps our whole wrapper, rate-limit queueing included; per-attempt timeouts are
// ours, so the SDK's is set past anything a scheduled run can last.
const SDK_TIMEOUT_MS = 15 * 60 * 1000;

/** A request that never got an HTTP answer (network failure or our per-attempt timeout). */
export class NotionNetworkError extends Error {
  constructor(
    /** The endpoint, e.g. `POST /v1/pages`. */
    readonly endpoint: string,
    message: string,
  ) {
    super(message);
    this.name = "NotionNetworkError";
  }
}

/**
 * The endpoint a URL names, with ids replaced: `GET /v1/blocks/:id/children`. `basePath` is the base
 * URL's own path, if it has one (a proxy prefix), which is not part of the endpoint.
 */
export function endpointKey(method: string, url: string, basePath = ""): string {
  let path = new URL(url).pathname;
  if (basePath !== "" && path.startsWith(basePath)) path = path.slice(basePath.length);
  const segments = path.split("/").filter((segment) => segment !== "");
  // Ids sit after a collection name (/v1/pages/<id>/properties/<id>); words in those places stay.
  const named = segments.map((segment, index) =>
    HEX_ID.test(segment) || (index >= 2 && index % 2 === 0 && !/^[a-z_]+$/.test(segment)) ? ":id" : segment,
  );
  return `${method.toUpperCase()} /${named.join("/")}`;
}

/**
 * Whether a request may be sent twice without harm. Reads are; so is the data-source query, a POST only
 * because its filter is a body. Page creation and block appends are not: a retried create after a lost
 * answer could make a second agenda (the job's find-before-create handles those on its next tick).
 */
export function isSafeToRepeat(endpoint: string): boolean {
  return endpoint.startsWith("GET ") || endpoint === "POST /v1/data_sources/:id/query";
}

function describeFailure(error: unknown): string {
  if (error instanceof Error)
    return error.name === "Error" ? error.message : `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * The fetch the SDK is given: limiter, retries and counting around `options.fetch`. Exported for the
 * unit tests of the retry rules; `createNotionClient` is the way in.
 */
function createNotionFetch(options: NotionClientOptions): {
  fetch: NotionFetch;
  calls(): Record<string, number>;
} {
  const clock = options.clock ?? systemClock;
  const limiter = options.limiter ?? createRateLimiter({ perSecond: options.requestsPerSecond ?? 3, clock });
  const log = options.log ?? silentLogger;
  const policy: RetryPolicy = { ...DEFAULT_NOTION_RETRY, ...options.retry };
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 30_000;
  const baseFetch: BaseFetch = options.fetch ?? ((url, init) => fetch(url, init));
  const basePath = new URL(options.baseUrl ?? "https://api.notion.com").pathname.replace(/\/+$/, "");
  const counts: Record<string, number> = {};

  const send = async (url: string, method: string, endpoint: string, init: NotionRequestInit | undefined) => {
    await limiter.acquire();
    counts[endpoint] = (counts[endpoint] ?? 0) + 1;
    let response: Response;
    try {
      response = await baseFetch(url, {
        method,
        headers: init?.headers,
        body: init?.body,
        signal: AbortSignal.timeout(attemptTimeoutMs),
      });
    } catch (error) {
      throw new NotionNetworkError(
        endpoint,
        redact(`Could not reach Notion for ${endpoint}: ${describeFailure(error)}`, [options.token]),
      );
    }
    if (SLOW_DOWN_STATUS.has(response.status)) {
      // Everyone using this token is over the limit, not just this request: pause them all.
      const after = parseRetryAfter(response.headers.get("retry-after"), clock.now());
      if (after !== undefined) await limiter.holdFor(after);
    }
    return response;
  };

  const notionFetch: NotionFetch = (url, init) => {
    const method = (init?.method ?? "GET").toUpperCase();
    const endpoint = endpointKey(method, url, basePath);
    const repeatable = isSafeToRepeat(endpoint);
    return retry(() => send(url, method, endpoint, init), {
      ...policy,
      sleep: (ms) => clock.sleep(ms),
      random: options.random,
      decide(outcome: Attempt<Response>) {
        // No slot, nothing sent: any request may go again.
        if (!outcome.ok) return { retry: repeatable || outcome.error instanceof PaceUnavailableError };
        const { status, headers } = outcome.value;
        const afterMs = parseRetryAfter(headers.get("retry-after"), clock.now());
        // A 429 or 529 means Notion did not act on the request, so even a create may go again; without a
        // Retry-After the backoff decides the wait.
        if (SLOW_DOWN_STATUS.has(status)) return { retry: true, afterMs };
        if (RETRYABLE_STATUS.has(status) && repeatable) return { retry: true, afterMs };
        return { retry: false };
      },
      onRetry({ attempt, delayMs, outcome }) {
        log.warn("notion.retry", {
          endpoint,
          attempt,
          delayMs,
          ...(outcome.ok ? { status: outcome.value.status } : { error: errorName(outcome.error) }),
        });
        // Free the connection of an answer we will not read.
        if (outcome.ok) outcome.value.body?.cancel().catch(() => undefined);
      },
    });
  };

  return { fetch: notionFetch, calls: () => ({ ...counts }) };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "unknown";
}

/**
 * A Notion integration's client: one SDK `Client` with its own retries off (ours know which requests are
 * safe to repeat) and our fetch wrapper under it. Create one per integration token for the isolate's life
 * (runtime.ts) and pass it to every pair's destination, so that all pairs share the rate limiter.
 */
export function createNotionClient(options: NotionClientOptions): NotionClient {
  const log = options.log ?? silentLogger;
  const wrapped = createNotionFetch(options);
  const sdk = new Client({
    auth: options.token,
    baseUrl: (options.baseUrl ?? "https://api.notion.com").replace(/\/+$/, ""),
    notionVersion: NOTION_API_VERSION,
    fetch: wrapped.fetch,
    retry: false,
    timeoutMs: SDK_TIMEOUT_MS,
    logLevel: LogLevel.WARN,
    // The SDK logs failures with Notion's message; we keep the code and request id, which is what a
    // person needs to ask Notion support, and leave bodies out.
    logger: (_level, message, extra) => {
      log.debug("notion.sdk", {
        message,
        code: typeof extra.code === "string" ? extra.code : undefined,
        requestId: typeof extra.requestId === "string" ? extra.requestId : undefined,
      });
    },
  });
  return { sdk, calls: wrapped.calls };
}
