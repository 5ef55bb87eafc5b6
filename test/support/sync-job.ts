// A meeting whose agenda the prepare job has made, ready for live-sync passes run one at a time: the
// set-up the sync job's tests share whatever the destination. The clock is the test's, from the moment
// the meeting fell due.
import { env } from "cloudflare:workers";
import type { Pair } from "../../src/config/pair";
import type { Destination } from "../../src/destinations/types";
import { dueOccurrences } from "../../src/domain/occurrences";
import { prepareMeeting } from "../../src/jobs/prepare-meeting";
import { syncMeeting } from "../../src/jobs/sync-meeting";
import { createLogger } from "../../src/lib/log";
import { MeetingStore } from "../../src/store/meetings";

/** pairInput's meeting, Tuesday 2026-12-08 10:00 in Berlin, prepared 24 hours ahead: due from Monday 09:00Z. */
export const DUE_AT = Date.parse("2026-12-07T09:00:00Z");
export const HOUR = 60 * 60 * 1000;

const meetings = new MeetingStore(env.DB);
const log = createLogger({ level: "error", secrets: [], sink: () => {} });

/**
 * Makes `pair`'s agenda due at DUE_AT through the prepare job. `destinationFor` is called for each run
 * and each pass, as the Worker builds a destination per run.
 */
export async function preparedForSync(pair: Pair, destinationFor: () => Destination) {
  const [occurrence] = dueOccurrences(pair.schedule, DUE_AT);
  if (occurrence === undefined) throw new Error("the fixture's meeting is not due");
  let now = DUE_AT;
  const deps = { meetings, log, destinationFor, clock: () => now };
  const prepared = await prepareMeeting(deps, pair, occurrence, {
    runId: crypto.randomUUID(),
    dryRun: false,
  });
  if (prepared.status !== "created") throw new Error(`the agenda was not made: ${prepared.status}`);
  const agendaId = prepared.meeting.agendaId;
  if (agendaId === null) throw new Error("no agenda id recorded");
  const { key } = prepared;
  return {
    agendaId,
    /** Sets the test's clock (epoch ms) for the passes that follow. */
    at: (ms: number) => {
      now = ms;
    },
    pass: () => syncMeeting(deps, pair, key, crypto.randomUUID()),
    ledger: () => meetings.syncLedger(key),
  };
}
