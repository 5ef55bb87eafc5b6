// Owns the pace shared by everyone who calls one vendor account: a Durable Object per account (named in
// names.ts) that hands out request slots by the GCRA schedule of lib/rate-limit.ts. Every isolate, queue
// consumer and overlapping invocation asks the same object, so together they keep the vendor's rate
// instead of each keeping it alone. It answers at once ("send in N ms"); callers sleep on their side, so
// the object holds no open requests. Slots live in memory; only a hold (a vendor's Retry-After) is
// stored, so a restarted object still honours it, and a restarted schedule starts without its burst.
import { DurableObject } from "cloudflare:workers";
import * as z from "zod";
import { PaceSchedule, type PaceSettings } from "../lib/rate-limit";

const HELD_UNTIL = "heldUntil";

/** At most a day: a longer Retry-After is not a pace but an outage. */
const MAX_HOLD_MS = 24 * 60 * 60 * 1000;

const settingsSchema = z.object({
  perSecond: z.number().positive("must be positive").max(10_000, "must be at most 10000"),
  burst: z.number().int("must be a whole number").min(1, "must be at least 1").max(10_000).optional(),
});

const holdSchema = z.number().min(0, "must not be negative").max(MAX_HOLD_MS, "must be at most a day");

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) =>
    issue.path.length === 0
      ? `${what}: ${issue.message}`
      : `${what}.${issue.path.join(".")}: ${issue.message}`,
  );
  throw new RangeError(problems.join("; "));
}

/** One vendor account's pace. Call it through `createDurablePacer` (pacer.ts). */
export class VendorPace extends DurableObject {
  private schedule: PaceSchedule | null = null;
  private heldUntil: number;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const stored = ctx.storage.kv.get<unknown>(HELD_UNTIL);
    this.heldUntil = typeof stored === "number" ? stored : Number.NEGATIVE_INFINITY;
  }

  /**
   * Reserves the next slot at `settings`' rate: the milliseconds to wait before sending (0: now). The
   * latest caller's settings are the pace from here on; they are the same for every caller of one account.
   */
  reserve(settings: PaceSettings): number {
    const parsed = parse(settingsSchema, settings, "settings");
    const now = Date.now();
    let schedule = this.schedule;
    if (schedule === null) {
      schedule = new PaceSchedule(parsed, { startEmpty: true, now });
      schedule.holdUntil(this.heldUntil);
      this.schedule = schedule;
    } else {
      schedule.configure(parsed);
    }
    return Math.max(0, schedule.reserve(now) - now);
  }

  /** No slot starts within `ms` from now: the vendor said to wait (Retry-After). */
  hold(ms: number): void {
    const until = Date.now() + parse(holdSchema, ms, "hold");
    if (!(until > this.heldUntil)) return;
    this.heldUntil = until;
    this.schedule?.holdUntil(until);
    this.ctx.storage.kv.put(HELD_UNTIL, until);
  }
}
