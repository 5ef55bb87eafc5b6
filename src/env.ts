// The Worker's bindings, parsed once with zod. A bad or missing binding is named by its key; its value
// is never echoed, because most of these are secrets.
import * as z from "zod";
import { DELIVERY_CLAIM_LEASE_MS, MEETING_CLAIM_LEASE_MS, WORK_RETRY_FIRST_DELAY_MS } from "./domain/leases";
import { SETTING_NAMES } from "./domain/reserved-names";
import type { WorkMessage } from "./jobs/work";
import type { LogLevel } from "./lib/log";
import type { VendorPace } from "./pace/object";

const httpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
  .transform((url) => url.replace(/\/+$/, ""));

/**
 * The verification tokens in NOTION_WEBHOOK_VERIFICATION_TOKEN: one per Notion webhook subscription (each
 * integration has its own), separated by spaces, new lines or commas, none of which a token holds.
 */
function notionWebhookTokens(value: string): string[] {
  return [...new Set(value.split(/[\s,]+/).filter((token) => token !== ""))];
}

const perMinute = z.coerce
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(100_000, "must be at most 100000");

/**
 * A claim's lease in seconds. At least a minute: a run paced behind others and waiting out a Retry-After
 * still finishes inside it, so a lease this short is taken over only from a run that died.
 */
const leaseSeconds = (defaultMs: number) =>
  z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number of seconds")
    .min(60, "must be at least 60 seconds")
    .max(86_400, "must be at most 86400 seconds (a day)")
    .default(defaultMs / 1000);

