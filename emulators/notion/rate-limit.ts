// Per-integration token bucket: Notion allows an average of three requests a second with small bursts.

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  private refill(): void {
    const at = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((at - this.updatedAt) / 1000) * this.ratePerSecond);
    this.updatedAt = at;
  }

  /**
   * Takes one token, or returns the whole seconds to wait (at least 1, as Notion's Retry-After is).
   * A refused request takes nothing, so a client that waits as told gets through.
   */
  take(): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (!Number.isFinite(this.ratePerSecond)) return { ok: true };
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    const wait = (1 - this.tokens) / this.ratePerSecond;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(wait)) };
  }
}
