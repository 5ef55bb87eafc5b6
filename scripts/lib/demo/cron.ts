// Owns firing the demo's cron ticks and telling what each did: the Worker is asked for every pair's
// meetings before and after each tick, so the demo reports (and fails on) exactly what changed; a caller
// can add its own words about a tick (the digests that arrived during it). A tick only hands work to the
// queue; the demo follows the queue's progress on it (GET /admin/ticks) until it is done.
import type { Meeting, TickProgress } from "../admin";
import { ScriptError } from "../run";
import type { Stack } from "../stack";
import { out, style } from "../terminal";
import { utcTime } from "./describe";

/** The pairs whose meetings a tick is judged by: Notion and Google ones alike. */
type Pairs = readonly { pair: { id: string } }[];

export async function allMeetings(stack: Stack, seeded: Pairs): Promise<Meeting[]> {
  const lists = await Promise.all(seeded.map((entry) => stack.admin.meetings(entry.pair.id)));
  return lists.flat();
}

/** What else a tick did, in a few words, or "" for nothing. */
export type TickNote = (tickMs: number) => Promise<string>;

/** How often the queue's progress is asked for. */
const POLL_MS = 100;

/**
 * Waits until the queue has done what the tick at `tickMs` handed out (every meeting created or failed,
 * every digest of them sent or given up), calling `progress` whenever the figures move. A tick that
 * handed out nothing leaves no record: then there is nothing to wait for.
 */
async function untilSettled(
  stack: Stack,
  tickMs: number,
  progress?: (tick: TickProgress) => void,
): Promise<TickProgress | null> {
  const scheduledAt = new Date(tickMs).toISOString();
  let shown = "";
  for (;;) {
    const tick = (await stack.admin.ticks(5)).find((candidate) => candidate.scheduledAt === scheduledAt);
    if (tick === undefined) return null;
    const figures = `${tick.created}/${tick.failed}/${tick.delivered}/${tick.owed}`;
    if (figures !== shown) {
      shown = figures;
      progress?.(tick);
    }
    if (tick.waiting === 0 && tick.owed === 0) return tick;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** "queue: 2 of 3 agendas prepared, 4 digests sent, 1 owed", for a tick still at work. */
function progressLine(tick: TickProgress): string {
  const digests =
    tick.owed > 0
      ? `, ${tick.delivered} digests sent, ${tick.owed} owed`
      : `, ${tick.delivered} digests sent`;
  return `    queue: ${tick.created + tick.failed} of ${tick.dispatched} agendas prepared${digests}`;
}

/** Fires each tick as the cron would and says which meetings it prepared; fails on a failed meeting. */
export async function runTicks(
  stack: Stack,
  seeded: Pairs,
  ticks: readonly number[],
  quiet: boolean,
  note?: TickNote,
) {
  let known = new Set(
    (await allMeetings(stack, seeded)).map((meeting) => `${meeting.key}:${meeting.status}`),
  );
  for (const tick of ticks) {
    await stack.admin.scheduled(tick);
    await untilSettled(stack, tick, (progress) => {
      if (!quiet && progress.dispatched > 0) out(style.dim(progressLine(progress)));
    });
    const meetings = await allMeetings(stack, seeded);
    const extra = note === undefined ? "" : await note(tick);
    const changed = meetings.filter((meeting) => !known.has(`${meeting.key}:${meeting.status}`));
    known = new Set(meetings.map((meeting) => `${meeting.key}:${meeting.status}`));
    const failed = changed.filter((meeting) => meeting.status !== "created");
    if (failed.length > 0) {
      const reasons = failed.map(
        (meeting) => `${meeting.key}: ${meeting.status} (${meeting.error ?? "no reason given"})`,
      );
      throw new ScriptError(
        `the cron tick at ${utcTime(tick)} did not prepare every agenda:\n    - ${reasons.join("\n    - ")}`,
      );
    }
    if (!quiet) {
      const made = changed.map((meeting) => meeting.key).join(", ") || style.dim("nothing due");
      out(`  cron ${utcTime(tick)}  →  ${made}${extra === "" ? "" : `  ${style.dim("·")} ${extra}`}`);
    }
  }
}
