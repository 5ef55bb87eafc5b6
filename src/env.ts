// The Worker's bindings, parsed once with zod. A bad or missing binding is named by its key; its value
// is never echoed, because most of these are secrets.
import * as z from "zod";
import type { LogLevel } from "./lib/log";

const envSchema = z.object({
  DB: z.custom<D1Database>(
    (value) => typeof value === "object" && value !== null && "prepare" in value,
    "must be a D1 database binding (see [[d1_databases]] in wrangler.toml)",
  ),
  ADMIN_TOKEN: z
    .string({ error: "is not set (wrangler secret put ADMIN_TOKEN)" })
    .min(16, "must be at least 16 characters"),
  NOTION_TOKEN: z.string({ error: "is not set (wrangler secret put NOTION_TOKEN)" }).min(1, "is empty"),
  NOTION_API_BASE_URL: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .default("https://api.notion.com")
    .transform((url) => url.replace(/\/+$/, "")),
  NOTION_REQUESTS_PER_SECOND: z.coerce
    .number({ error: "must be a number" })
    .positive("must be positive")
    .max(100, "must be at most 100")
    .default(3),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export interface Config {
  db: D1Database;
  adminToken: string;
  notion: { token: string; baseUrl: string; requestsPerSecond: number };
  logLevel: LogLevel;
  /** Every secret value, so the logger can redact them. */
  secrets: string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid Worker configuration: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

/** Parses the bindings; throws a `ConfigError` naming every bad key. */
export function parseEnv(env: Env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`));
  }
  const value = parsed.data;
  return {
    db: value.DB,
    adminToken: value.ADMIN_TOKEN,
    notion: {
      token: value.NOTION_TOKEN,
      baseUrl: value.NOTION_API_BASE_URL,
      requestsPerSecond: value.NOTION_REQUESTS_PER_SECOND,
    },
    logLevel: value.LOG_LEVEL,
    secrets: [value.ADMIN_TOKEN, value.NOTION_TOKEN],
  };
}
