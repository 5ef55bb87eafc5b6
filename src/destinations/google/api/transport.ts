// Owns the wire under the Google client: every request waits for the acting user's pacer (Google's quotas
// are per user per minute: Docs 300 reads and 60 writes; in the Worker each quota's pace is a Durable
// Object shared by every isolate, see src/pace/), gets that user's access token, is counted per
// endpoint, and is retried by one rule set: a quota refusal (429, RESOURCE_EXHAUSTED, Drive's rate
// reasons) waits for Retry-After and goes again whatever it is, since Google did not act on it; a refused
// token is refreshed once; 5xx and lost answers are retried only for requests safe to repeat. Answers
// that are not 2xx become GoogleApiErrors; no message carries the key or a token.
import { type Logger, redact, silentLogger } from "../../../lib/log";
import {
  type Clock,
  createRateLimiter,
  type PaceSettings,
  type RateLimiter,
  systemClock,
} from "../../../lib/rate-limit";
import { type Attempt, parseRetryAfter, type RetryPolicy, retry } from "../../../lib/retry";
import type { GoogleQuota } from "../../../pace/names";
import { PaceUnavailableError } from "../../../pace/pacer";
import {
  createTokenSource,
  DEFAULT_TOKEN_URL,
  parseServiceAccountKey,
  type TokenSource,
  type TokenSourceOptions,
} from "./auth";
import { GoogleApiError, GoogleAuthError, GoogleNetworkError, quoteGoogleMessage } from "./errors";
import { googleErrorSchema } from "./schemas";

/** The plain fetch the client sends through; `globalThis.fetch` unless a test gives another. */
export type BaseFetch = (url: string, init: RequestInit) => Promise<Response>;

/** How token requests are named in the call counts. */
export const TOKEN_ENDPOINT = "POST /token";

/** Google's per-user quotas, per minute. */
interface GoogleQuotas {
  docsReadsPerMinute: number;
  docsWritesPerMinute: number;
  driveRequestsPerMinute: number;
}

/** Docs' documented per-user quotas; Drive's is far higher, paced here well below it. */
const DEFAULT_GOOGLE_QUOTAS: GoogleQuotas = {
  docsReadsPerMinute: 300,
  docsWritesPerMinute: 60,
  driveRequestsPerMinute: 600,
};

/** The default retry bounds: 5 attempts, waits of at most 32 s each and 90 s in all. */
export const DEFAULT_GOOGLE_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 32_000,
  maxTotalWaitMs: 90_000,
};

/** What the transport needs; everything but the key has a production default. */
export interface TransportOptions {
  /** The service-account key file's JSON (or the parsed object). */
  serviceAccountKey: string | unknown;
  /** Default: the key's `token_uri`, else `https://oauth2.googleapis.com/token`. */
  tokenUrl?: string;
  log?: Logger;
  fetch?: BaseFetch;
  clock?: Clock;
  random?: () => number;
  retry?: Partial<RetryPolicy>;
  quotas?: Partial<GoogleQuotas>;
  /** A single attempt that takes longer is aborted (and retried only when safe). Default 30 s. */
  attemptTimeoutMs?: number;
  /**
   * The pace of one quota of one acting user, shared by everyone who spends it (the Worker passes its
   * Durable Object pacers); by default an in-memory limiter per transport.
   */
  limiterFor?(quota: QuotaPace): RateLimiter;
}

/** One quota of one acting user: whose it is and the pace that keeps within it. */
interface QuotaPace {
  /** The service account's email. */
  serviceAccount: string;
  /** The delegated user, or null when the service account acts as itself. */
  subject: string | null;
  lane: Lane;
  settings: PaceSettings;
}

/** Which of the acting user's pacers a request waits for. */
type Lane = GoogleQuota;

/** One request, as the client describes it. */
export interface CallSpec {
  method: "GET" | "POST" | "PATCH";
  url: string;
  endpoint: string;
  lane: Lane;
  /** Safe to send again after a 5xx or a lost answer. */
  repeatable: boolean;
  body?: unknown;
  subject: string | null;
}

interface RawAnswer {
  status: number;
  retryAfter: string | null;
  text: string;
  token: string;
}

const RATE_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded"]);

/**
 * A pace that keeps within `perMinute` over any minute while letting a short burst through at once:
 * a burst of B plus (60 s × rate) must not pass the quota, so the rate is set to leave room for it.
 */
function perMinutePace(perMinute: number): PaceSettings {
  const burst = Math.max(1, Math.floor(perMinute / 10));
  return { perSecond: Math.max(1e-3, (perMinute - burst) / 60), burst };
}

