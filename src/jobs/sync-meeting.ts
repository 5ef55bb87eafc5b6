// One live-sync pass over one meeting: from the moment its agenda is made until the meeting starts, the
// carried items follow the previous agenda (see domain/sync.ts for the rules). Owns the order of a pass:
// take the meeting's sync lease, read both agendas, plan, record the items it adds, apply, record the
// ledger as planned with the copies' new block ids, release the lease. An add is recorded before it is
// applied, so one whose answer was lost is known to the next pass (it finds the copy by its mark, or
// adds it again); checks and rewrites are recorded after, so a failed one is planned again.

import type { Pair } from "../config/pair";
import type { AgendaRef, Destination } from "../destinations/types";
import type { SyncAction } from "../domain/sync";
import { copiesOf, planSync } from "../domain/sync";
import type { Logger } from "../lib/log";
import { errorMessage } from "../lib/log";
import type { MeetingStore } from "../store/meetings";
import { carriedRoles } from "./prepare-meeting";

/** A pass reads two pages and writes a few blocks: a minute is ample, and a crashed pass frees it soon. */
const SYNC_LEASE_MS = 60 * 1000;

export interface SyncDeps {
  meetings: MeetingStore;
  destinationFor(pair: Pair): Destination;
  log: Logger;
  /** The real clock (epoch ms): the lease, the sync window, and the times the ledger records. */
  clock(): number;
  leaseMs?: number;
}

export type SyncOutcome =
  | { status: "synced"; key: string; actions: SyncAction[] }
  | { status: "skipped"; key: string; reason: string }
  | { status: "lost"; key: string }
  | { status: "failed"; key: string; error: string };

/** One pass for the meeting `key` of `pair`; `token` is unique per pass (the fence of its writes). */
export async function syncMeeting(
  deps: SyncDeps,
  pair: Pair,
  key: string,
  token: string,
): Promise<SyncOutcome> {
  const leaseMs = deps.leaseMs ?? SYNC_LEASE_MS;
  const skipped = (reason: string): SyncOutcome => {
    deps.log.debug("sync.skipped", { key, reason });
    return { status: "skipped", key, reason };
  };
  const record = await deps.meetings.get(key);
  if (
    record === null ||
    record.status !== "created" ||
    record.agendaId === null ||
    record.agendaUrl === null
  ) {
    return skipped("no agenda yet");
  }
  // Once the meeting starts, the agenda is the people's: nothing follows the previous one any more.
  if (Date.parse(record.startsAt) <= deps.clock()) return skipped("the meeting has started");
  const previousDate = record.carriedFrom?.date;
  if (previousDate === undefined) return skipped("nothing was carried");
  const destination = deps.destinationFor(pair);
  if (destination.readSyncItems === undefined || destination.applySync === undefined) {
    return skipped("the destination does not sync yet");
  }
  if (!(await deps.meetings.claimSync({ key, token, nowMs: deps.clock(), leaseMs }))) {
    return skipped("another pass holds the meeting");
  }
  const fence = { key, token };
  // Whatever changed before this moment, this pass reads: the tick stops sending the meeting for it.
  const readFromMs = deps.clock();
  try {
    const ledger = await deps.meetings.syncLedger(key);
    if (ledger.sourceAgendaId === null) return await released(skipped("nothing was carried"));
    // The planner would take the unfollowed items' sources for new items and carry them twice.
    if (ledger.unfollowed > 0)
      return await released(skipped("items were carried without their source blocks"));
    const previous: AgendaRef = {
      id: ledger.sourceAgendaId,
      url: record.carriedFrom?.url ?? "",
      date: previousDate,
    };
    const agenda: AgendaRef = { id: record.agendaId, url: record.agendaUrl, date: record.date };
    const roles = carriedRoles(pair);
    const followed = new Set(ledger.items.map((item) => item.sourceId));
    // Sub-items only for what a pass may add: the open to-dos it does not follow yet.
    const source = await destination.readSyncItems(previous, roles, (id) => !followed.has(id));
    const copies = copiesOf(await destination.readSyncItems(agenda, roles), ledger.items);
    const at = new Date(deps.clock()).toISOString();
    const plan = planSync({
      ledger: ledger.items,
      source,
      copies,
      previousDate,
      meetingDate: record.date,
      at,
    });
    const known = new Set(ledger.items.map((item) => item.itemId));
    const unchanged = JSON.stringify(ledger.items);
    const save = (items: typeof plan.ledger, finish?: { at: string; readFromMs: number }) =>
      deps.meetings.saveSync(fence, {
        ledger: items,
        sourceAgendaId: ledger.sourceAgendaId ?? "",
        nowMs: deps.clock(),
        leaseMs,
        newItems: items.some((item) => !known.has(item.itemId)),
        changed: JSON.stringify(items) !== unchanged,
        ...(finish === undefined ? {} : { finish }),
      });
    // Before the writes, only the items this pass adds: a pass that fails after an add landed must not add
    // it again (the next one finds the copy by its mark). Checks and rewrites are recorded once written,
    // so a failed one is planned again rather than taken for a person's change.
    const before = new Map(ledger.items.map((item) => [item.itemId, item]));
    const adds = new Set(plan.actions.flatMap((action) => (action.kind === "add" ? [action.itemId] : [])));
    const planned = plan.ledger.flatMap((item) => {
      if (adds.has(item.itemId)) return [item];
      const known = before.get(item.itemId);
      return known === undefined ? [] : [known];
    });
    if (adds.size > 0 && !(await save(planned))) return lost();
    const applied =
      plan.actions.length === 0
        ? { added: new Map<string, string>(), skipped: new Set<string>() }
        : await destination.applySync(agenda, plan.actions);
    const withCopies = plan.ledger.map((item) => {
      // Not written: the ledger keeps what the copy still is.
      if (applied.skipped.has(item.itemId)) return before.get(item.itemId) ?? item;
      const targetId = applied.added.get(item.itemId);
      return targetId === undefined ? item : { ...item, targetId };
    });
    // The ledger as written, and the pass's end, in one batch.
    if (!(await save(withCopies, { at, readFromMs }))) return lost();
    if (plan.actions.length > 0) deps.log.info("sync.applied", { key, actions: plan.actions.length });
    return { status: "synced", key, actions: plan.actions };
  } catch (error) {
    // The lease runs out on its own: the next pass starts again from what the ledger holds.
    const message = errorMessage(error);
    deps.log.error("sync.failed", { key, error: message });
    return { status: "failed", key, error: message };
  }

  async function released(outcome: SyncOutcome): Promise<SyncOutcome> {
    // A skip for a reason no later change removes: the meeting is not owed a pass again.
    await deps.meetings.finishSync(fence, new Date(deps.clock()).toISOString(), readFromMs);
    return outcome;
  }

  function lost(): SyncOutcome {
    deps.log.warn("sync.lease_lost", { key });
    return { status: "lost", key };
  }
}
