// Prepares one pair's meeting: the unit of work that runs on its own and can be retried. Claim the
// meeting, find-before-create in the destination, carry the open items of the previous agenda, write
// the new agenda, record it. Every failure is this pair's alone and is recorded with its reason.
// The claim is a lease on the real clock with a fencing token: the ledger write renews it just before
// the agenda is written, and a run that finds it lost (a slower run whose lease ran out and was taken
// over) stops there and leaves the meeting to the run that holds it.
import { Temporal } from "temporal-polyfill";
import type { Pair } from "../config/pair";
import type { AgendaDraft, Destination, MeetingRef, ReadItems } from "../destinations/types";
import { DestinationError } from "../destinations/types";
import type { Agenda, CarryRole } from "../domain/agenda";
import type { CarriedItem } from "../domain/carry";
import { carryForward, markedTodo, withCarriedItems } from "../domain/carry";
import { MEETING_CLAIM_LEASE_MS } from "../domain/leases";
import type { Occurrence } from "../domain/occurrences";
import { meetingKey } from "../domain/occurrences";
import type { Logger } from "../lib/log";
import { errorMessage } from "../lib/log";
import type { MeetingRecord, MeetingStore } from "../store/meetings";
import { getTemplate } from "../templates";
import type { TemplateContext } from "../templates/render";
import { placeholderValues, renderTemplate } from "../templates/render";

/** A failure only a person can fix (unshared database, missing property) is retried hourly, not every tick. */
const PERMANENT_FAILURE_RETRY_MS = 60 * 60 * 1000;

/** The meeting as recorded, for the caller's next step (its digests); runs report outcomes without it. */
export type MeetingOutcome =
  | { status: "created"; key: string; agendaUrl: string; carried: CarriedItem[]; meeting: MeetingRecord }
  | { status: "found"; key: string; agendaUrl: string; meeting: MeetingRecord }
  | { status: "skipped"; key: string; reason: string }
  | { status: "failed"; key: string; error: string; retryable: boolean }
  /**
   * This run's claim ran out and another run took the meeting over: this run stopped and recorded
   * nothing. `agendaUrl` is set when it had already written an agenda (it outlived its whole lease).
   */
  | { status: "lost"; key: string; reason: string; agendaUrl: string | null }
  | { status: "dry-run"; key: string; agenda: Agenda; carried: CarriedItem[]; existingUrl: string | null };

export interface PrepareDeps {
  meetings: MeetingStore;
  destinationFor(pair: Pair): Destination;
  log: Logger;
  /** The real clock (epoch ms), for the claim's lease. */
  clock(): number;
  /** The claim's lease (MEETING_CLAIM_LEASE_SECONDS); MEETING_CLAIM_LEASE_MS when not given. */
  leaseMs?: number;
}

export interface PrepareOptions {
  runId: string;
  dryRun: boolean;
  /**
   * When a failure that may pass (an outage, a rate limit) may be tried again: at once by default (the
   * next tick), later when the queue retries the meeting itself, so the tick does not try it meanwhile.
   */
  retryableDelayMs?: number;
}

const NO_OPEN_ITEMS: ReadItems = { actions: [], discussion: [], parked: [], closed: 0, closedWithinWeek: 0 };

/**
 * The roles whose open to-dos this pair carries: action items and the parking lot always (a parked item
 * not read would be lost), discussion points by choice.
 */
export function carriedRoles(pair: Pair): CarryRole[] {
  return pair.carry.discussion ? ["actions", "discussion", "parked"] : ["actions", "parked"];
}

/** What one meeting fills into the pair's template: names, local date, weekday, time and zone. */
function templateContext(pair: Pair, occurrence: Occurrence): TemplateContext {
  const date = Temporal.PlainDate.from(occurrence.date);
  return {
    pairId: pair.id,
    manager: { name: pair.manager.name },
    report: { name: pair.report.name },
    meeting: {
      date: occurrence.date,
      weekday: date.toLocaleString("en-US", { weekday: "long" }),
      time: pair.schedule.time,
      timeZone: pair.schedule.timeZone,
    },
  };
}

/** The agenda to write: the rendered template with the carried items in place, and what it was made of. */
function draftFor(pair: Pair, occurrence: Occurrence, carried: readonly CarriedItem[]): AgendaDraft {
  const context = templateContext(pair, occurrence);
  const marked = (role: CarryRole) => carried.filter((item) => item.role === role).map(markedTodo);
  return {
    agenda: withCarriedItems(renderTemplate(getTemplate(pair.template), context), carried),
    carried: { actions: marked("actions"), discussion: marked("discussion"), parked: marked("parked") },
    placeholders: placeholderValues(context),
  };
}

