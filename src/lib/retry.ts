// Owns retrying a flaky call: exponential backoff with full jitter, a server's Retry-After honoured, and
// both the number of attempts and the total time spent waiting bounded, so a vendor outage fails a run
// in predictable time instead of stalling it. Whether an outcome may be retried is the caller's call.

/** Bounds and pacing of retries. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Backoff before the first retry is drawn from [0, baseDelayMs]; it doubles per retry. */
  baseDelayMs: number;
  /** Cap on any single backoff delay. */
  maxDelayMs: number;
  /** Cap on the sum of all waits. A wait that would pass it ends the retries instead. */
  maxTotalWaitMs: number;
}

/** What to do with one outcome: stop (return or throw it), or retry, after `afterMs` when the server said. */
type RetryDecision = { retry: false } | { retry: true; afterMs?: number };

/** The outcome of one attempt. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A policy plus what `retry` needs to decide, wait and report. */
export interface RetryOptions<T> extends RetryPolicy {
  /** Decides per outcome; `attempt` counts from 1. */
  decide(outcome: Attempt<T>, attempt: number): RetryDecision;
  sleep(ms: number): Promise<void>;
  /** In [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
  /** Called before each wait, for logging. */
  onRetry?(info: { attempt: number; delayMs: number; outcome: Attempt<T> }): void;
}

/** Full-jitter exponential backoff: uniform in [0, min(cap, base * 2^(retry - 1))]. `retry` counts from 1. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * A Retry-After header in milliseconds: delta-seconds (Notion sends whole seconds; decimals accepted) or
 * an HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number.parseFloat(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Runs `run` until `decide` says stop, the attempts are spent, or the next wait would pass the total
 * budget. Then returns the last value or throws the last error, so the caller sees the real outcome.
 */
export async function retry<T>(run: (attempt: number) => Promise<T>, options: RetryOptions<T>): Promise<T> {
  let waited = 0;
  for (let attempt = 1; ; attempt += 1) {
    let outcome: Attempt<T>;
    try {
      outcome = { ok: true, value: await run(attempt) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    const decision: RetryDecision =
      attempt < options.maxAttempts ? options.decide(outcome, attempt) : { retry: false };
    const delayMs = decision.retry
      ? (decision.afterMs ?? backoffDelay(attempt, options, options.random))
      : Number.POSITIVE_INFINITY;
    if (!decision.retry || waited + delayMs > options.maxTotalWaitMs) {
      if (outcome.ok) return outcome.value;
      throw outcome.error;
    }
    options.onRetry?.({ attempt, delayMs, outcome });
    if (delayMs > 0) await options.sleep(delayMs);
    waited += delayMs;
  }
}
