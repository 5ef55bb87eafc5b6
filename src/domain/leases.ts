// The claims' default leases, in one place for the jobs that take claims and for the settings that
// change them (MEETING_CLAIM_LEASE_SECONDS, DELIVERY_CLAIM_LEASE_SECONDS in src/env.ts).

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
