// Sends the digests that are due: claims them from the outbox, posts each on its own (one failing
// channel never holds back another), and records the outcome: delivered, retried later with backoff
// (or when the receiver's Retry-After says), or failed with a reason a person can act on. Delivery is
// at least once: a run that dies after sending but before recording leaves the row to be sent again
// when its claim expires, with the same id and bytes, so receivers that drop repeats by id see it once.
// A digest whose moment has passed (its meeting has begun) is not sent but marked expired, with why.
//
// Time. The outbox is about real elapsed time (backoff, Retry-After, claim leases, expiry), so it runs on
// the real clock, never on a tick's scheduled time or a manual run's `at`: a run "at" next year must not
// send what is not due yet nor park a retry a year away. Callers read the clock they were given (tests
// pass their own).
//
// How each channel is posted (JSON, signed per Standard Webhooks, or email) and which secrets it reads
// are its sender's, in notify/channels/senders.ts; this loop only claims, sends and records.
import { DIGEST_CHANNEL_NAMES, type DigestChannelName } from "../domain/channels";
import { DELIVERY_CLAIM_LEASE_MS } from "../domain/leases";
import type { Logger } from "../lib/log";
import { errorMessage } from "../lib/log";
import { mapWithConcurrency } from "../lib/pool";
import { backoffDelay } from "../lib/retry";
import { CHANNELS } from "../notify/channels/index";
import type { SendContext, SendResult } from "../notify/channels/senders";
import type { DeliveryRecord, DeliveryStore } from "../store/deliveries";

/** Every channel this outbox claims and sends: all of them, each through its registry entry's sender. */
export const OUTBOX_CHANNELS: readonly DigestChannelName[] = DIGEST_CHANNEL_NAMES;

interface OutboxPolicy {
  /** Sends in all, the first included; a delivery still failing after these is marked failed. */
  maxAttempts: number;
  /** Backoff before the first retry is drawn from [0, baseDelayMs]; it doubles per retry (full jitter). */
  baseDelayMs: number;
  /** Cap on one backoff. */
  maxDelayMs: number;
  /** Cap on a receiver's Retry-After, so a bogus "retry in a year" cannot park a digest forever. */
  maxRetryAfterMs: number;
  /** Per request; for email, per SMTP reply or binding call. */
  timeoutMs: number;
  /** Per SMTP session, which takes about ten round trips; keeps concurrency * batch well inside the lease. */
  smtpSessionTimeoutMs: number;
  /** How long a run owns what it claimed; well above batchSize / concurrency * timeoutMs. */
  leaseMs: number;
  /** Rows claimed per run: bounds a run's subrequests and time. */
  batchSize: number;
  /** Requests in flight at once. */
  concurrency: number;
}

/**
 * Retries spread over about a day with the cron's minutes-long ticks: 1, 2, 4 ... up to 6 h ceilings,
 * eight sends in all, before a person is asked to look.
 */
const DEFAULT_OUTBOX_POLICY: OutboxPolicy = {
  maxAttempts: 8,
  baseDelayMs: 60_000,
  maxDelayMs: 6 * 3_600_000,
  maxRetryAfterMs: 24 * 3_600_000,
  timeoutMs: 10_000,
  smtpSessionTimeoutMs: 30_000,
  leaseMs: DELIVERY_CLAIM_LEASE_MS,
  batchSize: 25,
  concurrency: 5,
};

export interface DeliverDueOptions {
  store: DeliveryStore;
  /** Reads a Worker secret by name. */
  secrets: (name: string) => string | undefined;
  /**
   * Reads a binding by name, for email sent through Cloudflare's send_email binding (e.g.
   * `(name) => Reflect.get(env, name)`). The value is checked at use; a delivery whose binding is absent
   * or not a send_email binding fails with a reason naming it. Without this option, such deliveries fail.
   */
  binding?: (name: string) => unknown;
  fetch: typeof fetch;
  /**
   * Whether digests may go to loopback, private and other non-public hosts, and over plain http
   * (ALLOW_PRIVATE_DIGEST_HOSTS; see address-rule.ts). False when not given.
   */
  allowPrivateHosts?: boolean;
  /**
   * The real clock's now when the run starts (never a tick's scheduled time): due rows, expiry, leases,
   * backoff and the records are reckoned from it.
   */
  nowMs: number;
  /**
   * The real clock, read when each row is claimed and recorded, so a claim's lease starts with its send
   * however long the run has been going. Defaults to `nowMs` throughout.
   */
  clock?: () => number;
  /** Only this pair's deliveries (a manual run for one pair); otherwise every pair's and every roll-up's. */
  pairId?: string;
  /**
   * The receivers' clock, for the one value a receiver checks against its own clock: the Standard
   * Webhooks timestamp. Defaults to `Date.now`; tests that run the outbox on a clock of their own keep
   * signing with this one, since the receiver checks against the real time.
   */
  signingClock?: () => number;
  log: Logger;
  /** Identifies this run's claim; a fresh UUID when not given. */
  runId?: string;
  policy?: Partial<OutboxPolicy>;
  /** In [0, 1), for the backoff jitter; injectable so tests can pin it. */
  random?: () => number;
}

