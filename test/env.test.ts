// The bindings' parsing: every value a person named as a secret (the digest channels' webhook URLs,
// signing secrets and SMTP URLs, under names they chose) reaches the logger's redaction list; settings
// do not, so logs stay readable.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../src/env";
import { createLogger } from "../src/lib/log";

describe("parseEnv", () => {
  it("treats every string binding that is not a setting as a secret, and redacts it from logs", () => {
    const slackUrl = "https://hooks.slack.com/services/T000/B000/very-secret-token";
    const smtpUrl = "smtps://bot:p4ss-w0rd-long@mail.example.com:465";
    // Secrets under names the operator chose: the Env type cannot know them.
    const named: Record<string, string> = {
      ACME_SLACK_URL: slackUrl,
      DIGEST_SMTP_URL: smtpUrl,
      LOG_LEVEL: "debug",
    };
    const config = parseEnv({ ...env, ...named });
    expect(config.secrets).toContain(slackUrl);
    expect(config.secrets).toContain(smtpUrl);
    expect(config.secrets).not.toContain("debug");
    expect(config.binding("ACME_SLACK_URL")).toBe(slackUrl);
    expect(config.binding("NOT_A_BINDING")).toBeUndefined();

    const lines: string[] = [];
    const log = createLogger({ level: "info", secrets: config.secrets, sink: (line) => lines.push(line) });
    log.error("outbox.failed", { reason: `could not reach ${slackUrl}` });
    expect(lines.join("\n")).not.toContain("very-secret-token");
  });

  it("reads Google's raised Docs quotas, defaults to Google's own, and names a bad value by its key", () => {
    expect(parseEnv({ ...env }).google).toMatchObject({ docsReadsPerMinute: 300, docsWritesPerMinute: 60 });
    const raised = parseEnv({ ...env, GOOGLE_DOCS_WRITES_PER_MINUTE: "600" });
    expect(raised.google.docsWritesPerMinute).toBe(600);
    expect(() => parseEnv({ ...env, GOOGLE_DOCS_READS_PER_MINUTE: "lots" })).toThrow(
      /GOOGLE_DOCS_READS_PER_MINUTE must be a number/,
    );
  });

  it("reads the claims' leases in seconds, keeps the product's defaults, and refuses one under a minute", () => {
    expect(parseEnv({ ...env }).leases).toEqual({ meetingMs: 600_000, deliveryMs: 300_000 });
    const short = parseEnv({ ...env, MEETING_CLAIM_LEASE_SECONDS: "60", DELIVERY_CLAIM_LEASE_SECONDS: "90" });
    expect(short.leases).toEqual({ meetingMs: 60_000, deliveryMs: 90_000 });
    expect(short.secrets).not.toContain("60");
    expect(() => parseEnv({ ...env, MEETING_CLAIM_LEASE_SECONDS: "5" })).toThrow(
      /MEETING_CLAIM_LEASE_SECONDS must be at least 60 seconds/,
    );
    expect(() => parseEnv({ ...env, DELIVERY_CLAIM_LEASE_SECONDS: "1.5" })).toThrow(
      /DELIVERY_CLAIM_LEASE_SECONDS must be a whole number of seconds/,
    );
  });

  it("reads the work queue's first retry delay, 30 s unless set, and refuses one outside 1 to 600 s", () => {
    expect(parseEnv({ ...env }).workRetryFirstDelaySeconds).toBe(30);
    expect(parseEnv({ ...env, WORK_RETRY_FIRST_DELAY_SECONDS: "2" }).workRetryFirstDelaySeconds).toBe(2);
    expect(() => parseEnv({ ...env, WORK_RETRY_FIRST_DELAY_SECONDS: "0" })).toThrow(
      /WORK_RETRY_FIRST_DELAY_SECONDS must be at least 1 second/,
    );
    expect(() => parseEnv({ ...env, WORK_RETRY_FIRST_DELAY_SECONDS: "3600" })).toThrow(
      /WORK_RETRY_FIRST_DELAY_SECONDS must be at most 600 seconds/,
    );
  });
});
