// The names of the bindings the Worker itself reads (src/env.ts): the database, the vendors' pace
// objects, the admin token, the vendors' credentials and every setting. A digest channel must not name
// one, or its value would be sent out as a webhook or SMTP URL. env.ts takes its list of settings from
// here (it needs the Workers runtime's types, which the scripts that share the domain code do not
// have); a test keeps the reserved names equal to the keys env.ts parses.

/** The bindings that are settings, not secrets: every other string binding is redacted from logs. */
export const SETTING_NAMES: ReadonlySet<string> = new Set([
  "NOTION_API_BASE_URL",
  "NOTION_REQUESTS_PER_SECOND",
  "GOOGLE_TOKEN_URL",
  "GOOGLE_DOCS_API_BASE_URL",
  "GOOGLE_DRIVE_API_BASE_URL",
  "GOOGLE_DOCS_READS_PER_MINUTE",
  "GOOGLE_DOCS_WRITES_PER_MINUTE",
  "LOG_LEVEL",
  "ALLOW_PRIVATE_DIGEST_HOSTS",
  "DEAD_LETTER_QUEUE",
  "MEETING_CLAIM_LEASE_SECONDS",
  "DELIVERY_CLAIM_LEASE_SECONDS",
  "WORK_RETRY_FIRST_DELAY_SECONDS",
  "ACCESS_TEAM_DOMAIN",
  "ACCESS_AUD",
]);

export const RESERVED_BINDING_NAMES: ReadonlySet<string> = new Set([
  "DB",
  "PACE",
  "WORK_QUEUE",
  "ADMIN_TOKEN",
  "NOTION_TOKEN",
  "NOTION_WEBHOOK_VERIFICATION_TOKEN",
  "GOOGLE_SERVICE_ACCOUNT_KEY",
  ...SETTING_NAMES,
]);
