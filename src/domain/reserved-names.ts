// The names of the bindings the Worker itself reads (src/env.ts): the database, the admin token, the
// vendors' credentials and every setting. A digest channel must not name one, or its value would be
// sent out as a webhook or SMTP URL. Listed here rather than imported because env.ts needs the Workers
// runtime's types, which the scripts that share the domain code do not have; a test keeps the two equal.
export const RESERVED_BINDING_NAMES: ReadonlySet<string> = new Set([
  "DB",
  "ADMIN_TOKEN",
  "NOTION_TOKEN",
  "GOOGLE_SERVICE_ACCOUNT_KEY",
  "NOTION_API_BASE_URL",
  "NOTION_REQUESTS_PER_SECOND",
  "GOOGLE_TOKEN_URL",
  "GOOGLE_DOCS_API_BASE_URL",
  "GOOGLE_DRIVE_API_BASE_URL",
  "LOG_LEVEL",
  "ALLOW_PRIVATE_DIGEST_HOSTS",
]);