export type DeliveryResult =
  | { id: string; channel: DigestChannelName; status: "delivered"; attempts: number }
  | {
      id: string;
      channel: DigestChannelName;
      status: "retry";
      attempts: number;
      nextAttemptAt: number;
      reason: string;
    }
  | { id: string; channel: DigestChannelName; status: "failed"; attempts: number; reason: string }
  /** Its moment passed (its meeting began, or would before the next attempt): no longer sent. */
  | { id: string; channel: DigestChannelName; status: "expired"; attempts: number; reason: string }
  /** The run's claim was lost (it expired and another run took the row) or the store write failed. */
  | { id: string; channel: DigestChannelName; status: "unrecorded"; attempts: number; reason: string };

export interface DeliverDueResult {
  /** Rows that were due when the run looked; a full batch means more may be waiting. */
  due: number;
  /** Rows this run claimed and sent (another run may have taken some of the due ones first). */
  claimed: number;
  /** Rows whose moment had passed before this run could claim them; marked expired, not sent. */
  expired: number;
  results: DeliveryResult[];
}

/** What sending one delivery needs: `deliverDue`'s options less the selection of due rows. */
export type DeliverOneOptions = Omit<DeliverDueOptions, "pairId">;

/** What one run's sends share: its policy, its claim's token, the store, the log and the clock. */
interface Run {
  policy: OutboxPolicy;
  token: string;
  store: DeliveryStore;
  log: Logger;
  clock: () => number;
  random: (() => number) | undefined;
}

/** The log fields and the result's base for one delivery. */
function about(delivery: DeliveryRecord) {
  return {
    base: { id: delivery.id, channel: delivery.channel, attempts: delivery.attempts },
    fields: { id: delivery.id, meetingKey: delivery.meetingKey, channel: delivery.channel },
  };
}

/** What a channel's sender needs for an attempt claimed at `nowMs`. */
function sendContext(options: DeliverOneOptions, policy: OutboxPolicy, nowMs: number): SendContext {
  return {
    secrets: options.secrets,
    binding: options.binding,
    fetch: options.fetch,
    allowPrivateHosts: options.allowPrivateHosts ?? false,
    timeoutMs: policy.timeoutMs,
    smtpSessionTimeoutMs: policy.smtpSessionTimeoutMs,
    nowMs,
    signingClock: options.signingClock ?? Date.now,
  };
}

/** Records a retry after backoff (or the receiver's Retry-After), or expiry if waiting would only end in one. */
async function recordRetry(
  run: Run,
  delivery: DeliveryRecord,
  outcome: { reason: string; retryAfterMs?: number },
  nowMs: number,
): Promise<DeliveryResult> {
  const { base, fields } = about(delivery);
  const { policy, store, log, token } = run;
  const waitMs =
    outcome.retryAfterMs === undefined
      ? backoffDelay(delivery.attempts, { ...policy, maxTotalWaitMs: Number.POSITIVE_INFINITY }, run.random)
      : Math.min(outcome.retryAfterMs, policy.maxRetryAfterMs);
  const nextAttemptAt = nowMs + waitMs;
  if (delivery.expiresAt !== null && nextAttemptAt >= delivery.expiresAt) {
    // Waiting would only end in expiry: say so now, rather than show a retry that will never be made.
    const reason = await store.markExpired(delivery.id, token, outcome.reason, nowMs);
    if (reason === null) {
      log.warn("outbox.claim_lost", { ...fields, after: "expired" });
      return { ...base, status: "unrecorded", reason: "claim lost before recording expiry" };
    }
    log.warn("outbox.expired", { ...fields, attempts: delivery.attempts, reason });
    return { ...base, status: "expired", reason };
  }
  if (!(await store.retryLater(delivery.id, token, outcome.reason, nextAttemptAt, nowMs))) {
    log.warn("outbox.claim_lost", { ...fields, after: "retry" });
    return { ...base, status: "unrecorded", reason: "claim lost before recording retry" };
  }
  log.warn("outbox.retry", { ...fields, attempts: delivery.attempts, reason: outcome.reason, nextAttemptAt });
  return { ...base, status: "retry", nextAttemptAt, reason: outcome.reason };
}

