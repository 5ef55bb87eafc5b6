// Owns a Google pair's earlier meetings: each one prepared by the Worker itself (POST /admin/run for that
// pair alone, at that meeting's cron tick), so the document holds exactly what the Worker writes — named
// ranges, status chips, carry marks — rather than a copy of it that could drift. Running one pair alone
// also keeps the other pairs' meetings out of these past moments.
import { sectionRangeName } from "../../../src/destinations/google/read/document";
import type { Occurrence } from "../../../src/domain/occurrences";
import type { AdminClient, Meeting } from "../admin";
import { utcTime } from "../demo/describe";
import type { GoogleSide } from "../google-side";
import { ScriptError } from "../run";
import { tickAtOrAfter } from "../ticks";
import type { GooglePair } from "./pairs";
import { agendaDocumentId } from "./pairs";
import type { Editor } from "./person";
import type { GooglePerson } from "./seed";

export interface PreparedMeeting {
  meeting: Meeting;
  agendaId: string;
  tickMs: number;
}

/** Runs the schedule for `pair` alone at `occurrence`'s tick; throws unless that agenda was created. */
export async function prepareMeetingOf(
  admin: AdminClient,
  pair: GooglePair,
  occurrence: Occurrence,
): Promise<PreparedMeeting> {
  const tickMs = tickAtOrAfter(occurrence.prepareAtMs);
  const key = `${pair.id}/${occurrence.date}`;
  const outcome = (await admin.run(tickMs, pair.id)).outcomes.find((candidate) => candidate.key === key);
  if (outcome?.status !== "created") {
    const why =
      outcome === undefined
        ? "nothing was due"
        : `${outcome.status}: ${outcome.error ?? outcome.reason ?? ""}`;
    throw new ScriptError(`${key}: the Worker did not create it at ${utcTime(tickMs)} (${why})`);
  }
  const meeting = (await admin.meetings(pair.id)).find((candidate) => candidate.key === key);
  if (meeting?.agendaId == null) throw new ScriptError(`${key}: created, but no agenda was recorded`);
  return { meeting, agendaId: meeting.agendaId, tickMs };
}

/** `who` editing the agenda of `date`: its section of the running doc, or its own document. */
export function editorOf(
  google: GoogleSide,
  pair: GooglePair,
  prepared: PreparedMeeting,
  who: GooglePerson,
): Editor {
  return {
    control: google.control,
    who: who.email,
    documentId: agendaDocumentId(pair, prepared.agendaId),
    rangeName:
      pair.destination.mode === "running-doc" ? sectionRangeName(pair.id, prepared.meeting.date) : null,
  };
}
