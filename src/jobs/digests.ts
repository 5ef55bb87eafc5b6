// The digests a tick owes, put into the outbox: each prepared meeting's digest to its pair's channels,
// and each manager's weekly roll-up once its time has come. Enqueueing is separate from sending: the
// outbox (jobs/deliver.ts) sends, retries and records, so a slow or broken channel never holds back
// an agenda, and an agenda's digest is never lost because a receiver was down.
//
// Which roll-ups are due goes by the tick's time; whether a meeting has begun, and when a digest stops
// being worth sending, go by the real clock (`deps.clock`), like the rest of the outbox. A meeting's
// digest expires when the meeting begins; a roll-up a week after it was queued, when the next one is due.
import type { Pair } from "../config/pair";
import type { Digest, DigestInput, DigestSource } from "../domain/digest";
import { buildDigest, digestItemsOf, stillOpen } from "../domain/digest";
import type { Rollup, RollupInput } from "../domain/rollup";
import { buildRollup } from "../domain/rollup";
import type { RollupConfig } from "../domain/rollup-schedule";
import { dueRollupDate, rollupKey } from "../domain/rollup-schedule";
import type { Logger } from "../lib/log";
import { errorMessage } from "../lib/log";
import type { Layout } from "../notify/channels/index";
import type { Mailbox } from "../notify/email/message";
import { outboxEntry } from "../notify/outbox-entry";
import type { DeliveryStore } from "../store/deliveries";
import type { MeetingRecord, MeetingStore } from "../store/meetings";
import type { PairStore } from "../store/pairs";
import type { RollupStore } from "../store/rollups";

/** Meetings whose digests one tick enqueues at most; the rest wait for the next tick. */
const MEETINGS_PER_TICK = 200;
/** A roll-up not delivered within a week is stale: the next week's says more. */
const ROLLUP_LIFETIME_MS = 7 * 86_400_000;

/** Each channel's layout of a meeting's digest (notify/channels/ has one folder per channel). */
const MEETING_DIGEST: Layout<Digest> = { of: (channel) => channel.digest };

/** Each channel's layout of a manager's weekly roll-up. */
const WEEKLY_ROLLUP: Layout<Rollup> = { of: (channel) => channel.rollup };

export interface DigestDeps {
  pairs: PairStore;
  meetings: MeetingStore;
  deliveries: DeliveryStore;
  rollups: RollupStore;
  log: Logger;
  /** The real clock (epoch ms). */
  clock(): number;
}

/** What a run enqueues: everything owed, or one pair's digests alone (no roll-ups, which span pairs). */
export interface EnqueueScope {
  pairId?: string;
}

export interface EnqueueSummary {
  /** Meetings whose digests went into the outbox (a meeting without channels counts too). */
  meetings: number;
  /** Meetings whose digest was not sent, with why: its meeting had begun, or its pair is gone. */
  skipped: number;
  /** Roll-ups that went into the outbox. */
  rollups: number;
  /** Outbox rows written (new or already there). */
  deliveries: number;
}

/**
 * The roll-up's figures for a meeting as it stands now: the items live sync saw ticked done in the previous
 * agenda after the agenda was made are closed, not carried (those carried once first appeared in the
 * previous agenda: closed within a week, like the done items the agenda was made with).
 */
function finalCounts(
  meeting: MeetingRecord,
  ledger: readonly DigestSource[],
): { closed: number; closedWithinWeek: number } {
  const closedBySync = ledger.filter((entry) => entry.role !== "discussion" && !stillOpen(entry));
  return {
    closed: meeting.closedCount + closedBySync.length,
    closedWithinWeek:
      meeting.closedWithinWeekCount + closedBySync.filter((entry) => entry.timesCarried === 1).length,
  };
}

