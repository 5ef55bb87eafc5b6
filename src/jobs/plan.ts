// Owns planning: which meetings a tick owes an agenda, and which of those need a run at all. Pure, so
// the rules are tested without D1 or a destination.
import type { Pair } from "../config/pair";
import type { Occurrence } from "../domain/occurrences";
import { dueOccurrences } from "../domain/occurrences";
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

/** The vendor account a pair's calls are paced by: its Notion integration's secret, or its Google user. */
export function paceAccountOf(pair: Pair): string {
  const destination = pair.destination;
  if (destination.kind === "notion") return `notion:${destination.tokenSecret ?? "NOTION_TOKEN"}`;
  return `google:${destination.impersonate ?? ""}`;
}

/**
 * The meetings in turn by vendor account: one of each account, then the second of each, and so on. The
 * queue hands consumers consecutive messages together, and every account has its own pace, so a batch
 * that spans many accounts moves at all their rates at once, where a batch of one account's meetings
 * would wait on that account alone.
 */
export function interleaveByAccount<T extends { pair: Pair }>(meetings: readonly T[]): T[] {
  const byAccount = new Map<string, T[]>();
  for (const meeting of meetings) {
    const account = paceAccountOf(meeting.pair);
    const list = byAccount.get(account);
    if (list === undefined) byAccount.set(account, [meeting]);
    else list.push(meeting);
  }
  const lists = [...byAccount.values()];
  const longest = Math.max(0, ...lists.map((list) => list.length));
  const interleaved: T[] = [];
  for (let turn = 0; turn < longest; turn += 1) {
    for (const list of lists) {
      const meeting = list[turn];
      if (meeting !== undefined) interleaved.push(meeting);
    }
  }
  return interleaved;
}