/** Records what one attempt came to: delivered, a retry (or expiry), or failed. */
async function record(
  run: Run,
  delivery: DeliveryRecord,
  outcome: SendResult,
  nowMs: number,
): Promise<DeliveryResult> {
  const { base, fields } = about(delivery);
  const { store, log, token } = run;
  if (outcome.kind === "delivered") {
    if (!(await store.markDelivered(delivery.id, token, nowMs))) {
      log.warn("outbox.claim_lost", { ...fields, after: "delivered" });
      return { ...base, status: "unrecorded", reason: "claim lost before recording delivery" };
    }
    log.info("outbox.delivered", { ...fields, attempts: delivery.attempts });
    return { ...base, status: "delivered" };
  }
  if (outcome.kind === "retry" && delivery.attempts < run.policy.maxAttempts) {
    return recordRetry(run, delivery, outcome, nowMs);
  }
  // A delivery that cannot be sent (no secret, bad URL, bad signing secret) needs a person, like a 4xx.
  const reason =
    outcome.kind === "retry"
      ? `gave up after ${delivery.attempts} attempts: ${outcome.reason}`
      : outcome.reason;
  if (!(await store.markFailed(delivery.id, token, reason, nowMs))) {
    log.warn("outbox.claim_lost", { ...fields, after: "failed" });
    return { ...base, status: "unrecorded", reason: "claim lost before recording failure" };
  }
  log.error("outbox.failed", { ...fields, attempts: delivery.attempts, reason });
  return { ...base, status: "failed", reason };
}

/**
 * Sends the delivery `id` once if it is still due: claims it (its lease starts now, as the send does),
 * sends it through its channel's sender and records the outcome. Null when it was not due (delivered,
 * claimed by a live run, expired, not due yet). The unit of work of a queue message, and of `deliverDue`.
 */
export function deliveryRunner(options: DeliverOneOptions): (id: string) => Promise<DeliveryResult | null> {
  const run: Run = {
    policy: { ...DEFAULT_OUTBOX_POLICY, ...options.policy },
    token: options.runId ?? crypto.randomUUID(),
    store: options.store,
    log: options.log,
    clock: options.clock ?? (() => options.nowMs),
    random: options.random,
  };

  const sendOne = async (delivery: DeliveryRecord, claimedAt: number): Promise<DeliveryResult> => {
    try {
      const { sender } = CHANNELS[delivery.channel];
      const outcome = await sender.send(delivery, sendContext(options, run.policy, claimedAt));
      return await record(run, delivery, outcome, run.clock());
    } catch (error) {
      // The senders never throw, so this is the store (or the secrets or bindings reader). The row stays
      // claimed until the lease ends and is then sent again, which receivers absorb by id; the other
      // deliveries go on.
      const { base, fields } = about(delivery);
      const reason = `unexpected error: ${errorMessage(error)}`;
      run.log.error("outbox.unrecorded", { ...fields, reason });
      return { ...base, status: "unrecorded", reason };
    }
  };

  // Each row is claimed just before its send, never a batch up front: a row that waited behind a slow
  // receiver could otherwise outlive its lease, be taken over by another run and then be sent twice.
  return async (id) => {
    const claimedAt = run.clock();
    const delivery = await run.store.claim(id, {
      token: run.token,
      nowMs: claimedAt,
      leaseMs: run.policy.leaseMs,
    });
    return delivery === null ? null : sendOne(delivery, claimedAt);
  };
}

/** Sends the due deliveries, each claimed and sent once; see the file header for the guarantees. */
export async function deliverDue(options: DeliverDueOptions): Promise<DeliverDueResult> {
  const policy: OutboxPolicy = { ...DEFAULT_OUTBOX_POLICY, ...options.policy };
  const { store, log, nowMs } = options;
  const scope = options.pairId === undefined ? {} : { pairId: options.pairId };
  const expired = await expireOverdue(store, log, { nowMs, ...scope });
  const due = await store.dueIds({ nowMs, limit: policy.batchSize, channels: OUTBOX_CHANNELS, ...scope });
  if (due.length > 0) log.info("outbox.due", { count: due.length });
  const send = deliveryRunner({ ...options, runId: options.runId ?? crypto.randomUUID() });
  const results = await mapWithConcurrency(due, policy.concurrency, send);
  const sent = results.flatMap((result) => (result === null ? [] : [result]));
  return { due: due.length, claimed: sent.length, expired: expired, results: sent };
}

/** Marks expired what is owed but whose moment has passed, and logs each; returns how many. */
export async function expireOverdue(
  store: DeliveryStore,
  log: Logger,
  request: { nowMs: number; pairId?: string },
): Promise<number> {
  const expired = await store.expireDue(request);
  for (const row of expired) {
    log.warn("outbox.expired", {
      id: row.id,
      meetingKey: row.meetingKey,
      channel: row.channel,
      reason: row.lastError,
    });
  }
  return expired.length;
}