export async function prepareMeeting(
  deps: PrepareDeps,
  pair: Pair,
  occurrence: Occurrence,
  options: PrepareOptions,
): Promise<MeetingOutcome> {
  const key = meetingKey(pair.id, occurrence.date);
  let meeting: MeetingRef = { pairId: pair.id, key, date: occurrence.date };
  const at = new Date(deps.clock()).toISOString();
  const log = deps.log;
  const leaseMs = deps.leaseMs ?? MEETING_CLAIM_LEASE_MS;

  if (!options.dryRun) {
    const claimed = await claimMeeting(deps, occurrence, meeting, options.runId, leaseMs);
    if ("status" in claimed) return claimed;
    meeting = claimed;
  }

  try {
    const destination = deps.destinationFor(pair);
    const located = await destination.locate(meeting);
    if (located.existing && !options.dryRun) {
      // A run that crashed after creating, or a person who made the page by hand: keep theirs.
      const recorded = await deps.meetings.complete(key, options.runId, located.existing, at);
      if (recorded === null) {
        return lost(deps, key, "the claim was lost before the agenda found was recorded", null);
      }
      log.info("meeting.found", { key, url: located.existing.url });
      return { status: "found", key, agendaUrl: located.existing.url, meeting: recorded };
    }
    const previous = located.previous;
    const open = previous ? await destination.readOpenItems(previous, carriedRoles(pair)) : NO_OPEN_ITEMS;
    const carried = previous ? carryForward(open, previous.date, occurrence.date, pair.carry) : [];
    const draft = draftFor(pair, occurrence, carried);
    if (options.dryRun) {
      return {
        status: "dry-run",
        key,
        agenda: draft.agenda,
        carried,
        existingUrl: located.existing?.url ?? null,
      };
    }
    const fence = { key, token: options.runId };
    const saved = await deps.meetings.saveLedger(fence, {
      carried,
      sourceAgendaId: previous?.id ?? null,
      source: previous,
      closedCount: open.closed,
      closedWithinWeekCount: open.closedWithinWeek,
      nowMs: deps.clock(),
      leaseMs,
    });
    if (!saved) return lost(deps, key, "the claim was lost before the agenda was written", null);
    const created = await destination.create(meeting, draft);
    const recorded = await deps.meetings.complete(key, options.runId, created, at);
    if (recorded === null) {
      return lost(deps, key, "the claim was lost while the agenda was written", created.url);
    }
    log.info("meeting.created", { key, url: created.url, carried: carried.length });
    return { status: "created", key, agendaUrl: created.url, carried, meeting: recorded };
  } catch (error) {
    return await failed(deps, key, error, options, at);
  }
}

/**
 * Claims the meeting for this run: the meeting with what D1 knows of it (a destination can skip its search
 * in the usual case, see MeetingRef.known), or the skip when another run holds it or made its agenda.
 */
async function claimMeeting(
  deps: PrepareDeps,
  occurrence: Occurrence,
  meeting: MeetingRef,
  runId: string,
  leaseMs: number,
): Promise<MeetingRef | MeetingOutcome> {
  const { key, pairId } = meeting;
  const claimed = await deps.meetings.claim({
    key,
    pairId,
    date: occurrence.date,
    startsAt: occurrence.startsAt,
    token: runId,
    nowMs: deps.clock(),
    leaseMs,
  });
  if (!claimed) {
    const record = await deps.meetings.get(key);
    const reason = record?.status === "created" ? "agenda already created" : "another run is preparing it";
    deps.log.debug("meeting.skipped", { key, reason });
    return { status: "skipped", key, reason };
  }
  return { ...meeting, known: await deps.meetings.knownBefore(key, pairId, occurrence.date) };
}

/**
 * A run that failed: recorded (not in a dry run) with when to try again. A failure only a person can fix
 * waits an hour; one that may pass waits `retryableDelayMs`.
 */
async function failed(
  deps: PrepareDeps,
  key: string,
  error: unknown,
  options: PrepareOptions,
  at: string,
): Promise<MeetingOutcome> {
  const message = errorMessage(error);
  const retryable = error instanceof DestinationError ? error.retryable : true;
  if (!options.dryRun) {
    const retryAfter =
      deps.clock() + (retryable ? (options.retryableDelayMs ?? 0) : PERMANENT_FAILURE_RETRY_MS);
    await deps.meetings.fail(key, options.runId, message, retryAfter, at);
  }
  deps.log.error("meeting.failed", { key, error: message, retryable });
  return { status: "failed", key, error: message, retryable };
}

/** The outcome of a run that found its claim taken over: it stops, and says what it left behind. */
function lost(deps: PrepareDeps, key: string, reason: string, agendaUrl: string | null): MeetingOutcome {
  if (agendaUrl === null) deps.log.warn("meeting.claim_lost", { key, reason });
  // An agenda written under a lost claim may be a second one: say where, so a person can look.
  else deps.log.error("meeting.claim_lost", { key, reason, url: agendaUrl });
  return { status: "lost", key, reason, agendaUrl };
}
