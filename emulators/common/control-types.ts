// Owns the control-API shapes both emulators share (faults, fault info, call counts). Types only, no Node:
// the fetch clients in control.ts run in workerd too. Who a fault targets is vendor-specific and added by each.

/** The vendor-neutral part of a fault; each emulator extends it with how to pick the caller. */
export interface CommonFaultSpec {
  /** Match only this method (GET, POST, PATCH, DELETE). */
  method?: string;
  /** A concrete path or a route template (`:id` segments). */
  path?: string;
  /** Answer with this status and the vendor's error body for it. */
  status?: number;
  message?: string;
  /** Retry-After seconds for a 429 (1 by default). */
  retryAfter?: number;
  /** Wait this long first; alone, the request then proceeds normally. */
  delayMs?: number;
  /**
   * Destroy the socket without answering: `true` before the request is handled, `"after"` once it
   * has been applied (the write happened, the caller never hears: a crash between "created" and "recorded").
   */
  drop?: boolean | "after";
  /** How many matching requests it hits (1 by default; no limit when `probability` is given alone). */
  times?: number;
  /**
   * Hit each matching request with this chance (0 to 1) instead of every one: a steady background of
   * failures for a soak. Drawn from a generator seeded by `seed`, so a run with the same requests in the
   * same order fails the same ones.
   */
  probability?: number;
  /** The seed of `probability`'s generator (0 by default). */
  seed?: number;
  /** Let this many matching requests through first. */
  skip?: number;
}

export interface FaultInfoOf<Spec extends CommonFaultSpec> {
  id: string;
  remaining: number;
  /** Requests it has hit so far. */
  fired: number;
  spec: Spec;
}

/** Calls per endpoint, keyed like `METHOD /route/:id`. */
export type CallCounts = Record<string, number>;
