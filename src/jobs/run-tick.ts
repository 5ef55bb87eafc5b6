// One whole run in one invocation: find the meetings whose agendas are due at `nowMs` and prepare each,
// sync the meetings whose previous agenda changed while their own agenda waits for the meeting (live
// sync), then enqueue the digests now owed and send what the outbox has due, and answer with what
// happened. The admin API's "run now" (the cron hands the same work to the queue instead:
// dispatch-tick.ts). `nowMs` decides what is due; the outbox's timing (due retries, backoff, leases,
// expiry) and the sync window go by the real clock (`deps.clock`), so a run "at" another moment never
// sends what is not due yet nor parks a retry at that moment. A run for one pair sends only that pair's
// digests and syncs only its meetings.

import type { Pair } from "../config/pair";
import type { SharingCheck } from "../destinations/sharing";
import type { Destination } from "../destinations/types";
import { meetingKey } from "../domain/occurrences";
import type { Leases } from "../env";
import { mapWithConcurrency } from "../lib/pool";
import type { PlanState } from "../store/meetings";
import { deliverDue } from "./deliver";
import type { DigestDeps, EnqueueSummary } from "./digests";
import { enqueueOwedDigests } from "./digests";
import { currentDirectory } from "./pair-directory";
import { needsPreparing, planDueMeetings } from "./plan";
import type { MeetingOutcome, PrepareDeps } from "./prepare-meeting";
import { prepareMeeting } from "./prepare-meeting";
import type { SendingDeps } from "./sending";
import { sendingOptions } from "./sending";
import type { SyncOutcome } from "./sync-meeting";
import { syncMeeting } from "./sync-meeting";
import type { WatchDeps } from "./watch-changes";
import { watchForChanges } from "./watch-changes";

/** Pairs prepared at once: keeps the shared rate limiter busy without queueing many requests. */
const PAIR_CONCURRENCY = 4;
/** How often a long run reports how far it has got. */
const PROGRESS_EVERY = 25;
/**
 * Outbox batches one run sends at most. A batch that came back full means more is due; a few more rounds
 * drain a busy morning without letting one run's subrequests grow without bound. Each batch is claimed
 * fairly (each pair's first due delivery before any pair's second), so the budget is shared by pairs.
 */
const MAX_OUTBOX_ROUNDS = 8;
const OUTBOX_BATCH = 25;

export interface TickOptions {
  nowMs: number;
  runId: string;
  /** Only this pair, when set. */
  pairId?: string;
  dryRun?: boolean;
}

/** An outcome as a run reports it: without the meeting's record, which is for the next step only. */
type ReportedOutcome = MeetingOutcome extends infer Outcome
  ? Outcome extends { meeting: unknown }
    ? Omit<Outcome, "meeting">
    : Outcome
  : never;

function reported(outcome: MeetingOutcome): ReportedOutcome {
  if (outcome.status !== "created" && outcome.status !== "found") return outcome;
  const { meeting: _record, ...rest } = outcome;
  return rest;
}

export interface TickResult {
  at: string;
  dryRun: boolean;
  /** Pairs whose stored config no longer parses; they are skipped with their reasons. */
  invalidPairs: { id: string; problems: string[] }[];
  /**
   * Pairs whose agendas would live where another pair's do, unseparated (stored before the admin API
   * refused that): their due meetings fail with the reason instead of taking the other pair's agenda.
   */
  sharedPairs: { id: string; problems: string[] }[];
  outcomes: ReportedOutcome[];
  /** What this run enqueued and sent; absent on a dry run, which sends nothing. */
  digests?: DigestRunSummary;
  /** Live-sync passes this run made over meetings whose previous agenda changed; absent on a dry run. */
  sync?: SyncRunSummary;
}

interface SyncRunSummary {
  /** Meetings in their sync window, and the vendor calls the looks made. */
  inWindow: number;
  lookCalls: number;
  /** Passes made, by outcome, and the actions they applied. */
  passes: Record<SyncOutcome["status"], number>;
  actions: number;
}

interface DigestRunSummary extends EnqueueSummary {
  /** Outbox rows this run tried to send, by outcome; `expired` also counts rows it found too late. */
  sent: { delivered: number; retry: number; failed: number; expired: number; unrecorded: number };
}

export interface TickDeps extends PrepareDeps, DigestDeps, SendingDeps, WatchDeps {
  /** The pair's destination, which asks `sharing` before it writes where its ids resolve to. */
  destinationFor(pair: Pair, sharing?: SharingCheck): Destination;
  /** The claims' leases; the product defaults when not given. */
  leases?: Leases;
}

