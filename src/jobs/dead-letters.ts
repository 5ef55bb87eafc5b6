// The dead-letter queue's consumer, and replay. A message the work queue gave up on is recorded once
// per meeting or delivery, with the reason that piece of work last failed for (the meeting's or the
// delivery's recorded error, our own words), for the admin API to show and replay.
// Nothing is lost meanwhile: a meeting still due is planned again by the next ticks, and a delivery still
// owed is swept up when it is next due; the dead letter says why it keeps failing, and a replay tries
// it again at once.
import type { Logger } from "../lib/log";
import { errorMessage } from "../lib/log";
import type { DeadLetterStore } from "../store/dead-letters";
import type { DeliveryStore } from "../store/deliveries";
import type { MeetingStore } from "../store/meetings";
import type { WorkEnvelope, WorkMessage, WorkQueue } from "./work";
import { subjectOf, workMessageSchema } from "./work";

export interface DeadLetterDeps {
  deadLetters: DeadLetterStore;
  meetings: MeetingStore;
  deliveries: DeliveryStore;
  work: WorkQueue;
  log: Logger;
  clock(): number;
}

/** Why the work of `message` last failed, as recorded where it was done. */
async function reasonFor(
  deps: DeadLetterDeps,
  message: Exclude<WorkMessage, { kind: "sync" }>,
  attempts: number,
): Promise<string> {
  const recorded =
    message.kind === "prepare"
      ? (await deps.meetings.get(`${message.pairId}/${message.date}`))?.error
      : (await deps.deliveries.get(message.deliveryId))?.lastError;
  return recorded ?? `gave up after ${attempts} deliveries of the message, with no recorded error`;
}

/** Records each dead message once per subject; a malformed one is logged and dropped (no replay can help). */
export async function recordDeadLetters(deps: DeadLetterDeps, batch: readonly WorkEnvelope[]): Promise<void> {
  const at = new Date(deps.clock()).toISOString();
  for (const envelope of batch) {
    const parsed = workMessageSchema.safeParse(envelope.body);
    if (!parsed.success) {
      deps.log.error("dead_letter.malformed", { id: envelope.id });
      envelope.ack();
      continue;
    }
    try {
      const message = parsed.data;
      if (message.kind === "sync") {
        // Never retried by the consumer; and a meeting owed a pass is sent again by the next tick.
        deps.log.warn("dead_letter.sync_dropped", { id: envelope.id });
        envelope.ack();
        continue;
      }
      const reason = await reasonFor(deps, message, envelope.attempts);
      const subject = subjectOf(message);
      await deps.deadLetters.record({
        subject,
        kind: message.kind,
        body: JSON.stringify(message),
        reason,
        attempts: envelope.attempts,
        at,
      });
      deps.log.error("dead_letter.recorded", { subject, reason });
      envelope.ack();
    } catch (error) {
      deps.log.error("dead_letter.unrecorded", { id: envelope.id, error: errorMessage(error) });
      envelope.retry();
    }
  }
}

export type ReplayResult =
  | { status: "replayed"; subject: string }
  | { status: "not_found" | "already_replayed" };

/** Sends a dead letter's message to the work queue again and marks it replayed. */
export async function replayDeadLetter(deps: DeadLetterDeps, subject: string): Promise<ReplayResult> {
  const letter = await deps.deadLetters.get(subject);
  if (letter === null) return { status: "not_found" };
  if (letter.replayedAt !== null) return { status: "already_replayed" };
  const message = workMessageSchema.parse(JSON.parse(letter.body));
  // Marked first: if the send fails the operator sees it unreplayed after all, never replayed twice.
  if (!(await deps.deadLetters.markReplayed(subject, new Date(deps.clock()).toISOString()))) {
    return { status: "already_replayed" };
  }
  // The work is made due again first: a failed meeting's retry time, a delivery the outbox gave up on.
  if (message.kind === "prepare") await deps.meetings.allowRetryNow(`${message.pairId}/${message.date}`);
  else if (message.kind === "deliver") await deps.deliveries.resetForResend(message.deliveryId, deps.clock());
  await deps.work.send([message]);
  deps.log.info("dead_letter.replayed", { subject });
  return { status: "replayed", subject };
}
