// Owns planning: which meetings a tick owes an agenda, and which of those need a run at all. Pure, so
// the rules are tested without D1 or a destination.
import type { Pair } from "../domain/pair";
import type { Occurrence } from "../domain/schedule";
import { dueOccurrences } from "../domain/schedule";
import type { PlanState } from "../store/meetings";

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

/**
 * Whether a due meeting needs a run at `clockMs` (the real clock): not when its agenda exists, a live
 * claim holds it, or it failed and its retry time has not come. Deciding this from one read of all due
 * meetings spares the queries (and, at scale, the messages) of meetings already done.
 */
export function needsPreparing(state: PlanState | undefined, clockMs: number): boolean {
  if (state === undefined) return true;
  if (state.status === "created") return false;
  if (state.status === "claimed") return (state.claimExpiresAt ?? 0) <= clockMs;
  return (state.retryAfter ?? 0) <= clockMs;
}
