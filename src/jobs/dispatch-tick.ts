// The cron tick when work is fanned out: it only plans and hands out. One read of every pair (kept in
// memory while they do not change), one read of the due meetings' states to skip what is done, then one
// "prepare" message per meeting that needs a run, and one "sync" message per meeting whose previous
// agenda changed while its own waits for the meeting (watch-changes.ts). It also catches up what a
// consumer may have left: the digests of meetings created but not yet enqueued, the roll-ups that are
// due, and outbox rows that are due again (retries, or rows whose message was lost), one "deliver"
// message each.
import { meetingKey } from "../domain/occurrences";
import type { TickStore } from "../store/ticks";
import type { ConsumeDeps } from "./consume";
import { expireOverdue, OUTBOX_CHANNELS } from "./deliver";
import type { EnqueueSummary } from "./digests";
import { enqueueOwedDigests } from "./digests";
import { currentDirectory } from "./pair-directory";
import { interleaveByAccount, needsPreparing, planDueMeetings } from "./plan";
import type { WatchDeps } from "./watch-changes";
import { watchForChanges } from "./watch-changes";

/**
 * Due outbox rows one tick hands out at most: with the 100 prepare messages per `sendBatch`, a tick's
 * subrequests stay near 100 for 10,000 due meetings, far inside the paid plan's budget.
 */
const SWEEP_LIMIT = 1_000;

export interface DispatchDeps extends ConsumeDeps, WatchDeps {
  ticks: TickStore;
}

export interface DispatchSummary {
  /** Meetings owed an agenda at the tick's time. */
  due: number;
  /** Of those, meetings handed out (not done, not held by a live claim, not waiting for a retry). */
  dispatched: number;
  digests: EnqueueSummary;
  /** Outbox rows handed out because they are due again. */
  deliveries: number;
  /** Live sync: meetings in their window, the looks and their vendor calls, and the passes handed out. */
  sync: { inWindow: number; looks: number; calls: number; passes: number };
}

/** Plans the meetings due at `nowMs` (the scheduled time) and hands out the work; see the file header. */
export async function dispatchTick(deps: DispatchDeps, nowMs: number): Promise<DispatchSummary> {
  const directory = await currentDirectory(deps.pairs, (pair, sharing) => deps.destinationFor(pair, sharing));
  for (const invalid of directory.invalid) deps.log.error("pair.invalid", invalid);
  for (const shared of directory.shared) deps.log.error("pair.destination_shared", shared);
  const planned = planDueMeetings([...directory.pairs.values()], nowMs);
  const keys = planned.map(({ pair, occurrence }) => meetingKey(pair.id, occurrence.date));
  const states = await deps.meetings.planStates(keys);
  const clockMs = deps.clock();
  const due = interleaveByAccount(
    planned.filter((_, index) => needsPreparing(states.get(keys[index] ?? ""), clockMs)),
  );
  deps.log.info("tick.planned", {
    at: new Date(nowMs).toISOString(),
    pairs: directory.pairs.size,
    due: planned.length,
    dispatched: due.length,
  });
  // Recorded before the messages go, so the progress of every message sent can be followed. A tick that
  // hands out nothing (most of them) leaves no record.
  if (due.length > 0) {
    await deps.ticks.record({
      id: crypto.randomUUID(),
      scheduledAt: nowMs,
      nowMs: clockMs,
      due: planned.length,
      keys: due.map(({ pair, occurrence }) => meetingKey(pair.id, occurrence.date)),
    });
  }
  await deps.work.send(
    due.map(({ pair, occurrence }) => ({
      kind: "prepare",
      pairId: pair.id,
      date: occurrence.date,
      plannedAt: nowMs,
    })),
  );

  const watch = await watchForChanges(deps, directory.pairs, directory.destinationFor);
  await deps.work.send(
    watch.owed.map((meeting) => ({ kind: "sync", pairId: meeting.pairId, date: meeting.date })),
  );

  const digests = await enqueueOwedDigests(deps, nowMs);
  await expireOverdue(deps.deliveries, deps.log, { nowMs: deps.clock() });
  const owed = await deps.deliveries.dueIds({
    nowMs: deps.clock(),
    limit: SWEEP_LIMIT,
    channels: OUTBOX_CHANNELS,
  });
  await deps.work.send(owed.map((deliveryId) => ({ kind: "deliver", deliveryId })));
  const summary: DispatchSummary = {
    due: planned.length,
    dispatched: due.length,
    digests,
    deliveries: owed.length,
    sync: { inWindow: watch.inWindow, looks: watch.looks, calls: watch.calls, passes: watch.owed.length },
  };
  deps.log.info("tick.dispatched", { ...summary, digests: digests.deliveries });
  return summary;
}