function googleError(endpoint: string, answer: RawAnswer): GoogleApiError {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(answer.text);
  } catch {
    parsed = null;
  }
  const body = googleErrorSchema.safeParse(parsed);
  if (!body.success) {
    // Not Google's JSON error shape (a proxy's HTML page, say): only the status is worth keeping.
    return new GoogleApiError(endpoint, answer.status, null, null, `HTTP ${answer.status}`);
  }
  const { message, status, errors } = body.data.error;
  return new GoogleApiError(
    endpoint,
    answer.status,
    status ?? null,
    errors?.find((entry) => entry.reason !== undefined)?.reason ?? null,
    quoteGoogleMessage(message ?? `HTTP ${answer.status}`),
  );
}

/**
 * Whether Google refused for quota: HTTP 429, the RESOURCE_EXHAUSTED status, or Drive's 403 with a rate
 * reason. Google did not act on such a request, so it may be sent again whatever it is.
 */
function isQuotaRefusal(answer: RawAnswer): boolean {
  if (answer.status === 429) return true;
  if (answer.status < 400 || answer.status >= 500) return false;
  try {
    const body = googleErrorSchema.safeParse(JSON.parse(answer.text));
    if (!body.success) return false;
    const { status, errors } = body.data.error;
    return (
      status === "RESOURCE_EXHAUSTED" ||
      (answer.status === 403 && (errors ?? []).some((entry) => RATE_REASONS.has(entry.reason ?? "")))
    );
  } catch {
    return false;
  }
}

/** The requests of one run, and what they cost. */
export interface Transport {
  /** The service account's email, or null when the key could not be read. */
  readonly serviceAccountEmail: string | null;
  /** Sends one request by the rules in the file header; the parsed JSON of a 2xx answer. */
  call(spec: CallSpec): Promise<unknown>;
  /** HTTP requests sent so far per endpoint, retries and token requests included. */
  calls(): Record<string, number>;
}

/** The key's parts the transport keeps, or the problem every call reports when the key is not usable. */
type KeyState =
  | { ok: true; tokens: TokenSource; privateKey: string; serviceAccountEmail: string }
  | { ok: false; problem: GoogleAuthError };

/** A bad key fails every call with the same clear message instead of failing the whole run at start-up. */
function loadKey(options: TransportOptions, source: Omit<TokenSourceOptions, "key" | "tokenUrl">): KeyState {
  try {
    const key = parseServiceAccountKey(options.serviceAccountKey);
    const tokens = createTokenSource({
      ...source,
      key,
      tokenUrl: options.tokenUrl ?? key.token_uri ?? DEFAULT_TOKEN_URL,
    });
    return { ok: true, tokens, privateKey: key.private_key, serviceAccountEmail: key.client_email };
  } catch (error) {
    const problem =
      error instanceof GoogleAuthError
        ? error
        : new GoogleAuthError("key", "The Google service-account key is not usable");
    return { ok: false, problem };
  }
}

