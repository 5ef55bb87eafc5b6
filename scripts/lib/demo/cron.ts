// Owns firing the demo's cron ticks and telling what each did: the Worker is asked for every pair's
// meetings before and after each tick, so the demo reports (and fails on) exactly what changed; a caller
// can add its own words about a tick (the digests that arrived during it).
import type { Meeting } from "../admin";
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