function digestInput(
  pair: Pair,
  meeting: MeetingRecord,
  agendaUrl: string,
  ledger: readonly DigestSource[],
): DigestInput {
  return {
    pair: {
      id: pair.id,
      managerName: pair.manager.name,
      reportName: pair.report.name,
      timeZone: pair.schedule.timeZone,
    },
    meeting: { date: meeting.date, startsAt: meeting.startsAt },
    agendaUrl,
    carried: digestItemsOf(ledger),
    closedSinceLastMeeting: finalCounts(meeting, ledger).closed,
  };
}

function pairPeople(pair: Pair): Mailbox[] {
  return [
    { name: pair.manager.name, email: pair.manager.email },
    { name: pair.report.name, email: pair.report.email },
  ];
}

/**
 * Enqueues the digest of one created meeting, in one batch with the meeting's "digests enqueued" mark,
 * fenced by the token of the claim that created it. Returns the deliveries written, or why none were.
 */
export async function enqueueMeetingDigest(
  deps: DigestDeps,
  meeting: MeetingRecord,
  /** What the caller already holds: the pair, and the items it just carried (the ledger's content). */
  known: { pair?: Pair; carried?: readonly DigestSource[] } = {},
): Promise<{ deliveryIds: string[] } | { skipped: string }> {
  const nowMs = deps.clock();
  const fence = { meetingKey: meeting.key, token: meeting.claimToken, nowMs };
  const skip = async (reason: string) => {
    await deps.deliveries.enqueueMeetingDigests([], fence);
    return { skipped: reason };
  };
  const pair = known.pair ?? (await deps.pairs.get(meeting.pairId))?.pair ?? null;
  // A digest about a meeting that has begun is noise; one about a pair that was deleted has no address.
  if (pair === null) return skip("its pair is gone or no longer valid");
  if (meeting.agendaUrl === null) return skip("its agenda has no link");
  const startsAtMs = Date.parse(meeting.startsAt);
  if (startsAtMs <= nowMs) return skip("the meeting has begun");
  const digest = buildDigest(
    digestInput(pair, meeting, meeting.agendaUrl, known.carried ?? (await deps.meetings.ledger(meeting.key))),
  );
  const entries = pair.digests.map((channel) =>
    outboxEntry(MEETING_DIGEST, digest, channel, pairPeople(pair)),
  );
  const expires = { atMs: startsAtMs, reason: `the meeting began (${meeting.startsAt})` };
  const enqueued = await deps.deliveries.enqueueMeetingDigests(
    entries.map((entry) => ({ meetingKey: meeting.key, pairId: meeting.pairId, expires, nowMs, ...entry })),
    fence,
  );
  if (enqueued === null) return { skipped: "another run enqueued them, or took the meeting over" };
  return { deliveryIds: enqueued };
}

/** The roll-up of one manager's reports: every pair they manage, with its latest prepared agenda. */
async function rollupInput(
  deps: DigestDeps,
  allPairs: readonly Pair[],
  config: RollupConfig,
  date: string,
): Promise<RollupInput | null> {
  const pairs = allPairs.filter((pair) => pair.manager.email.toLowerCase() === config.manager.email);
  if (pairs.length === 0) return null;
  const latest = await deps.meetings.latestCreated(pairs.map((pair) => pair.id));
  const reports = await Promise.all(
    pairs.map(async (pair) => {
      const meeting = latest.get(pair.id);
      if (meeting === undefined || meeting.agendaUrl === null) {
        return { pairId: pair.id, reportName: pair.report.name, lastAgenda: null };
      }
      const ledger = await deps.meetings.ledger(meeting.key);
      const counts = finalCounts(meeting, ledger);
      return {
        pairId: pair.id,
        reportName: pair.report.name,
        lastAgenda: {
          date: meeting.date,
          startsAt: meeting.startsAt,
          timeZone: pair.schedule.timeZone,
          agendaUrl: meeting.agendaUrl,
          closedSinceLastMeeting: counts.closed,
          closedWithinWeek: counts.closedWithinWeek,
          carried: digestItemsOf(ledger),
        },
      };
    }),
  );
  return {
    manager: { name: config.manager.name, email: config.manager.email, timeZone: config.timeZone },
    date,
    reports,
  };
}