const envSchema = z
  .object({
    DB: z.custom<D1Database>(
      (value) => typeof value === "object" && value !== null && "prepare" in value,
      "must be a D1 database binding (see [[d1_databases]] in wrangler.toml)",
    ),
    // One pace per vendor account, shared by every isolate (src/pace/). Optional only so that a binding set
    // built by hand still parses; without it each isolate paces alone.
    PACE: z
      .custom<DurableObjectNamespace<VendorPace>>(
        (value) => typeof value === "object" && value !== null && "getByName" in value,
        "must be a Durable Object namespace binding (see [[durable_objects.bindings]] in wrangler.toml)",
      )
      .optional(),
    // The work queue (src/jobs/work.ts): the tick hands out one message per meeting and per delivery, and
    // consumers do the work side by side. Without it (a binding set built by hand) each tick does its work
    // itself, in one invocation.
    WORK_QUEUE: z
      .custom<Queue<WorkMessage>>(
        (value) => typeof value === "object" && value !== null && "sendBatch" in value,
        "must be a Queue producer binding (see [[queues.producers]] in wrangler.toml)",
      )
      .optional(),
    // The name of the dead-letter queue, whose batches the Worker records instead of working on.
    DEAD_LETTER_QUEUE: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be a queue name (lower-case letters, digits, dashes)")
      .default("one-on-one-agendas-dead-letters"),
    ADMIN_TOKEN: z
      .string({ error: "is not set (wrangler secret put ADMIN_TOKEN)" })
      .min(16, "must be at least 16 characters"),
    // Each vendor's credentials are optional: a deployment may use only Notion or only Google Docs. A pair
    // whose destination lacks its credentials fails with a message naming the missing secret.
    NOTION_TOKEN: z.string().min(1, "is empty").optional(),
    GOOGLE_SERVICE_ACCOUNT_KEY: z.string().min(1, "is empty").optional(),
    // The verification tokens of the Notion webhook subscriptions that may call POST /webhooks/notion, one
    // per subscription, separated by spaces or new lines (see notionWebhookTokens).
    NOTION_WEBHOOK_VERIFICATION_TOKEN: z
      .string()
      .transform((value, ctx) => {
        const tokens = notionWebhookTokens(value);
        if (tokens.length === 0) ctx.addIssue({ code: "custom", message: "is empty" });
        return tokens;
      })
      .optional(),
    NOTION_API_BASE_URL: httpUrl.default("https://api.notion.com"),
    NOTION_REQUESTS_PER_SECOND: z.coerce
      .number({ error: "must be a number" })
      .positive("must be positive")
      .max(100, "must be at most 100")
      .default(3),
    GOOGLE_TOKEN_URL: httpUrl.optional(),
    GOOGLE_DOCS_API_BASE_URL: httpUrl.default("https://docs.googleapis.com"),
    GOOGLE_DRIVE_API_BASE_URL: httpUrl.default("https://www.googleapis.com"),
    // Google's per-user Docs quotas, when a Workspace admin has raised them (the defaults are Google's own).
    GOOGLE_DOCS_READS_PER_MINUTE: perMinute.default(300),
    GOOGLE_DOCS_WRITES_PER_MINUTE: perMinute.default(60),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    // How long a run holds a meeting it prepares and a delivery it sends before another may take it over:
    // what a crashed run costs in delay. The defaults suit production; the fault soak shortens them.
    MEETING_CLAIM_LEASE_SECONDS: leaseSeconds(MEETING_CLAIM_LEASE_MS),
    DELIVERY_CLAIM_LEASE_SECONDS: leaseSeconds(DELIVERY_CLAIM_LEASE_MS),
    // The work queue's first retry delay (it doubles from there): the fault soak shortens it too.
    WORK_RETRY_FIRST_DELAY_SECONDS: z.coerce
      .number({ error: "must be a number" })
      .int("must be a whole number of seconds")
      .min(1, "must be at least 1 second")
      .max(600, "must be at most 600 seconds")
      .default(WORK_RETRY_FIRST_DELAY_MS / 1000),
    // Digests go only to public hosts over https unless this says otherwise: for the local demo and the
    // tests, whose receivers listen on loopback (see notify/address-rule.ts).
    ALLOW_PRIVATE_DIGEST_HOSTS: z
      .enum(["true", "false"], { error: 'must be "true" or "false"' })
      .default("false")
      .transform((value) => value === "true"),
    // Cloudflare Access in front of the console (src/console/access.ts): the team's domain (its JWTs'
    // issuer, whose /cdn-cgi/access/certs holds the keys) and the application's audience tag. Both or
    // neither; with them, the console's token sign-in is off.
    ACCESS_TEAM_DOMAIN: httpUrl.optional(),
    ACCESS_AUD: z.string().trim().min(1, "is empty").max(200, "is longer than any audience tag").optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.ACCESS_TEAM_DOMAIN === undefined) !== (value.ACCESS_AUD === undefined)) {
      const missing = value.ACCESS_TEAM_DOMAIN === undefined ? "ACCESS_TEAM_DOMAIN" : "ACCESS_AUD";
      ctx.addIssue({
        code: "custom",
        path: [missing],
        message: "is not set; Cloudflare Access needs both ACCESS_TEAM_DOMAIN and ACCESS_AUD, or neither",
      });
    }
  });

/** Every binding the Worker itself reads; domain/reserved-names.ts keeps channels off them. */
export const WORKER_BINDING_NAMES: readonly string[] = Object.keys(envSchema.shape);

export interface Leases {
  /** A meeting's claim (MEETING_CLAIM_LEASE_SECONDS). */
  meetingMs: number;
  /** An outbox delivery's claim (DELIVERY_CLAIM_LEASE_SECONDS). */
  deliveryMs: number;
}

