// The claims' default leases and the work queue's first retry delay, in one place for the jobs that use
// them and for the settings that change them (MEETING_CLAIM_LEASE_SECONDS, DELIVERY_CLAIM_LEASE_SECONDS,
// WORK_RETRY_FIRST_DELAY_SECONDS in src/env.ts).

/**
 * A meeting's claim. Long enough for one meeting's calls, even paced behind other consumers and retried
 * after a 429; short enough that a crashed run's meeting is taken over within a tick or two. Counted on
 * the real clock from the claim, and again from the ledger write just before the agenda is created.
 */
export const MEETING_CLAIM_LEASE_MS = 10 * 60 * 1000;

/**
 * A digest delivery's claim, taken just before its send: well above one send's timeout (10 s, 30 s for
 * an SMTP session), so a send never outlives its claim.
 */
export const DELIVERY_CLAIM_LEASE_MS = 5 * 60 * 1000;

/**
 * The work queue's delay before retrying work that failed for a passing reason (a vendor's 5xx, a 429
 * past its pause). Each later retry doubles it, up to 20 times the first: 30 s, 1 min, 2 min, 4 min,
 * 8 min, then every 10 min until the queue's retries run out.
 */
export const WORK_RETRY_FIRST_DELAY_MS = 30 * 1000;