/** Enqueues a manager's roll-up if one is due and not enqueued yet; returns the deliveries written. */
async function enqueueRollup(
  deps: DigestDeps,
  allPairs: () => Promise<readonly Pair[]>,
  config: RollupConfig,
  nowMs: number,
): Promise<number> {
  const date = dueRollupDate(config, nowMs);
  if (date === null) return 0;
  const key = rollupKey(config.manager.email, date);
  // Built once per date: the outbox ids would absorb a second enqueue, but reading every pair's ledger
  // on each tick of the catch-up window would not be free.
  if ((await deps.deliveries.listForMeeting(key)).length > 0) return 0;
  const input = await rollupInput(deps, await allPairs(), config, date);
  if (input === null) {
    deps.log.warn("rollup.no_reports", { manager: config.manager.email, date });
    return 0;
  }
  const rollup = buildRollup(input);
  const manager = [{ name: config.manager.name, email: config.manager.email }];
  const entries = config.channels.map((channel) => outboxEntry(WEEKLY_ROLLUP, rollup, channel, manager));
  const queuedAtMs = deps.clock();
  const expiresAtMs = queuedAtMs + ROLLUP_LIFETIME_MS;
  const expires = {
    atMs: expiresAtMs,
    reason: `a week passed since it was queued (${new Date(expiresAtMs).toISOString()})`,
  };
  await deps.deliveries.enqueueAll(
    entries.map((entry) => ({ meetingKey: key, nowMs: queuedAtMs, expires, ...entry })),
  );
  deps.log.info("rollup.enqueued", { manager: config.manager.email, date, channels: entries.length });
  return entries.length;
}

/**
 * Enqueues every digest owed at `nowMs` (the tick's time), or only one pair's with `scope.pairId`. Each
 * meeting and each roll-up is tried on its own: one that fails (a store error, a bug in a layout) is
 * logged and owed again next tick, and the others go on.
 */
export async function enqueueOwedDigests(
  deps: DigestDeps,
  nowMs: number,
  scope: EnqueueScope = {},
): Promise<EnqueueSummary> {
  const summary: EnqueueSummary = { meetings: 0, skipped: 0, rollups: 0, deliveries: 0 };
  for (const meeting of await deps.meetings.owingDigests(MEETINGS_PER_TICK, scope.pairId)) {
    try {
      const result = await enqueueMeetingDigest(deps, meeting);
      if ("skipped" in result) {
        summary.skipped += 1;
        deps.log.info("digest.skipped", { key: meeting.key, reason: result.skipped });
      } else {
        summary.meetings += 1;
        summary.deliveries += result.deliveryIds.length;
      }
    } catch (error) {
      deps.log.error("digest.enqueue_failed", { key: meeting.key, error: errorMessage(error) });
    }
  }
  if (scope.pairId !== undefined) return summary;
  // Every due roll-up looks through the same pairs: read them once per tick, and only if one is due.
  let pairs: Promise<readonly Pair[]> | null = null;
  const allPairs = () => {
    pairs ??= deps.pairs.list().then((stored) => stored.flatMap((entry) => (entry.pair ? [entry.pair] : [])));
    return pairs;
  };
  for (const stored of await deps.rollups.list()) {
    if (stored.config === null) {
      deps.log.error("rollup.invalid", { manager: stored.managerEmail, problems: stored.problems });
      continue;
    }
    try {
      const written = await enqueueRollup(deps, allPairs, stored.config, nowMs);
      if (written > 0) {
        summary.rollups += 1;
        summary.deliveries += written;
      }
    } catch (error) {
      deps.log.error("rollup.enqueue_failed", { manager: stored.managerEmail, error: errorMessage(error) });
    }
  }
  return summary;
}
