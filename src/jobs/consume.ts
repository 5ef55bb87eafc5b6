// The queue's consumer: each message is one piece of work, parsed before anything is done with it.
// "prepare" prepares one meeting (claim, find-before-create, carry, write, record), then enqueues its
// digests under the same claim and sends one "deliver" message per delivery; "deliver" sends one digest
// delivery (claim, send, record); "sync" runs one live-sync pass over a meeting (sync-meeting.ts). A
// vendor's transient failure goes back to the queue with backoff; the queue moves a message that keeps
// failing to the dead-letter queue (see dead-letters.ts). A sync message is never retried: the meeting
// stays owed its pass, and the next tick sends it again.

import type { Pair } from "../config/pair";
import type { SharingCheck } from "../destinations/sharing";
import type { Destination } from "../destinations/types";
import type { CarriedItem } from "../domain/carry";
import { WORK_RETRY_FIRST_DELAY_MS } from "../domain/leases";
import { dueOccurrences, meetingKey } from "../domain/occurrences";
import type { Logger } from "../lib/log";
import { errorMessage } from "../lib/log";
import { mapWithConcurrency } from "../lib/pool";
import type { DeliveryStore } from "../store/deliveries";
import type { MeetingRecord, MeetingStore } from "../store/meetings";
import type { PairStore } from "../store/pairs";
import type { DeliveryResult } from "./deliver";
import { deliveryRunner } from "./deliver";
import type { DigestDeps } from "./digests";
import { enqueueMeetingDigest } from "./digests";
import type { PairDirectory } from "./pair-directory";
import { currentDirectory } from "./pair-directory";
import { prepareMeeting } from "./prepare-meeting";
import type { SendingDeps } from "./sending";
import { sendingOptions } from "./sending";
import { syncMeeting } from "./sync-meeting";
import type { WorkEnvelope, WorkMessage, WorkQueue } from "./work";
import { workMessageSchema } from "./work";

/** The queue's backoff doubles from the first delay up to this many times it. */
const RETRY_GROWTH_LIMIT = 20;
/** The longest delay Cloudflare Queues accept on a retry (12 hours). */
const QUEUE_MAX_DELAY_S = 43_200;

export interface ConsumeDeps extends DigestDeps, SendingDeps {
  pairs: PairStore;
  meetings: MeetingStore;
  deliveries: DeliveryStore;
  log: Logger;
  clock(): number;
  work: WorkQueue;
  /** The first retry's delay (WORK_RETRY_FIRST_DELAY_SECONDS); the product default when not given. */
  workRetryFirstDelaySeconds?: number;
  destinationFor(pair: Pair, sharing?: SharingCheck): Destination;
}

/** The queue's delay before the `attempts`-th retry of a message (a meeting, or a send whose record failed). */
function queueRetryDelaySeconds(attempts: number, firstSeconds = WORK_RETRY_FIRST_DELAY_MS / 1000): number {
  return Math.min(firstSeconds * RETRY_GROWTH_LIMIT, firstSeconds * 2 ** Math.max(0, attempts - 1));
}

/** Handles one batch; every message is acked or retried on its own, whatever happens to the others. */
export async function consumeWork(deps: ConsumeDeps, batch: readonly WorkEnvelope[]): Promise<void> {
  const send = deliveryRunner(sendingOptions(deps));
  // One look at the pairs per batch, and only when a message needs them.
  let directory: Promise<PairDirectory> | null = null;
  const pairs = () => {
    directory ??= currentDirectory(deps.pairs, (pair, sharing) => deps.destinationFor(pair, sharing));
    return directory;
  };
  // Every message of the batch at once: each waits for its own vendor account's pace (shared by every
  // consumer), so a batch of meetings on many accounts moves at all their rates together, and the batch's
  // size (max_batch_size) is what bounds an invocation's subrequests and D1 queries.
  await mapWithConcurrency(batch, batch.length, async (envelope) => {
    const parsed = workMessageSchema.safeParse(envelope.body);
    if (!parsed.success) {
      // Nothing can make a malformed message good: retrying would only move it to the dead letters.
      deps.log.error("work.malformed", {
        id: envelope.id,
        problems: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
      });
      envelope.ack();
      return;
    }
    try {
      const message = parsed.data;
      if (message.kind === "prepare") await prepare(deps, await pairs(), message, envelope);
      else if (message.kind === "sync") await sync(deps, await pairs(), message, envelope);
      else settleDelivery(deps, envelope, await send(message.deliveryId));
    } catch (error) {
      if (parsed.data.kind === "sync") {
        // The meeting stays owed a pass until one finishes, and the next tick sends it again: a retry here
        // would only race that one.
        deps.log.warn("work.sync_failed", { id: envelope.id, error: errorMessage(error) });
        envelope.ack();
        return;
      }
      // D1 or the queue itself failed: the message comes back later, and dies in the end if it persists.
      deps.log.error("work.failed", { id: envelope.id, kind: parsed.data.kind, error: errorMessage(error) });
      envelope.retry({
        delaySeconds: queueRetryDelaySeconds(envelope.attempts, deps.workRetryFirstDelaySeconds),
      });
    }
  });
}

