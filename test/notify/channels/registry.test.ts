// The channel registry: one module for every channel name a config may use, and each module's layouts
// keep within the caps it declares, for an everyday digest and roll-up and for ones far too big.
import { describe, expect, it } from "vitest";
import { DIGEST_CHANNEL_NAMES } from "../../../src/domain/channels";
import { buildDigest } from "../../../src/domain/digest";
import { buildRollup } from "../../../src/domain/rollup";
import type { ChannelModule } from "../../../src/notify/channels/channel";
import { CHANNELS } from "../../../src/notify/channels/index";
import { hostileInput, input, item, manyItems } from "./fixtures";
import { LIMIT_CHECKS } from "./limits";
import { noAgenda, report, rollupInput } from "./rollup-support";

const long = "x".repeat(3000);

const DIGESTS = {
  everyday: buildDigest(input([item(), item({ text: "Send the offer letter" })])),
  empty: buildDigest(input([])),
  "200 long items": buildDigest(manyItems(200)),
  hostile: buildDigest(hostileInput()),
};

const many = Array.from({ length: 12 }, (_, index) => item({ text: `${long} ${index}` }));
const ROLLUPS = {
  everyday: buildRollup(rollupInput([report("Ada", [item()]), noAgenda("Charles")])),
  "20 reports of 12 long items": buildRollup(
    rollupInput(Array.from({ length: 20 }, (_, index) => report(`Report ${index} ${long}`, many))),
  ),
};

function module(name: (typeof DIGEST_CHANNEL_NAMES)[number]): ChannelModule<unknown> {
  return CHANNELS[name];
}

/** The channel's check of a payload its own layout built (so the payload is of the type the check takes). */
function problemsOf(name: (typeof DIGEST_CHANNEL_NAMES)[number], payload: unknown): string[] {
  const check: (payload: unknown) => string[] = LIMIT_CHECKS[name] as (payload: unknown) => string[];
  return check(payload);
}

describe("the channel registry", () => {
  it("has one module for every channel name, and nothing else", () => {
    expect(Object.keys(CHANNELS).sort()).toEqual([...DIGEST_CHANNEL_NAMES].sort());
    for (const name of DIGEST_CHANNEL_NAMES) {
      expect(CHANNELS[name].sender.kind).toBe(
        name === "email" ? "email" : name === "webhook" ? "standard-webhooks" : "json",
      );
    }
  });

  describe.each(DIGEST_CHANNEL_NAMES)("%s", (name) => {
    it.each(Object.entries(DIGESTS))("lays out a digest (%s) within its limits", (_, digest) => {
      const payload = module(name).digest(digest);
      expect(payload).toBeTruthy();
      expect(problemsOf(name, payload)).toEqual([]);
    });

    it.each(Object.entries(ROLLUPS))("lays out a roll-up (%s) within its limits", (_, rollup) => {
      const payload = module(name).rollup(rollup);
      expect(payload).toBeTruthy();
      expect(problemsOf(name, payload)).toEqual([]);
    });
  });

  it("names what breaks a limit, so a passing check means something", () => {
    const slack = CHANNELS.slack.digest(DIGESTS.everyday);
    const blocks = Array.from({ length: 51 }, () => slack.blocks[0]).flatMap((block) =>
      block ? [block] : [],
    );
    expect(LIMIT_CHECKS.slack({ ...slack, blocks })).toContain("blocks: 51 > 50");
    const chat = CHANNELS["google-chat"].digest(DIGESTS.everyday);
    expect(LIMIT_CHECKS["google-chat"]({ ...chat, text: "x".repeat(5000) })).toContain("text: 5000 > 4096");
    const email = CHANNELS.email.digest(DIGESTS.everyday);
    expect(LIMIT_CHECKS.email({ ...email, html: "é".repeat(50_000) })).toEqual([
      "html bytes: 100000 > 90000",
    ]);
    const webhook = CHANNELS.webhook.digest(DIGESTS.everyday);
    expect(LIMIT_CHECKS.webhook({ ...webhook, agendaUrl: "not a link" })).not.toEqual([]);
  });
});
