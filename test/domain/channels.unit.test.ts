// Digest channel config: one entry per channel, email channels told apart by their recipients.
import { describe, expect, it } from "vitest";
import type { DigestChannel } from "../../src/domain/channels";
import { channelKey, digestChannelSchema, duplicateChannelProblems } from "../../src/domain/channels";
import { RESERVED_BINDING_NAMES } from "../../src/domain/reserved-names";
import { WORKER_BINDING_NAMES } from "../../src/env";

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

describe("secret names a channel may use", () => {
  const refusal = (secret: string) =>
    digestChannelSchema.safeParse({ channel: "slack", secret }).error?.issues.map((issue) => issue.message);

  it("keeps the reserved names equal to the bindings the Worker reads", () => {
    expect(RESERVED_BINDING_NAMES).toEqual(new Set(WORKER_BINDING_NAMES));
  });

  it("refuses every binding the Worker itself uses, naming it", () => {
    for (const name of WORKER_BINDING_NAMES) {
      expect(refusal(name), name).toEqual([
        `${name} is a binding the Worker itself uses; name a secret of this channel's own`,
      ]);
    }
  });

  it("refuses a signing secret's name as a channel's address, and takes the channel's own", () => {
    expect(refusal("HR_TOOL_URL_SIGNING_SECRET")).toEqual([
      "names ending in _SIGNING_SECRET hold a webhook's signing key, not a channel's address",
    ]);
    expect(digestChannelSchema.safeParse({ channel: "webhook", secret: "HR_TOOL_URL" }).success).toBe(true);
  });

  it("says only that a pasted value is not a name, without echoing it", () => {
    const url = `https://hooks.slack.com/services/${"T".repeat(200)}`;
    const messages = refusal(url) ?? [];
    expect(messages).toEqual([
      "must be the NAME of a Worker secret or binding (upper case), never its value",
    ]);
  });
});
