// Owns the doctor: the set-up checks of one pair (stored or not) and of every stored pair at once. Each
// pair's destination checks itself (Destination.check, vendor calls stay in src/destinations/), its
// digest channels are checked against the Worker's secrets (src/notify/channel-check.ts), and its next
// meeting is the one the pairs route shows. Nothing is written anywhere; pairs that share a place are
// looked at once per run (one memo per run).

import type { Pair } from "../config/pair";
import type { CheckMemo, CheckResult } from "../destinations/types";
import { checkOk, checkProblem, checkSkipped } from "../destinations/types";
import { nextOccurrence } from "../domain/occurrences";
import { mapWithConcurrency } from "../lib/pool";
import { checkChannels } from "../notify/channel-check";
import type { Runtime } from "../runtime";
import { runTick, type TickResult } from "./run-tick";

export type { CheckResult } from "../destinations/types";

export interface PairCheckRow {
  pairId: string;
  /** Reachable with the pair's credentials (Notion token / Google account). */
  destination: CheckResult;
  /** Notion: properties and one data source; Google: template/doc/folder shared and editable. */
  properties: CheckResult;
  /** Every secret a digest channel names exists and holds the right kind of value (never printed). */
  channels: CheckResult;
  nextMeeting: { date: string; startsAt: string } | null;
}

export interface DoctorReport {
  checkedAt: string;
  ok: boolean;
  pairs: PairCheckRow[];
}

export interface CheckOptions {
  /** Shared by the pairs of one run, so a place several pairs use is looked at once. */
  memo?: CheckMemo;
}

/** Pairs checked at once: each makes a call or two at its vendor's pace. */
const PAIR_CONCURRENCY = 4;

/** A memo for one run: the first look at a key is the answer for every later one. */
export function runMemo(): CheckMemo {
  const seen = new Map<string, Promise<unknown>>();
  return <T>(key: string, load: () => Promise<T>): Promise<T> => {
    const known = seen.get(key);
    if (known !== undefined) return known as Promise<T>;
    const pending = load();
    seen.set(key, pending);
    return pending;
  };
}

function channelsResult(runtime: Runtime, pair: Pair): CheckResult {
  if (pair.digests.length === 0) return checkOk("no digest channels");
  const { ready, problems } = checkChannels(pair.digests, {
    secret: (name) => runtime.secret(name),
    binding: (name) => runtime.binding(name),
    allowPrivateHosts: runtime.allowPrivateDigestHosts,
  });
  if (problems.length === 0) return checkOk(`${ready.length} ready: ${ready.join(", ")}`);
  return checkProblem(
    problems.map((found) => found.problem).join("; "),
    problems.map((found) => found.fix),
  );
}

function failedCheck(error: unknown): CheckResult {
  // Destinations answer problems rather than throw; this is a bug or an outage, and its message is ours.
  const message = error instanceof Error ? error.message : "the check failed";
  return checkProblem(`the check could not run: ${message}`, [
    "Run the doctor again; if it fails again, see the Worker's logs.",
  ]);
}

/** The set-up checks of one pair; it need not be stored (set-up checks a pair before it is added). */
export async function checkPair(
  runtime: Runtime,
  pair: Pair,
  options: CheckOptions = {},
): Promise<PairCheckRow> {
  const memo = options.memo ?? runMemo();
  const destination = runtime.destinationFor(pair);
  let found: { destination: CheckResult; properties: CheckResult };
  if (destination.check === undefined) {
    const none = checkSkipped("this destination cannot check itself");
    found = { destination: none, properties: none };
  } else {
    try {
      found = await destination.check(memo);
    } catch (error) {
      runtime.log.error("doctor.check_failed", {
        pairId: pair.id,
        name: error instanceof Error ? error.name : "unknown",
      });
      found = {
        destination: failedCheck(error),
        properties: checkSkipped("not checked: the destination check failed"),
      };
    }
  }
  const next = nextOccurrence(pair.schedule, runtime.clock());
  return {
    pairId: pair.id,
    destination: found.destination,
    properties: found.properties,
    channels: channelsResult(runtime, pair),
    nextMeeting: next === null ? null : { date: next.date, startsAt: next.startsAt },
  };
}

/** Whether a row has anything a person must fix. */
export function rowOk(row: PairCheckRow): boolean {
  return [row.destination, row.properties, row.channels].every((result) => result.status !== "problem");
}

/** The checks of every stored pair; a stored pair that no longer parses is a problem of its own. */
export async function runDoctor(runtime: Runtime): Promise<DoctorReport> {
  const memo = runMemo();
  const stored = await runtime.pairs.list();
  const rows = await mapWithConcurrency(stored, PAIR_CONCURRENCY, async (entry): Promise<PairCheckRow> => {
    if (entry.pair === null) {
      const skipped = checkSkipped("not checked: the stored pair is not valid");
      return {
        pairId: entry.id,
        destination: checkProblem(`the stored pair is not valid: ${entry.problems.join("; ")}`, [
          `Fix the pair with PUT /admin/pairs/${entry.id}.`,
        ]),
        properties: skipped,
        channels: skipped,
        nextMeeting: null,
      };
    }
    return checkPair(runtime, entry.pair, { memo });
  });
  return { checkedAt: new Date(runtime.clock()).toISOString(), ok: rows.every(rowOk), pairs: rows };
}

/** A pair's next agenda as `POST /admin/run` with `dryRun` answers it, or why there is none. */
export type DryRunAnswer = TickResult | { error: string };

/**
 * The dry run of a pair's next agenda: a run for that pair alone at the moment its next agenda is due
 * (now, when it is due already), writing nothing.
 */
export async function dryRunNext(runtime: Runtime, pair: Pair): Promise<DryRunAnswer> {
  const now = runtime.clock();
  const next = nextOccurrence(pair.schedule, now);
  if (next === null) return { error: "no next meeting: the schedule is paused or has ended" };
  try {
    return await runTick(runtime, {
      nowMs: Math.max(now, next.prepareAtMs),
      runId: crypto.randomUUID(),
      dryRun: true,
      pairId: pair.id,
    });
  } catch (error) {
    runtime.log.error("doctor.dry_run_failed", {
      pairId: pair.id,
      name: error instanceof Error ? error.name : "unknown",
    });
    return { error: "the dry run failed; see the Worker's logs" };
  }
}
