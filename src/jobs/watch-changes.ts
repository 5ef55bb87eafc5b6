// Live sync's look, once per tick: which meetings in their sync window are owed a pass. It reads the
// window from D1, asks each watched place once (a Notion data source, a Google account; however many pairs
// keep agendas there) what changed since its cursor, adds the pages Notion's webhooks named, marks the
// meetings whose previous agenda may have changed, moves the cursors, and answers the meetings owed a
// pass (those just marked, and those a failed pass left owed). Only the previous agenda's changes count:
// what people do in the new agenda needs nothing from the Worker until its source changes.

import type { Pair } from "../config/pair";
import type { ChangeLook, ChangeWatch, Destination } from "../destinations/types";
import type { Logger } from "../lib/log";
import { errorMessage } from "../lib/log";
import { mapWithConcurrency } from "../lib/pool";
import type { ChangeSignalStore } from "../store/change-signals";
import { normalizeNotionId } from "../store/change-signals";
import type { SyncWatchStore, SyncWindowMeeting } from "../store/sync-watch";
import { owesPass } from "../store/sync-watch";

/** Places looked at once: each waits for its own vendor account's pace. */
const LOOK_CONCURRENCY = 4;

export interface WatchDeps {
  syncWatch: SyncWatchStore;
  signals: ChangeSignalStore;
  log: Logger;
  /** The real clock (epoch ms): what has started, and when a look looked. */
  clock(): number;
}

export interface WatchSummary {
  /** Meetings in their sync window whose pair syncs. */
  inWindow: number;
  /** Places looked at, and the vendor calls the looks made. */
  looks: number;
  calls: number;
  /** Places whose look failed: their cursors stay, so the next tick looks again from the same point. */
  failedLooks: number;
  /** Meetings that had a webhook signal for their previous agenda. */
  signalled: number;
  /** Meetings owed a pass, the soonest meeting first. */
  owed: SyncWindowMeeting[];
}

/** A pair's destination as the look needs it: one that can both watch and sync. */
function watchOf(destination: Destination): Promise<ChangeWatch> | null {
  if (destination.changeWatch === undefined) return null;
  if (destination.readSyncItems === undefined || destination.applySync === undefined) return null;
  return destination.changeWatch();
}

/** A watched place: its watch, and the meetings in the window whose agendas live there. */
interface Place {
  watch: ChangeWatch;
  meetings: SyncWindowMeeting[];
}

/** A place's look this tick; null when it failed. */
interface PlaceLook {
  scope: string;
  place: Place;
  look: ChangeLook | null;
}

export async function watchForChanges(
  deps: WatchDeps,
  pairs: ReadonlyMap<string, Pair>,
  destinationFor: (pair: Pair) => Destination,
): Promise<WatchSummary> {
  const lookedAt = deps.clock();
  const window = (await deps.syncWatch.window(new Date(lookedAt).toISOString())).filter(
    (meeting) => pairs.get(meeting.pairId)?.carry.sync === true,
  );
  const none: WatchSummary = { inWindow: 0, looks: 0, calls: 0, failedLooks: 0, signalled: 0, owed: [] };
  if (window.length === 0) return none;

  const places = [...(await placesOf(deps, window, pairs, destinationFor)).entries()];
  const cursors = await deps.syncWatch.cursors(places.map(([scope]) => scope));
  const looks = await mapWithConcurrency(places, LOOK_CONCURRENCY, async ([scope, place]) => {
    try {
      return { scope, place, look: await place.watch.changedSince(cursors.get(scope) ?? null) };
    } catch (error) {
      deps.log.warn("sync.look_failed", { scope, error: errorMessage(error) });
      return { scope, place, look: null };
    }
  });

  const pendingSignals = await deps.signals.pending();
  const signalledPages = new Map(
    pendingSignals.signals
      .filter((signal) => signal.kind === "page")
      .map((signal) => [signal.id, signal.receivedAt]),
  );
  const tally = tallyLooks(looks, signalledPages);
  await deps.syncWatch.recordLooks(
    tally.changed.map((meeting) => meeting.key),
    lookedAt,
    tally.cursors,
  );
  // The signals read are handled: the meetings they named are marked. One that arrived since stays.
  if (pendingSignals.signals.length > 0)
    await deps.signals.clear(pendingSignals.signals, pendingSignals.upTo);

  const marked = new Set(tally.changed.map((meeting) => meeting.key));
  const owed = window.filter((meeting) =>
    owesPass(marked.has(meeting.key) ? { ...meeting, wantedAt: lookedAt } : meeting),
  );
  const summary: WatchSummary = {
    inWindow: window.length,
    looks: looks.length,
    calls: tally.calls,
    failedLooks: looks.filter((entry) => entry.look === null).length,
    signalled: tally.signalled,
    owed,
  };
  deps.log.info("sync.looked", { ...summary, owed: owed.length });
  return summary;
}

/** One watch per pair in the window; pairs whose watches share a scope share its place (and its look). */
async function placesOf(
  deps: WatchDeps,
  window: readonly SyncWindowMeeting[],
  pairs: ReadonlyMap<string, Pair>,
  destinationFor: (pair: Pair) => Destination,
): Promise<Map<string, Place>> {
  const watched = new Map<string, Place>();
  const watches = new Map<string, Promise<ChangeWatch | null>>();
  for (const meeting of window) {
    const pair = pairs.get(meeting.pairId);
    if (pair === undefined) continue;
    let pending = watches.get(pair.id);
    if (pending === undefined) {
      pending = Promise.resolve(watchOf(destinationFor(pair))).catch((error: unknown) => {
        deps.log.warn("sync.watch_unavailable", { pairId: pair.id, error: errorMessage(error) });
        return null;
      });
      watches.set(pair.id, pending);
    }
    const watch = await pending;
    if (watch === null) continue;
    const place = watched.get(watch.scope) ?? { watch, meetings: [] };
    place.meetings.push(meeting);
    watched.set(watch.scope, place);
  }
  return watched;
}

/** What the looks found: the meetings to mark, each place's new cursor, the calls made, the signalled. */
interface LookTally {
  changed: SyncWindowMeeting[];
  cursors: Map<string, string>;
  calls: number;
  signalled: number;
}

/**
 * The meetings whose previous agenda changed by a look or by a webhook signal (`signalledPages`: when each
 * page's signal arrived). A failed look moves no cursor. A signal a pass has read since (the webhook route
 * sends one at once) asks for nothing more.
 */
export function tallyLooks(
  looks: readonly PlaceLook[],
  signalledPages: ReadonlyMap<string, number>,
): LookTally {
  const tally: LookTally = { changed: [], cursors: new Map(), calls: 0, signalled: 0 };
  for (const { scope, place, look } of looks) {
    if (look !== null) {
      tally.calls += look.calls;
      tally.cursors.set(scope, look.cursor);
    }
    for (const meeting of place.meetings) {
      const signalAt = signalledPages.get(normalizeNotionId(meeting.previousAgendaId)) ?? -1;
      const bySignal = signalAt > (meeting.readAt ?? -1);
      if (bySignal) tally.signalled += 1;
      if (bySignal || changedBy(look, meeting)) tally.changed.push(meeting);
    }
  }
  return tally;
}

/** A failed look knows nothing: the meeting is not marked, and the next look starts from the same cursor. */
function changedBy(look: ChangeLook | null, meeting: SyncWindowMeeting): boolean {
  return look?.changed(meeting.previousAgendaId) === true;
}
