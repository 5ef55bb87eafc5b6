// One live-sync pass over one meeting: from the moment its agenda is made until the meeting starts, the
// carried items follow the previous agenda (see domain/sync.ts for the rules). Owns the order of a pass:
// take the meeting's sync lease, read both agendas, plan, record the items it adds, apply, record the
// ledger as planned with the copies' new block ids, release the lease. An add is recorded before it is
// applied, so one whose answer was lost is known to the next pass (it finds the copy by its mark, or
// adds it again); checks and rewrites are recorded after, so a failed one is planned again.

import type { Pair } from "../config/pair";
import type { AgendaRef, Destination, SyncApplied } from "../destinations/types";
import type { SyncAction, SyncLedgerItem, SyncPlan } from "../domain/sync";
import { copiesOf, planSync } from "../domain/sync";
import type { Logger } from "../lib/log";
import { errorMessage } from "../lib/log";
import type { Fence, MeetingRecord, MeetingStore } from "../store/meetings";
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

/** A created meeting's agenda and the date of the previous agenda it carried from: what a pass works between. */
interface SyncTarget {
  record: MeetingRecord;
  agenda: AgendaRef;
  previousDate: string;
}

/**
 * What a pass over `record` works between, or why the meeting is not owed one. Once the meeting starts,
 * the agenda is the people's: nothing follows the previous one any more.
 */
export function syncTargetOf(record: MeetingRecord | null, nowMs: number): SyncTarget | string {
  if (
    record === null ||
    record.status !== "created" ||
    record.agendaId === null ||
    record.agendaUrl === null
  ) {
    return "no agenda yet";
  }
  if (Date.parse(record.startsAt) <= nowMs) return "the meeting has started";
  const previousDate = record.carriedFrom?.date;
  if (previousDate === undefined) return "nothing was carried";
  return { record, agenda: { id: record.agendaId, url: record.agendaUrl, date: record.date }, previousDate };
}

/** A destination that can read and write a sync pass. */
type SyncingDestination = Destination & Required<Pick<Destination, "readSyncItems" | "applySync">>;

function syncs(destination: Destination): destination is SyncingDestination {
  return destination.readSyncItems !== undefined && destination.applySync !== undefined;
}

/**
 * The ledger recorded before the writes: the items this pass adds, and every other item as it was. A pass
 * that fails after an add landed must not add it again (the next one finds the copy by its mark); checks
 * and rewrites are recorded once written, so a failed one is planned again rather than taken for a
 * person's change.
 */
export function ledgerBeforeWrites(before: readonly SyncLedgerItem[], plan: SyncPlan): SyncLedgerItem[] {
  const known = new Map(before.map((item) => [item.itemId, item]));
  const adds = new Set(plan.actions.flatMap((action) => (action.kind === "add" ? [action.itemId] : [])));
  return plan.ledger.flatMap((item) => {
    if (adds.has(item.itemId)) return [item];
    const was = known.get(item.itemId);
    return was === undefined ? [] : [was];
  });
}

/** The planned ledger as written: added copies get their block ids; an item left unwritten keeps its copy. */
export function ledgerAsWritten(
  before: readonly SyncLedgerItem[],
  planned: readonly SyncLedgerItem[],
  applied: SyncApplied,
): SyncLedgerItem[] {
  const known = new Map(before.map((item) => [item.itemId, item]));
  return planned.map((item) => {
    if (applied.skipped.has(item.itemId)) return known.get(item.itemId) ?? item;
    const targetId = applied.added.get(item.itemId);
    return targetId === undefined ? item : { ...item, targetId };
  });
}

