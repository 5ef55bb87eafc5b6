// The bounds on what a person can send the admin API, in one place so the README, the schemas and the
// tests agree. Each is far above real use and far below what would hurt: D1 holds a row of up to 2 MB
// and a statement of up to 100 KB, and every tick reads every pair.

/** A pair as stored (its JSON, in bytes): well under D1's statement and row limits. */
export const MAX_PAIR_JSON_BYTES = 64 * 1024;

/** Skip dates per schedule: a few years of holidays. */
export const MAX_SKIP_DATES = 500;

/** Digest channels per pair, and per manager's roll-up. */
export const MAX_CHANNELS = 20;

/** Recipients in one email channel's `to`. */
export const MAX_RECIPIENTS = 50;

/** An email address (RFC 5321's limit on a forward path). */
export const MAX_EMAIL_LENGTH = 254;

/** The name of a Worker secret or binding. */
export const MAX_SECRET_NAME_LENGTH = 100;

/** A pasted id or address (Notion ids, Google ids and their URLs). */
export const MAX_ID_INPUT_LENGTH = 2_000;

/** Pairs in one bulk import. */
export const MAX_IMPORT_PAIRS = 10_000;

/** A request body on any admin route but the bulk import. */
export const MAX_BODY_BYTES = 128 * 1024;

/** A bulk import's request body: room for the largest import above. */
export const MAX_IMPORT_BODY_BYTES = 8 * 1024 * 1024;
