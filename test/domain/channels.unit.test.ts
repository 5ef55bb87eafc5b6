// Digest channel config: one entry per channel, email channels told apart by their recipients.
import { describe, expect, it } from "vitest";
import type { DigestChannel } from "../../src/domain/channels";
import { channelKey, digestChannelSchema, duplicateChannelProblems } from "../../src/domain/channels";

const from = { email: "agendas@example.com" };

describe("digest channels", () => {
  it("finds a channel listed twice, and lets one email server serve different recipients", () => {
    const channels: DigestChannel[] = [
      { channel: "slack", secret: "TEAM_SLACK_URL" },
      { channel: "email", via: "smtp", secret: "SMTP_URL", from, to: ["ada@example.com"] },
      { channel: "email", via: "smtp", secret: "SMTP_URL", from, to: ["bo@example.com"] },
      { channel: "slack", secret: "TEAM_SLACK_URL" },
      { channel: "email", via: "smtp", secret: "SMTP_URL", from, to: ["BO@example.com"] },
    ];
    expect(duplicateChannelProblems(channels)).toEqual([
      { index: 3, message: "sends to slack:TEAM_SLACK_URL like entry 0; list each channel once" },
      {
        index: 4,
        message: "sends to email:smtp:SMTP_URL:bo@example.com like entry 2; list each channel once",
      },
    ]);
  });

  it("keys a channel the same however its recipients are ordered", () => {
    const one = channelKey({
      channel: "email",
      via: "cloudflare",
      secret: "EMAIL",
      from,
      to: ["b@x.io", "a@x.io"],
    });
    const two = channelKey({
      channel: "email",
      via: "cloudflare",
      secret: "EMAIL",
      from,
      to: ["a@x.io", "b@x.io"],
    });
    expect(one).toBe(two);
  });

  it("refuses an unknown channel and an email channel without a sender, by path", () => {
    expect(digestChannelSchema.safeParse({ channel: "pager", secret: "X" }).error?.issues[0]?.path).toEqual([
      "channel",
    ]);
    const noFrom = digestChannelSchema.safeParse({ channel: "email", via: "smtp", secret: "SMTP_URL" });
    expect(noFrom.error?.issues.map((issue) => issue.path.join("."))).toEqual(["from"]);
  });
});