/** One pass once it holds the meeting's sync lease. */
interface Pass {
  deps: SyncDeps;
  pair: Pair;
  key: string;
  fence: Fence;
  leaseMs: number;
  /** Whatever changed before this moment, this pass reads: the tick stops sending the meeting for it. */
  readFromMs: number;
  target: SyncTarget;
  destination: SyncingDestination;
  skipped(reason: string): SyncOutcome;
}

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
  const target = syncTargetOf(await deps.meetings.get(key), deps.clock());
  if (typeof target === "string") return skipped(target);
  const destination = deps.destinationFor(pair);
  if (!syncs(destination)) return skipped("the destination does not sync yet");
  if (!(await deps.meetings.claimSync({ key, token, nowMs: deps.clock(), leaseMs }))) {
    return skipped("another pass holds the meeting");
  }
  const fence = { key, token };
  const pass: Pass = {
    deps,
    pair,
    key,
    fence,
    leaseMs,
    readFromMs: deps.clock(),
    target,
    destination,
    skipped,
  };
  try {
    return await runPass(pass);
  } catch (error) {
    // The lease runs out on its own: the next pass starts again from what the ledger holds.
    const message = errorMessage(error);
    deps.log.error("sync.failed", { key, error: message });
    return { status: "failed", key, error: message };
  }
}

/** Reads both agendas, plans, records the adds, applies, and records the ledger as written. */
async function runPass(pass: Pass): Promise<SyncOutcome> {
  const { deps, key, target, destination } = pass;
  const ledger = await deps.meetings.syncLedger(key);
  const sourceAgendaId = ledger.sourceAgendaId;
  if (sourceAgendaId === null) return await released(pass, pass.skipped("nothing was carried"));
  // The planner would take the unfollowed items' sources for new items and carry them twice.
  if (ledger.unfollowed > 0)
    return await released(pass, pass.skipped("items were carried without their source blocks"));
  const previous: AgendaRef = {
    id: sourceAgendaId,
    url: target.record.carriedFrom?.url ?? "",
    date: target.previousDate,
  };
  const roles = carriedRoles(pass.pair);
  const followed = new Set(ledger.items.map((item) => item.sourceId));
  // Sub-items only for what a pass may add: the open to-dos it does not follow yet.
  const source = await destination.readSyncItems(previous, roles, (id) => !followed.has(id));
  const copies = copiesOf(await destination.readSyncItems(target.agenda, roles), ledger.items);
  const at = new Date(deps.clock()).toISOString();
  const plan = planSync({
    ledger: ledger.items,
    source,
    copies,
    previousDate: target.previousDate,
    meetingDate: target.record.date,
    at,
  });
  const known = new Set(ledger.items.map((item) => item.itemId));
  const unchanged = JSON.stringify(ledger.items);
  const save = (items: SyncLedgerItem[], finish?: { at: string; readFromMs: number }) =>
    deps.meetings.saveSync(pass.fence, {
      ledger: items,
      sourceAgendaId,
      nowMs: deps.clock(),
      leaseMs: pass.leaseMs,
      newItems: items.some((item) => !known.has(item.itemId)),
      changed: JSON.stringify(items) !== unchanged,
      ...(finish === undefined ? {} : { finish }),
    });
  const adds = plan.actions.some((action) => action.kind === "add");
  if (adds && !(await save(ledgerBeforeWrites(ledger.items, plan)))) return lost(pass);
  const applied =
    plan.actions.length === 0
      ? { added: new Map<string, string>(), skipped: new Set<string>() }
      : await destination.applySync(target.agenda, plan.actions);
  // The ledger as written, and the pass's end, in one batch.
  const written = ledgerAsWritten(ledger.items, plan.ledger, applied);
  if (!(await save(written, { at, readFromMs: pass.readFromMs }))) return lost(pass);
  if (plan.actions.length > 0) deps.log.info("sync.applied", { key, actions: plan.actions.length });
  return { status: "synced", key, actions: plan.actions };
}

/** A skip for a reason no later change removes: the meeting is not owed a pass again. */
async function released(pass: Pass, outcome: SyncOutcome): Promise<SyncOutcome> {
  const { deps } = pass;
  await deps.meetings.finishSync(pass.fence, new Date(deps.clock()).toISOString(), pass.readFromMs);
  return outcome;
}

function lost(pass: Pass): SyncOutcome {
  pass.deps.log.warn("sync.lease_lost", { key: pass.key });
  return { status: "lost", key: pass.key };
}
