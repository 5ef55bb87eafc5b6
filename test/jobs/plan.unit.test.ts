// Planning leaves alone what needs no run: a created agenda, a live claim, a failure not yet due again.
import { describe, expect, it } from "vitest";
import { needsPreparing } from "../../src/jobs/plan";

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
