// Planning leaves alone what needs no run: a created agenda, a live claim, a failure not yet due again.
import { describe, expect, it } from "vitest";
import { pairSchema } from "../../src/config/pair";
import { interleaveByAccount, needsPreparing, paceAccountOf } from "../../src/jobs/plan";
import { pairInput } from "../support/pairs";

const NOW = 1_000_000;

describe("which due meetings a tick prepares", () => {
  it("prepares a meeting with no row yet, an expired claim, and a failure whose retry time has come", () => {
    expect(needsPreparing(undefined, NOW)).toBe(true);
    const claimed = { status: "claimed", retryAfter: null, digestsEnqueued: false } as const;
    expect(needsPreparing({ ...claimed, claimExpiresAt: NOW }, NOW)).toBe(true);
    const failed = { status: "failed", claimExpiresAt: null, digestsEnqueued: false } as const;
    expect(needsPreparing({ ...failed, retryAfter: NOW }, NOW)).toBe(true);
  });

  it("leaves a created agenda, a live claim and a failure waiting for its retry", () => {
    const created = {
      status: "created",
      claimExpiresAt: null,
      retryAfter: null,
      digestsEnqueued: false,
    } as const;
    expect(needsPreparing(created, NOW)).toBe(false);
    expect(
      needsPreparing(
        { status: "claimed", claimExpiresAt: NOW + 1, retryAfter: null, digestsEnqueued: false },
        NOW,
      ),
    ).toBe(false);
    expect(
      needsPreparing(
        { status: "failed", claimExpiresAt: null, retryAfter: NOW + 1, digestsEnqueued: false },
        NOW,
      ),
    ).toBe(false);
  });
});

describe("the order meetings are handed out in", () => {
  const pairOn = (id: string, tokenSecret?: string) =>
    pairSchema.parse(
      pairInput({
        id,
        destination: {
          kind: "notion",
          dataSourceId: "2a3b4c5d-0000-4000-8000-000000000001",
          pairProperty: { name: "Pair", type: "select" },
          ...(tokenSecret === undefined ? {} : { tokenSecret }),
        },
      }),
    );

  it("takes one meeting of each vendor account in turn, keeping each account's own order", () => {
    const meetings = [
      { pair: pairOn("a1", "ACME_NOTION") },
      { pair: pairOn("a2", "ACME_NOTION") },
      { pair: pairOn("a3", "ACME_NOTION") },
      { pair: pairOn("b1", "BETA_NOTION") },
      { pair: pairOn("d1") },
    ];
    expect(interleaveByAccount(meetings).map((meeting) => meeting.pair.id)).toEqual([
      "a1",
      "b1",
      "d1",
      "a2",
      "a3",
    ]);
    expect(interleaveByAccount([])).toEqual([]);
  });

  it("names the account by the integration's secret, or the Google user a pair acts as", () => {
    expect(paceAccountOf(pairOn("x"))).toBe("notion:NOTION_TOKEN");
    expect(paceAccountOf(pairOn("y", "ACME_NOTION"))).toBe("notion:ACME_NOTION");
  });
});
