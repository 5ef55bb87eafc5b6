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
// Secrets convention. A delivery stores only `secret_name`, the name of a Worker secret:
//   - every webhook channel (slack, teams, discord, google-chat, webhook): that secret holds the URL;
//   - `webhook` (generic, Standard Webhooks): the signing secret (`whsec_<base64>`) is in the secret
//     named `${secret_name}_SIGNING_SECRET`, e.g. ACME_DIGEST_URL and ACME_DIGEST_URL_SIGNING_SECRET.
//     Deriving the name keeps one name per channel in the pair's config, and keeps the two secrets
//     side by side in `wrangler secret list`.
//   - `email`: `secret_name` is the NAME of the send_email binding (payload `via: "cloudflare"`, reached
//     through the `binding` option) or of the secret holding the SMTP URL (`via: "smtp"`; format in
//     email/smtp-url.ts). The payload is the stored message (email/message.ts), composed into MIME at
//     send time with the delivery id as its Message-ID, so receivers can drop repeats by it too.
import { SIGNING_SECRET_SUFFIX } from "../domain/channels";
import { DELIVERY_CLAIM_LEASE_MS } from "../domain/leases";
import type { Logger } from "../lib/log";
import { errorMessage } from "../lib/log";
import { mapWithConcurrency } from "../lib/pool";
import { backoffDelay } from "../lib/retry";
import type { DeliveryChannel, DeliveryRecord, DeliveryStore } from "../store/deliveries";
import type { EmailOutcome } from "./email/outcome";
import { sendEmailDelivery } from "./email/send";
import type { SendOutcome } from "./http-sender";
import { postJson } from "./http-sender";
import { SigningSecretError, standardWebhookHeaders } from "./standard-webhooks";

/** The channels posted as JSON to a webhook URL. */
const WEBHOOK_CHANNELS: readonly DeliveryChannel[] = ["slack", "teams", "discord", "google-chat", "webhook"];

/** Every channel this outbox claims and sends. */
export const OUTBOX_CHANNELS: readonly DeliveryChannel[] = [...WEBHOOK_CHANNELS, "email"];

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
  | { id: string; channel: DeliveryChannel; status: "delivered"; attempts: number }
  | {
      id: string;
      channel: DeliveryChannel;
      status: "retry";
      attempts: number;
      nextAttemptAt: number;
      reason: string;
    }
  | { id: string; channel: DeliveryChannel; status: "failed"; attempts: number; reason: string }
  /** Its moment passed (its meeting began, or would before the next attempt): no longer sent. */
  | { id: string; channel: DeliveryChannel; status: "expired"; attempts: number; reason: string }
  /** The run's claim was lost (it expired and another run took the row) or the store write failed. */
  | { id: string; channel: DeliveryChannel; status: "unrecorded"; attempts: number; reason: string };

export interface DeliverDueResult {
  /** Rows that were due when the run looked; a full batch means more may be waiting. */
  due: number;
  /** Rows this run claimed and sent (another run may have taken some of the due ones first). */
  claimed: number;
  /** Rows whose moment had passed before this run could claim them; marked expired, not sent. */
  expired: number;
  results: DeliveryResult[];
}

/** What one attempt came to, whatever the channel. */
type Outcome = SendOutcome | EmailOutcome | { kind: "unsendable"; reason: string };

/** What to send for one delivery, or why it cannot be sent at all. */
type Prepared = { ok: true; url: string; headers: Record<string, string> } | { ok: false; reason: string };

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

async function prepare(
  delivery: DeliveryRecord,
  secrets: (name: string) => string | undefined,
  signedAtMs: number,
): Promise<Prepared> {
  const url = secrets(delivery.secretName);
  if (url === undefined || url.trim() === "")
    return { ok: false, reason: `secret ${delivery.secretName} is not set` };
  if (!isHttpUrl(url.trim())) {
    return { ok: false, reason: `secret ${delivery.secretName} does not hold an http(s) URL` };
  }
  if (delivery.channel !== "webhook") return { ok: true, url: url.trim(), headers: {} };
  const signingName = `${delivery.secretName}${SIGNING_SECRET_SUFFIX}`;
  const signingSecret = secrets(signingName);
  if (signingSecret === undefined || signingSecret.trim() === "") {
    return { ok: false, reason: `secret ${signingName} is not set` };
  }
  try {
    const headers = await standardWebhookHeaders({
      secret: signingSecret,
      id: delivery.id,
      nowMs: signedAtMs,
      body: delivery.payload,
      label: `secret ${signingName}`,
    });
    return { ok: true, url: url.trim(), headers: { ...headers } };
  } catch (error) {
    // SigningSecretError messages name the secret, never its value; anything else is summarised.
    return {
      ok: false,
      reason:
        error instanceof SigningSecretError ? error.message : `could not sign with secret ${signingName}`,
    };
  }
}