/** One HTTP attempt of `spec` with `token`; a lost connection (or body) is a GoogleNetworkError. */
async function sendOnce(
  baseFetch: BaseFetch,
  spec: CallSpec,
  token: string,
  timeoutMs: number,
): Promise<RawAnswer> {
  try {
    const response = await baseFetch(spec.url, {
      method: spec.method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/json",
        ...(spec.body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Reading the body is part of getting an answer: a connection lost half-way is no answer either.
    return {
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      text: await response.text(),
      token,
    };
  } catch (error) {
    throw new GoogleNetworkError(
      spec.endpoint,
      `Could not reach Google for ${spec.endpoint} (${errorName(error)})`,
    );
  }
}

/**
 * Whether an attempt goes again, by the rules in the file header. `refresh`: the token was refused and
 * must be invalidated first (once per call: `refreshed` says it was done already).
 */
export function retryDecision(
  spec: Pick<CallSpec, "repeatable">,
  outcome: Attempt<RawAnswer>,
  refreshed: boolean,
  nowMs: number,
): { retry: boolean; afterMs?: number | undefined; refresh?: true } {
  if (!outcome.ok) {
    // No slot, nothing sent: any request may go again.
    if (outcome.error instanceof PaceUnavailableError) return { retry: true };
    return { retry: outcome.error instanceof GoogleNetworkError && spec.repeatable };
  }
  const { status, retryAfter } = outcome.value;
  const afterMs = parseRetryAfter(retryAfter, nowMs);
  // Google did not act on a request it refused for quota, so even an insert may go again.
  if (isQuotaRefusal(outcome.value)) return { retry: true, afterMs };
  // An expired or revoked token was not acted on either: fetch a new one, once.
  if (status === 401 && !refreshed) return { retry: true, afterMs: 0, refresh: true };
  if (status >= 500 && spec.repeatable) return { retry: true, afterMs };
  return { retry: false };
}

/** The parsed JSON of a final answer (`{}` when empty); a GoogleApiError when it is not 2xx or not JSON. */
export function answerBody(endpoint: string, answer: RawAnswer): unknown {
  if (answer.status < 200 || answer.status >= 300) throw googleError(endpoint, answer);
  if (answer.text === "") return {};
  try {
    return JSON.parse(answer.text);
  } catch {
    throw new GoogleApiError(endpoint, answer.status, null, null, "the answer is not JSON");
  }
}

/** One limiter per acting user and lane, made on first use. */
function limiterPool(
  makeLimiter: (quota: QuotaPace) => RateLimiter,
  quotas: GoogleQuotas,
  serviceAccount: string,
): (subject: string | null, lane: Lane) => RateLimiter {
  const perMinute: Record<Lane, number> = {
    docsRead: quotas.docsReadsPerMinute,
    docsWrite: quotas.docsWritesPerMinute,
    drive: quotas.driveRequestsPerMinute,
  };
  const limiters = new Map<string, RateLimiter>();
  return (subject, lane) => {
    const slot = `${lane}:${subject ?? ""}`;
    let found = limiters.get(slot);
    if (found === undefined) {
      found = makeLimiter({ serviceAccount, subject, lane, settings: perMinutePace(perMinute[lane]) });
      limiters.set(slot, found);
    }
    return found;
  };
}

/** The run's transport: one token cache and one set of per-user pacers for all pairs. */
export function createTransport(options: TransportOptions): Transport {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const policy: RetryPolicy = { ...DEFAULT_GOOGLE_RETRY, ...options.retry };
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 30_000;
  const baseFetch: BaseFetch = options.fetch ?? ((url, init) => fetch(url, init));
  const counts: Record<string, number> = {};
  const count = (endpoint: string) => {
    counts[endpoint] = (counts[endpoint] ?? 0) + 1;
  };
  const key = loadKey(options, {
    fetch: baseFetch,
    clock,
    log,
    random: options.random,
    retry: policy,
    attemptTimeoutMs,
    onAttempt: () => count(TOKEN_ENDPOINT),
  });
  const serviceAccountEmail = key.ok ? key.serviceAccountEmail : null;
  const limiterFor = limiterPool(
    options.limiterFor ?? ((quota: QuotaPace) => createRateLimiter({ ...quota.settings, clock })),
    { ...DEFAULT_GOOGLE_QUOTAS, ...options.quotas },
    serviceAccountEmail ?? "",
  );

  const call = async (spec: CallSpec): Promise<unknown> => {
    if (!key.ok) throw key.problem;
    const { tokens, privateKey } = key;
    const secrets = (): string[] => [privateKey, ...tokens.secrets()];
    const limiter = limiterFor(spec.subject, spec.lane);
    let refreshed = false;

    const send = async (): Promise<RawAnswer> => {
      await limiter.acquire();
      const token = await tokens.token(spec.subject);
      count(spec.endpoint);
      const answer = await sendOnce(baseFetch, spec, token, attemptTimeoutMs);
      if (isQuotaRefusal(answer)) {
        // Everyone acting as this user is over this quota, not just this request: pause them all.
        const after = parseRetryAfter(answer.retryAfter, clock.now());
        if (after !== undefined) await limiter.holdFor(after);
      }
      return answer;
    };

    const answer = await retry(send, {
      ...policy,
      sleep: (ms) => clock.sleep(ms),
      random: options.random,
      decide(outcome: Attempt<RawAnswer>) {
        const { refresh, ...decision } = retryDecision(spec, outcome, refreshed, clock.now());
        if (refresh === true && outcome.ok) {
          refreshed = true;
          tokens.invalidate(spec.subject, outcome.value.token);
        }
        return decision;
      },
      onRetry({ attempt, delayMs, outcome }) {
        log.warn("google.retry", {
          endpoint: spec.endpoint,
          attempt,
          delayMs,
          ...(outcome.ok ? { status: outcome.value.status } : { error: errorName(outcome.error) }),
        });
      },
    }).catch((error: unknown) => {
      throw scrub(error, secrets());
    });
    try {
      return answerBody(spec.endpoint, answer);
    } catch (error) {
      throw scrub(error, secrets());
    }
  };

  return { serviceAccountEmail, call, calls: () => ({ ...counts }) };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "unknown";
}

/** The error with any secret the client holds cut out of its message (belt and braces: none should be there). */
function scrub(error: unknown, secrets: readonly string[]): unknown {
  if (!(error instanceof Error)) return error;
  const cleaned = redact(error.message, secrets);
  if (cleaned !== error.message) error.message = cleaned;
  return error;
}
