// One run of the schedule: find the meetings whose agendas are due at `nowMs` and prepare each.
// Called by the cron trigger with the scheduled time, and by the admin API's "run now".
import type { Pair } from "../domain/pair";
import type { Occurrence } from "../domain/schedule";
import { dueOccurrences } from "../domain/schedule";
import { mapWithConcurrency } from "../lib/pool";
import type { PairStore } from "../store/pairs";
import type { MeetingOutcome, PrepareDeps } from "./prepare-meeting";
import { prepareMeeting } from "./prepare-meeting";

/** Pairs prepared at once: keeps the shared rate limiter busy without queueing many requests. */
const PAIR_CONCURRENCY = 4;
/** How often a long run reports how far it has got. */
const PROGRESS_EVERY = 25;

export interface TickOptions {
  nowMs: number;
  runId: string;
  /** Only this pair, when set. */
  pairId?: string;
  dryRun?: boolean;
}

export interface TickResult {
  at: string;
  dryRun: boolean;
  /** Pairs whose stored config no longer parses; they are skipped with their reasons. */
  invalidPairs: { id: string; problems: string[] }[];
  outcomes: MeetingOutcome[];
}

export interface DueMeeting {
  pair: Pair;
  occurrence: Occurrence;
}

/** Every meeting whose agenda should exist by `nowMs` and whose start is still ahead. */
export function planDueMeetings(pairs: readonly Pair[], nowMs: number): DueMeeting[] {
  return pairs.flatMap((pair) =>
    dueOccurrences(pair.schedule, nowMs).map((occurrence) => ({ pair, occurrence })),
  );
}

export async function runTick(
  deps: PrepareDeps & { pairs: PairStore },
  options: TickOptions,
): Promise<TickResult> {
  const stored = await (options.pairId
    ? deps.pairs.get(options.pairId).then((one) => (one ? [one] : []))
    : deps.pairs.list());
  const invalidPairs = stored
    .filter((entry) => entry.pair === null)
    .map((entry) => ({ id: entry.id, problems: entry.problems }));
  for (const invalid of invalidPairs) deps.log.error("pair.invalid", invalid);
  const pairs = stored.flatMap((entry) => (entry.pair ? [entry.pair] : []));

  const due = planDueMeetings(pairs, options.nowMs);
  deps.log.info("tick.planned", {
    at: new Date(options.nowMs).toISOString(),
    pairs: pairs.length,
    due: due.length,
  });

  let done = 0;
  const outcomes = await mapWithConcurrency(due, PAIR_CONCURRENCY, async ({ pair, occurrence }) => {
    const outcome = await prepareMeeting(deps, pair, occurrence, {
      nowMs: options.nowMs,
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
  return {
    at: new Date(options.nowMs).toISOString(),
    dryRun: options.dryRun ?? false,
    invalidPairs,
    outcomes,
  };
}
