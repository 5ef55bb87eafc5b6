// Owns "when is this pair's next agenda due": the moment a run (dry or real) must be asked for, so the set-up
// shows the agenda of the next meeting before its time. The Worker's own schedule code decides.
import type { Occurrence } from "../../../src/domain/occurrences";
import { nextOccurrence } from "../../../src/domain/occurrences";
import { scheduleSchema } from "../../../src/domain/schedule";

export interface NextAgenda {
  meeting: Occurrence;
  /** When to run for it: its prepare time, or now when that has passed and the meeting has not begun. */
  atMs: number;
}

/** The next meeting whose agenda a run at or after `nowMs` would prepare; null when none is ahead. */
export function nextAgenda(scheduleInput: unknown, nowMs: number): NextAgenda | null {
  const schedule = scheduleSchema.parse(scheduleInput);
  const meeting = nextOccurrence(schedule, nowMs);
  if (meeting === null) return null;
  return { meeting, atMs: Math.max(meeting.prepareAtMs, nowMs) };
}