async function prepare(
  deps: ConsumeDeps,
  directory: PairDirectory,
  message: Extract<WorkMessage, { kind: "prepare" }>,
  envelope: WorkEnvelope,
): Promise<void> {
  const pair = directory.pairs.get(message.pairId);
  const occurrence =
    pair === undefined
      ? undefined
      : dueOccurrences(pair.schedule, message.plannedAt).find((due) => due.date === message.date);
  if (pair === undefined || occurrence === undefined || Date.parse(occurrence.startsAt) <= deps.clock()) {
    // Deleted, paused or rescheduled since the tick planned it, or begun while the message waited (after
    // an outage): nothing is owed any more. The next agenda carries from the last one that exists.
    deps.log.info("work.stale", { pairId: message.pairId, date: message.date });
    envelope.ack();
    return;
  }
  const delaySeconds = queueRetryDelaySeconds(envelope.attempts, deps.workRetryFirstDelaySeconds);
  const outcome = await prepareMeeting(
    {
      meetings: deps.meetings,
      log: deps.log,
      clock: deps.clock,
      destinationFor: directory.destinationFor,
      ...(deps.leases === undefined ? {} : { leaseMs: deps.leases.meetingMs }),
    },
    pair,
    occurrence,
    { runId: crypto.randomUUID(), dryRun: false, retryableDelayMs: delaySeconds * 1000 },
  );
  if (outcome.status === "failed" && outcome.retryable) {
    envelope.retry({ delaySeconds });
    return;
  }
  if (outcome.status === "created" || outcome.status === "found") {
    await sendMeetingDigests(
      deps,
      pair,
      outcome.meeting,
      outcome.status === "created" ? outcome.carried : null,
    );
  }
  envelope.ack();
}

/** One live-sync pass; whatever its outcome the message is done (see the catch in `consumeWork`). */
async function sync(
  deps: ConsumeDeps,
  directory: PairDirectory,
  message: Extract<WorkMessage, { kind: "sync" }>,
  envelope: WorkEnvelope,
): Promise<void> {
  const pair = directory.pairs.get(message.pairId);
  if (pair === undefined || !pair.carry.sync) {
    deps.log.info("work.stale", { pairId: message.pairId, date: message.date, kind: "sync" });
    envelope.ack();
    return;
  }
  await syncMeeting(
    { meetings: deps.meetings, log: deps.log, clock: deps.clock, destinationFor: directory.destinationFor },
    pair,
    meetingKey(pair.id, message.date),
    crypto.randomUUID(),
  );
  envelope.ack();
}

/**
 * Enqueues the meeting's digests (fenced by the claim that created it) and sends one message per
 * delivery. What this run just carried is the ledger; a meeting it found made reads the ledger.
 */
async function sendMeetingDigests(
  deps: ConsumeDeps,
  pair: Pair,
  meeting: MeetingRecord,
  carried: readonly CarriedItem[] | null,
): Promise<void> {
  if (meeting.digestsEnqueuedAt !== null) return;
  const result = await enqueueMeetingDigest(deps, meeting, {
    pair,
    ...(carried === null ? {} : { carried }),
  });
  if ("skipped" in result) {
    deps.log.info("digest.skipped", { key: meeting.key, reason: result.skipped });
    return;
  }
  await deps.work.send(result.deliveryIds.map((deliveryId) => ({ kind: "deliver", deliveryId })));
}

/** Acks a settled delivery; a retry goes back to the queue for when the outbox said it is next due. */
function settleDelivery(deps: ConsumeDeps, envelope: WorkEnvelope, result: DeliveryResult | null): void {
  if (result?.status === "retry") {
    const seconds = Math.ceil((result.nextAttemptAt - deps.clock()) / 1000);
    envelope.retry({ delaySeconds: Math.min(QUEUE_MAX_DELAY_S, Math.max(0, seconds)) });
    return;
  }
  if (result?.status === "unrecorded") {
    envelope.retry({
      delaySeconds: queueRetryDelaySeconds(envelope.attempts, deps.workRetryFirstDelaySeconds),
    });
    return;
  }
  envelope.ack();
}
