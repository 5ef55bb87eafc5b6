// Per-user request quotas as token buckets: Docs reads and writes per minute per user, Drive queries per minute per user.
import type { QuotaSpec } from "./control-types";

export type QuotaKind = "docsRead" | "docsWrite" | "drive";

/** Google's published per-user defaults. */
const DEFAULT_QUOTA: Required<QuotaSpec> = {
  docsReadsPerMinute: 300,
  docsWritesPerMinute: 60,
  driveRequestsPerMinute: 12_000,
};

const FIELD: Record<QuotaKind, keyof QuotaSpec> = {
  docsRead: "docsReadsPerMinute",
  docsWrite: "docsWritesPerMinute",
  drive: "driveRequestsPerMinute",
};

/** What the 429 names: Google's quota metric and limit for each kind. */
export const QUOTA_NAMES: Record<QuotaKind, { service: string; metric: string; limit: string }> = {
  docsRead: {
    service: "docs.googleapis.com",
    metric: "Read requests",
    limit: "Read requests per minute per user",
  },
  docsWrite: {
    service: "docs.googleapis.com",
    metric: "Write requests",
    limit: "Write requests per minute per user",
  },
  drive: {
    service: "drive.googleapis.com",
    metric: "Queries",
    limit: "Queries per minute per user",
  },
};

class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(readonly perMinute: number) {
    this.tokens = perMinute;
    this.updatedAt = performance.now();
  }

  /** Takes one token, or says how many whole seconds until one is back. A refusal takes nothing. */
  take(): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const at = performance.now();
    const rate = this.perMinute / 60;
    this.tokens = Math.min(this.perMinute, this.tokens + ((at - this.updatedAt) / 1000) * rate);
    this.updatedAt = at;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / rate)) };
  }
}

export class QuotaBook {
  private buckets = new Map<string, TokenBucket>();

  constructor(private readonly defaults: QuotaSpec) {}

  /** `overrides` are the principal's own limits (service account spec or setQuota). */
  take(
    principal: string,
    kind: QuotaKind,
    overrides: QuotaSpec,
  ): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const field = FIELD[kind];
    const limit = field in overrides ? overrides[field] : (this.defaults[field] ?? DEFAULT_QUOTA[field]);
    if (limit === null || limit === undefined || !Number.isFinite(limit)) return { ok: true };
    const key = `${principal} ${kind} ${limit}`;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = new TokenBucket(limit);
      this.buckets.set(key, bucket);
    }
    return bucket.take();
  }

  reset(): void {
    this.buckets = new Map();
  }
}