export async function runTick(deps: TickDeps, options: TickOptions): Promise<TickResult> {
  // Every pair, even for a one-pair run: whether its destination is its own depends on the others.
  const directory = await currentDirectory(deps.pairs, (pair, sharing) => deps.destinationFor(pair, sharing));
  const mine = <T extends { id: string }>(entries: readonly T[]): T[] =>
    options.pairId === undefined ? [...entries] : entries.filter((entry) => entry.id === options.pairId);
  const invalidPairs = mine(directory.invalid);
  for (const invalid of invalidPairs) deps.log.error("pair.invalid", invalid);
  const sharedPairs = mine(directory.shared);
  for (const shared of sharedPairs) deps.log.error("pair.destination_shared", shared);
  const pairs = mine([...directory.pairs.values()]);
  const prepareDeps: PrepareDeps = {
    meetings: deps.meetings,
    log: deps.log,
    clock: () => deps.clock(),
    ...(deps.leases === undefined ? {} : { leaseMs: deps.leases.meetingMs }),
    destinationFor: directory.destinationFor,
  };

  const planned = planDueMeetings(pairs, options.nowMs);
  const states = options.dryRun
    ? new Map<string, PlanState>()
    : await deps.meetings.planStates(
        planned.map(({ pair, occurrence }) => meetingKey(pair.id, occurrence.date)),
      );
  const clockMs = deps.clock();
  const due = planned.filter(({ pair, occurrence }) =>
    needsPreparing(states.get(meetingKey(pair.id, occurrence.date)), clockMs),
  );
  deps.log.info("tick.planned", {
    at: new Date(options.nowMs).toISOString(),
    pairs: pairs.length,
    due: planned.length,
    toPrepare: due.length,
  });

  let done = 0;
  const outcomes = await mapWithConcurrency(due, PAIR_CONCURRENCY, async ({ pair, occurrence }) => {
    const outcome = await prepareMeeting(prepareDeps, pair, occurrence, {
      runId: options.runId,
      dryRun: options.dryRun ?? false,
    });
    done += 1;
    if (done % PROGRESS_EVERY === 0) deps.log.info("tick.progress", { done, of: due.length });
    return outcome;
  });

  const counts: Record<string, number> = {};
  for (const outcome of outcomes) counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
  deps.log.info("tick.finished", { ...counts, due: due.length });
  const result: TickResult = {
    at: new Date(options.nowMs).toISOString(),
    dryRun: options.dryRun ?? false,
    invalidPairs,
    sharedPairs,
    outcomes: outcomes.map(reported),
  };
  if (options.dryRun) return result;
  const scope = options.pairId === undefined ? {} : { pairId: options.pairId };
  const sync = await syncChanged(deps, directory.pairs, prepareDeps, options.pairId);
  return { ...result, sync, digests: await sendDigests(deps, options.nowMs, scope) };
}

/**
 * Looks for changes in the previous agendas of meetings in their sync window, and syncs those that changed
 * (of one pair, when `pairId` is given). The look covers every pair whatever the run is for: it moves each
 * place's cursor, so what it finds for the other pairs is recorded as owed, for the next tick to sync.
 */
async function syncChanged(
  deps: TickDeps,
  pairs: ReadonlyMap<string, Pair>,
  prepareDeps: PrepareDeps,
  pairId: string | undefined,
): Promise<SyncRunSummary> {
  const watch = await watchForChanges(deps, pairs, prepareDeps.destinationFor);
  const passes: SyncRunSummary["passes"] = { synced: 0, skipped: 0, lost: 0, failed: 0 };
  let actions = 0;
  const owed = watch.owed.filter((meeting) => pairId === undefined || meeting.pairId === pairId);
  await mapWithConcurrency(owed, PAIR_CONCURRENCY, async (meeting) => {
    const pair = pairs.get(meeting.pairId);
    if (pair === undefined) return;
    const outcome = await syncMeeting(prepareDeps, pair, meeting.key, crypto.randomUUID());
    passes[outcome.status] += 1;
    if (outcome.status === "synced") actions += outcome.actions.length;
  });
  return { inWindow: watch.inWindow, lookCalls: watch.calls, passes, actions };
}

/**
 * Enqueues the digests owed at `nowMs` (of one pair, when `pairId` is given) and sends the outbox's
 * due deliveries (that pair's only), each on its own, on the real clock.
 */
async function sendDigests(
  deps: TickDeps,
  nowMs: number,
  scope: { pairId?: string },
): Promise<DigestRunSummary> {
  const enqueued = await enqueueOwedDigests(deps, nowMs, scope);
  const sent = { delivered: 0, retry: 0, failed: 0, expired: 0, unrecorded: 0 };
  let claimed = 0;
  for (let round = 0; round < MAX_OUTBOX_ROUNDS; round += 1) {
    const sending = sendingOptions(deps);
    const delivery = await deliverDue({
      ...sending,
      ...scope,
      policy: { ...sending.policy, batchSize: OUTBOX_BATCH },
    });
    claimed += delivery.claimed;
    sent.expired += delivery.expired;
    for (const outcome of delivery.results) sent[outcome.status] += 1;
    if (delivery.due < OUTBOX_BATCH) break;
  }
  if (enqueued.deliveries > 0 || claimed > 0) deps.log.info("digests.finished", { ...enqueued, ...sent });
  return { ...enqueued, sent };
}