/** What sending one delivery needs: `deliverDue`'s options less the selection of due rows. */
export type DeliverOneOptions = Omit<DeliverDueOptions, "pairId">;

/**
 * Sends the delivery `id` once if it is still due: claims it (its lease starts now, as the send does),
 * sends it and records the outcome. Null when it was not due (delivered, claimed by a live run,
 * expired, not due yet). The unit of work of a queue message, and of `deliverDue`.
 */
export function deliveryRunner(options: DeliverOneOptions): (id: string) => Promise<DeliveryResult | null> {
  const policy: OutboxPolicy = { ...DEFAULT_OUTBOX_POLICY, ...options.policy };
  const token = options.runId ?? crypto.randomUUID();
  const { store, log } = options;
  const clock = options.clock ?? (() => options.nowMs);

  const attempt = async (delivery: DeliveryRecord, nowMs: number): Promise<Outcome> => {
    if (delivery.channel === "email") {
      return sendEmailDelivery(delivery, {
        secrets: options.secrets,
        binding: options.binding,
        timeoutMs: policy.timeoutMs,
        sessionTimeoutMs: policy.smtpSessionTimeoutMs,
        nowMs,
        allowPrivateHosts: options.allowPrivateHosts ?? false,
      });
    }
    const prepared = await prepare(delivery, options.secrets, (options.signingClock ?? Date.now)());
    // A delivery that cannot be sent (no secret, bad URL, bad signing secret) needs a person, like a 4xx.
    if (!prepared.ok) return { kind: "unsendable", reason: prepared.reason };
    return postJson({
      url: prepared.url,
      body: delivery.payload,
      headers: prepared.headers,
      channel: delivery.channel,
      secretName: delivery.secretName,
      allowPrivateHosts: options.allowPrivateHosts ?? false,
      timeoutMs: policy.timeoutMs,
      fetch: options.fetch,
      nowMs,
    });
  };

  const sendOne = async (delivery: DeliveryRecord, claimedAt: number): Promise<DeliveryResult> => {
    const base = { id: delivery.id, channel: delivery.channel, attempts: delivery.attempts };
    const fields = { id: delivery.id, meetingKey: delivery.meetingKey, channel: delivery.channel };
    try {
      const outcome = await attempt(delivery, claimedAt);
      const nowMs = clock();

      if (outcome.kind === "delivered") {
        if (!(await store.markDelivered(delivery.id, token, nowMs))) {
          log.warn("outbox.claim_lost", { ...fields, after: "delivered" });
          return { ...base, status: "unrecorded", reason: "claim lost before recording delivery" };
        }
        log.info("outbox.delivered", { ...fields, attempts: delivery.attempts });
        return { ...base, status: "delivered" };
      }

      if (outcome.kind === "retry" && delivery.attempts < policy.maxAttempts) {
        const retryAfterMs = "retryAfterMs" in outcome ? outcome.retryAfterMs : undefined;
        const waitMs =
          retryAfterMs === undefined
            ? backoffDelay(
                delivery.attempts,
                { ...policy, maxTotalWaitMs: Number.POSITIVE_INFINITY },
                options.random,
              )
            : Math.min(retryAfterMs, policy.maxRetryAfterMs);
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
        log.warn("outbox.retry", {
          ...fields,
          attempts: delivery.attempts,
          reason: outcome.reason,
          nextAttemptAt,
        });
        return { ...base, status: "retry", nextAttemptAt, reason: outcome.reason };
      }

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
    } catch (error) {
      // The senders never throw, so this is the store (or the secrets or bindings reader). The row stays
      // claimed until the lease ends and is then sent again, which receivers absorb by id; the other
      // deliveries go on.
      const reason = `unexpected error: ${errorMessage(error)}`;
      log.error("outbox.unrecorded", { ...fields, reason });
      return { ...base, status: "unrecorded", reason };
    }
  };

  // Each row is claimed just before its send, never a batch up front: a row that waited behind a slow
  // receiver could otherwise outlive its lease, be taken over by another run and then be sent twice.
  return async (id) => {
    const claimedAt = clock();
    const delivery = await store.claim(id, { token, nowMs: claimedAt, leaseMs: policy.leaseMs });
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
