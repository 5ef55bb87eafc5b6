import { describe, expect, it } from "vitest";
import type { RollupConfigInput } from "../../src/domain/rollup-schedule";
import {
  dueRollupDate,
  nextRollupAt,
  ROLLUP_CATCH_UP_MS,
  rollupConfigSchema,
} from "../../src/domain/rollup-schedule";

function config(overrides: Partial<RollupConfigInput> = {}) {
  return rollupConfigSchema.parse({
    manager: { name: "Ada Manager", email: "Ada@Example.com" },
    weekday: "monday",
    time: "08:30",
    timeZone: "Europe/Berlin",
    channels: [{ channel: "slack", secret: "ADA_SLACK_URL" }],
    ...overrides,
  });
}

describe("rollup config", () => {
  it("keys managers by lower-case email", () => {
    expect(config().manager.email).toBe("ada@example.com");
  });

  it("refuses a channel listed twice, a secret value instead of a name, and no channels", () => {
    const twice = rollupConfigSchema.safeParse({
      ...config(),
      channels: [
        { channel: "slack", secret: "ADA_SLACK_URL" },
        { channel: "slack", secret: "ADA_SLACK_URL" },
      ],
    });
    expect(twice.error?.issues.map((issue) => issue.path.join("."))).toEqual(["channels.1"]);
    const value = rollupConfigSchema.safeParse({
      ...config(),
      channels: [{ channel: "slack", secret: "https://hooks.slack.com/services/T/B/x" }],
    });
    expect(value.error?.issues[0]?.message).toMatch(/NAME of a Worker secret/);
    expect(value.error?.issues[0]?.message).not.toContain("hooks.slack.com");
    expect(rollupConfigSchema.safeParse({ ...config(), channels: [] }).success).toBe(false);
  });

  it("requires a sender on email channels", () => {
    const parsed = rollupConfigSchema.safeParse({
      ...config(),
      channels: [{ channel: "email", via: "smtp", secret: "SMTP_URL" }],
    });
    expect(parsed.error?.issues.map((issue) => issue.path.join("."))).toEqual(["channels.0.from"]);
  });
});

describe("when a roll-up is due", () => {
  it("is due from the manager's local time until the catch-up window ends", () => {
    // Monday 2026-12-07 08:30 in Berlin is 07:30Z (winter time).
    const sendAt = Date.parse("2026-12-07T07:30:00Z");
    expect(dueRollupDate(config(), sendAt - 1)).toBeNull();
    expect(dueRollupDate(config(), sendAt)).toBe("2026-12-07");
    expect(dueRollupDate(config(), sendAt + ROLLUP_CATCH_UP_MS - 1)).toBe("2026-12-07");
    expect(dueRollupDate(config(), sendAt + ROLLUP_CATCH_UP_MS + 1)).toBeNull();
  });

  it("follows the wall clock across a DST change", () => {
    // After the spring change (2026-03-29), Monday 08:30 in Berlin is 06:30Z.
    expect(dueRollupDate(config(), Date.parse("2026-03-30T06:30:00Z"))).toBe("2026-03-30");
    expect(dueRollupDate(config(), Date.parse("2026-03-30T06:29:59Z"))).toBeNull();
    expect(nextRollupAt(config(), Date.parse("2026-03-25T00:00:00Z"))).toBe("2026-03-30T08:30:00+02:00");
  });

  it("is never due while paused", () => {
    expect(dueRollupDate(config({ paused: true }), Date.parse("2026-12-07T07:30:00Z"))).toBeNull();
  });
});