export interface Config {
  db: D1Database;
  /** The vendor accounts' shared paces; null when the binding is missing (each isolate paces alone). */
  pace: DurableObjectNamespace<VendorPace> | null;
  /** Where the tick hands out work; null when the binding is missing (each tick works alone). */
  workQueue: Queue<WorkMessage> | null;
  /** The dead-letter queue's name: its batches are recorded, not worked on. */
  deadLetterQueue: string;
  adminToken: string;
  notion: {
    token: string | null;
    baseUrl: string;
    requestsPerSecond: number;
    /** The webhook subscriptions' verification tokens; empty when none is set (every event is refused). */
    webhookVerificationTokens: string[];
  };
  google: {
    serviceAccountKey: string | null;
    tokenUrl: string | null;
    docsBaseUrl: string;
    driveBaseUrl: string;
    docsReadsPerMinute: number;
    docsWritesPerMinute: number;
  };
  logLevel: LogLevel;
  /** How long a claim holds before another run may take it over. */
  leases: Leases;
  /** The work queue's first retry delay, in seconds; later retries double it. */
  workRetryFirstDelaySeconds: number;
  digests: {
    /** Digests may go to loopback, private and other non-public hosts, and over plain http. */
    allowPrivateHosts: boolean;
  };
  /** Cloudflare Access in front of the console; null when the console signs in with the admin token. */
  access: { teamDomain: string; audience: string } | null;
  /** Every secret value, so the logger can redact them. */
  secrets: string[];
  /**
   * Reads a binding or secret by name: the digest channels name theirs (a webhook URL, a send_email
   * binding, an SMTP URL) in the pairs' config, so they are looked up when a digest is sent.
   */
  binding(name: string): unknown;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid Worker configuration: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

/** The key file itself and its private key as it appears once parsed, so neither form reaches a log. */
function keySecrets(keyJson: string | undefined): string[] {
  if (keyJson === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(keyJson);
    const privateKey =
      typeof parsed === "object" && parsed !== null && "private_key" in parsed ? parsed.private_key : null;
    return typeof privateKey === "string" ? [keyJson, privateKey] : [keyJson];
  } catch {
    return [keyJson];
  }
}

/**
 * Every string binding that is not a known setting: the digest channels' secrets (webhook URLs, signing
 * secrets, SMTP URLs) have names chosen by the operator, so they are found by elimination.
 */
function namedSecrets(env: Env): string[] {
  return Object.entries(env).flatMap(([name, value]) =>
    typeof value === "string" && !SETTING_NAMES.has(name) ? [value] : [],
  );
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
    pace: value.PACE ?? null,
    workQueue: value.WORK_QUEUE ?? null,
    deadLetterQueue: value.DEAD_LETTER_QUEUE,
    adminToken: value.ADMIN_TOKEN,
    notion: {
      token: value.NOTION_TOKEN ?? null,
      baseUrl: value.NOTION_API_BASE_URL,
      requestsPerSecond: value.NOTION_REQUESTS_PER_SECOND,
      webhookVerificationTokens: value.NOTION_WEBHOOK_VERIFICATION_TOKEN ?? [],
    },
    google: {
      serviceAccountKey: value.GOOGLE_SERVICE_ACCOUNT_KEY ?? null,
      tokenUrl: value.GOOGLE_TOKEN_URL ?? null,
      docsBaseUrl: value.GOOGLE_DOCS_API_BASE_URL,
      driveBaseUrl: value.GOOGLE_DRIVE_API_BASE_URL,
      docsReadsPerMinute: value.GOOGLE_DOCS_READS_PER_MINUTE,
      docsWritesPerMinute: value.GOOGLE_DOCS_WRITES_PER_MINUTE,
    },
    logLevel: value.LOG_LEVEL,
    leases: {
      meetingMs: value.MEETING_CLAIM_LEASE_SECONDS * 1000,
      deliveryMs: value.DELIVERY_CLAIM_LEASE_SECONDS * 1000,
    },
    workRetryFirstDelaySeconds: value.WORK_RETRY_FIRST_DELAY_SECONDS,
    digests: { allowPrivateHosts: value.ALLOW_PRIVATE_DIGEST_HOSTS },
    access:
      value.ACCESS_TEAM_DOMAIN === undefined || value.ACCESS_AUD === undefined
        ? null
        : { teamDomain: value.ACCESS_TEAM_DOMAIN, audience: value.ACCESS_AUD },
    secrets: [
      ...new Set(
        [
          value.ADMIN_TOKEN,
          value.NOTION_TOKEN,
          ...(value.NOTION_WEBHOOK_VERIFICATION_TOKEN ?? []),
          ...keySecrets(value.GOOGLE_SERVICE_ACCOUNT_KEY),
          ...namedSecrets(env),
        ].filter((secret): secret is string => secret !== undefined),
      ),
    ],
    binding: (name) => (Object.hasOwn(env, name) ? Reflect.get(env, name) : undefined),
  };
}
