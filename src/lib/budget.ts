// Owns the per-invocation budget: Cloudflare caps what one invocation (a cron tick, a queue batch) may
// spend on subrequests (fetch, Durable Object calls, queue sends) and on D1 queries. Every such call the
// runtime makes goes through a counted binding or fetch from here, and counts against the invocation it
// runs in (AsyncLocalStorage, so invocations that interleave in one isolate keep their own counts). At
// the end of each scheduled and queue invocation the counts are logged as `invocation.budget`, a warning
// when near the paid plan's limits, and kept as this isolate's peaks for GET /admin/budget.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "./log";

/** Cloudflare's per-invocation limits, by plan (Workers Paid's defaults; Workers Free). */
export const CLOUDFLARE_LIMITS = {
  paid: { subrequests: 10_000, d1Queries: 1_000 },
  free: { subrequests: 50, d1Queries: 50 },
} as const;

/** The share of a paid limit at which an invocation's budget is logged as a warning. */
const NEAR_LIMIT = 0.8;

interface BudgetCounts {
  /** Every subrequest: the three kinds below. */
  subrequests: number;
  fetches: number;
  durableObjectCalls: number;
  queueSends: number;
  /** D1 statements run (each statement of a batch counts). */
  d1Queries: number;
}

export type InvocationKind = "scheduled" | "queue";

export interface BudgetPeaks {
  /** Invocations counted by this isolate since it started (or since the peaks were reset). */
  invocations: number;
  /** The largest counts seen in one invocation, per kind: each figure is its own maximum. */
  max: Record<InvocationKind, BudgetCounts & { invocations: number }>;
}

function zero(): BudgetCounts {
  return { subrequests: 0, fetches: 0, durableObjectCalls: 0, queueSends: 0, d1Queries: 0 };
}

const current = new AsyncLocalStorage<BudgetCounts>();

function count(kind: "fetches" | "durableObjectCalls" | "queueSends" | "d1Queries", by = 1): void {
  const counts = current.getStore();
  if (counts === undefined) return;
  counts[kind] += by;
  if (kind !== "d1Queries") counts.subrequests += by;
}

/** Counts one queue `sendBatch` (a subrequest) against the running invocation. */
export function countQueueSend(): void {
  count("queueSends");
}

/** `fetch`, counted as a subrequest of the running invocation. */
export const countedFetch: typeof fetch = (input, init) => {
  count("fetches");
  return fetch(input, init);
};

/** The RPC surface of a Durable Object stub the runtime calls; every method call is a subrequest. */
export interface NamedObjects<Stub> {
  getByName(name: string): Stub;
}

/** A Durable Object namespace whose stubs count each method call as a subrequest. */
export function countedObjects<Stub extends object>(namespace: NamedObjects<Stub>): NamedObjects<Stub> {
  return {
    getByName(name) {
      const stub = namespace.getByName(name);
      return new Proxy(stub, {
        get(target, property) {
          const value: unknown = Reflect.get(target, property);
          if (typeof value !== "function") return value;
          return (...args: unknown[]) => {
            count("durableObjectCalls");
            return Reflect.apply(value, target, args);
          };
        },
      });
    },
  };
}

// D1's batch takes its own statements, not wrappers: each counted statement remembers the one it wraps.
const unwrapped = new WeakMap<object, D1PreparedStatement>();

function countedStatement(statement: D1PreparedStatement): D1PreparedStatement {
  const counted = new Proxy(statement, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== "function") return value;
      if (property === "bind") {
        return (...args: unknown[]) => countedStatement(Reflect.apply(value, target, args));
      }
      if (property === "first" || property === "all" || property === "run" || property === "raw") {
        return (...args: unknown[]) => {
          count("d1Queries");
          return Reflect.apply(value, target, args);
        };
      }
      return value.bind(target);
    },
  });
  unwrapped.set(counted, statement);
  return counted;
}

/** The D1 binding, each statement it runs counted as a query of the running invocation. */
export function countedD1(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== "function") return value;
      if (property === "prepare") {
        return (query: string) => countedStatement(target.prepare(query));
      }
      if (property === "batch") {
        return (statements: D1PreparedStatement[]) => {
          count("d1Queries", statements.length);
          return target.batch(statements.map((statement) => unwrapped.get(statement) ?? statement));
        };
      }
      if (property === "exec") {
        return (query: string) => {
          count("d1Queries");
          return target.exec(query);
        };
      }
      return value.bind(target);
    },
  });
}

let peaks: BudgetPeaks = emptyPeaks();

function emptyPeaks(): BudgetPeaks {
  return {
    invocations: 0,
    max: { scheduled: { ...zero(), invocations: 0 }, queue: { ...zero(), invocations: 0 } },
  };
}

function record(kind: InvocationKind, counts: BudgetCounts): void {
  peaks.invocations += 1;
  const max = peaks.max[kind];
  max.invocations += 1;
  for (const key of Object.keys(counts) as (keyof BudgetCounts)[]) {
    max[key] = Math.max(max[key], counts[key]);
  }
}

/** This isolate's peaks per invocation kind, since it started or since `resetBudgetPeaks`. */
export function budgetPeaks(): BudgetPeaks {
  return structuredClone(peaks);
}

export function resetBudgetPeaks(): void {
  peaks = emptyPeaks();
}

/**
 * Runs one invocation's work with its own counts, then logs them as `invocation.budget` (a warning at
 * 80% of a paid limit or more, with whether the free plan's limits would have held).
 */
export async function withBudget<T>(kind: InvocationKind, log: Logger, work: () => Promise<T>): Promise<T> {
  const counts = zero();
  try {
    return await current.run(counts, work);
  } finally {
    record(kind, counts);
    const paid = CLOUDFLARE_LIMITS.paid;
    const free = CLOUDFLARE_LIMITS.free;
    const fields = {
      kind,
      ...counts,
      limits: CLOUDFLARE_LIMITS,
      withinFreePlan: counts.subrequests <= free.subrequests && counts.d1Queries <= free.d1Queries,
    };
    const near =
      counts.subrequests >= paid.subrequests * NEAR_LIMIT || counts.d1Queries >= paid.d1Queries * NEAR_LIMIT;
    if (near) log.warn("invocation.budget", { ...fields, nearPaidLimit: true });
    else log.info("invocation.budget", fields);
  }
}
