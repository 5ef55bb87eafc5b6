// Owns the "Google calls per agenda" figures, one per mode: a pair whose previous agenda the Worker wrote
// itself (and a person then added an item to, so there is something to carry), one run of the schedule
// for that pair alone, and the emulator's count of the Worker's calls by endpoint around it. `POST /token`
// is reported apart: the Worker keeps an access token for its hour, so a refresh belongs to no one agenda.
// The run that wrote the previous agenda is counted too, for the one-off calls a first agenda makes.
import { z } from "zod";
import { nextOccurrence } from "../../../src/domain/occurrences";
import { editorOf, prepareMeetingOf } from "../google/history";
import type { GoogleMode } from "../google/pairs";
import { googleImport, seedGooglePairs } from "../google/pairs";
import { typeActionItems } from "../google/person";
import { ScriptError } from "../run";
import type { Stack } from "../stack";
import { describeCounts, out, passFail, style } from "../terminal";
import type { PlannedMeeting } from "../ticks";
import { addDays } from "../ticks";
import { BENCH_SCHEDULE, BENCH_SCHEDULE_INPUT } from "./pairs";

/** The emulator's name for the OAuth token endpoint in its call counts. */
export const TOKEN_ENDPOINT = "POST /token";

interface GoogleCallsFigure {
  /** Calls by endpoint, token refreshes left out. */
  byEndpoint: Record<string, number>;
  total: number;
  tokenRefreshes: number;
  /** Items the agenda carried from the previous one. */
  carried: number;
  /**
   * Calls of the run that wrote the pair's first (the previous) agenda, token included: where the one-off
   * reads show, such as a template read once per Worker isolate.
   */
  firstAgenda: Record<string, number>;
  /**
   * The week after, token refreshes left out: every carried item is then a copy the Worker wrote and
   * named itself, so the previous document needs no write of its own.
   */
  copiesOnly: { byEndpoint: Record<string, number>; total: number };
}

const withoutToken = (counts: Record<string, number>) => {
  const byEndpoint = Object.fromEntries(
    Object.entries(counts).filter(([endpoint]) => endpoint !== TOKEN_ENDPOINT),
  );
  return { byEndpoint, total: Object.values(byEndpoint).reduce((sum, count) => sum + count, 0) };
};

const countsSchema = z.record(z.string(), z.number());

async function measureGoogleCalls(
  stack: Stack,
  plan: PlannedMeeting,
  mode: GoogleMode,
): Promise<GoogleCallsFigure> {
  const report = { name: "Rex Report", email: "rex@example.com" };
  const [pair] = await seedGooglePairs(stack.google, [
    {
      id: `calls-${mode}`,
      manager: { name: "Mia Manager", email: "mia@example.com" },
      report,
      template: "weekly",
      scheduleInput: BENCH_SCHEDULE_INPUT,
      mode,
    },
  ]);
  if (pair === undefined) throw new ScriptError(`calls-${mode}: the pair was not seeded`);
  await stack.admin.importPairs([googleImport(pair)]);
  await stack.google.control.resetCalls();
  const previous = await prepareMeetingOf(stack.admin, pair, plan.previous);
  const firstAgenda = countsSchema.parse(await stack.google.control.calls());
  await typeActionItems(editorOf(stack.google, pair, previous, report), [
    [
      "Draft the Q1 hiring plan — ",
      { person: report.email },
      " by ",
      { date: addDays(plan.meeting.date, 7) },
    ],
  ]);

  await stack.google.control.resetCalls();
  const key = `${pair.id}/${plan.meeting.date}`;
  const outcome = (await stack.admin.run(plan.tickMs, pair.id)).outcomes.find(
    (candidate) => candidate.key === key,
  );
  if (outcome?.status !== "created") {
    throw new ScriptError(`${pair.id}: expected a created agenda, got ${JSON.stringify(outcome ?? null)}`);
  }
  const counts = countsSchema.parse(await stack.google.control.calls());
  const meeting = (await stack.admin.meetings(pair.id)).find((candidate) => candidate.key === key);

  const following = nextOccurrence(BENCH_SCHEDULE, plan.meeting.startsAtMs);
  if (following === null) throw new ScriptError(`${pair.id}: no meeting after ${plan.meeting.date}`);
  await stack.google.control.resetCalls();
  await prepareMeetingOf(stack.admin, pair, following);
  const copiesOnly = withoutToken(countsSchema.parse(await stack.google.control.calls()));
  return {
    ...withoutToken(counts),
    tokenRefreshes: counts[TOKEN_ENDPOINT] ?? 0,
    carried: meeting?.carriedCount ?? 0,
    firstAgenda,
    copiesOnly,
  };
}

export interface JudgedGoogleCalls extends GoogleCallsFigure {
  target: number;
  /** The target of the week after, when every carried item is a copy. */
  copiesOnlyTarget: number;
  pass: boolean;
}

/** A mode's targets: with an item a person typed in the previous doc, and with copies only. */
export interface GoogleCallsTargets {
  typed: number;
  copiesOnly: number;
}

function judge(
  what: string,
  figure: GoogleCallsFigure,
  targets: GoogleCallsTargets,
  firstNote: string,
): JudgedGoogleCalls {
  const typedPass = figure.total <= targets.typed;
  const copiesPass = figure.copiesOnly.total <= targets.copiesOnly;
  out(
    `  ${what}: ${style.bold(String(figure.copiesOnly.total))} calls when every carried item is a copy the Worker wrote   target ≤ ${targets.copiesOnly}   ${passFail(copiesPass)}`,
  );
  out(style.dim(`    ${describeCounts(figure.copiesOnly.byEndpoint)}`));
  out(
    `  ${what}: ${style.bold(String(figure.total))} calls when a person typed an item in the previous doc (the Worker names it there)   target ≤ ${targets.typed}   ${passFail(typedPass)}   ${style.dim(`(+${figure.tokenRefreshes} ${TOKEN_ENDPOINT}, reported apart)`)}`,
  );
  out(style.dim(`    ${describeCounts(figure.byEndpoint)}`));
  out(style.dim(`    the pair's first agenda (${firstNote}): ${describeCounts(figure.firstAgenda)}`));
  return {
    ...figure,
    target: targets.typed,
    copiesOnlyTarget: targets.copiesOnly,
    pass: typedPass && copiesPass,
  };
}

/** Both modes measured, printed with their targets, and returned for the JSON line. */
export async function benchGoogleCalls(
  stack: Stack,
  plan: PlannedMeeting,
  targets: { runningDoc: GoogleCallsTargets; docPerMeeting: GoogleCallsTargets },
): Promise<{ runningDoc: JudgedGoogleCalls; docPerMeeting: JudgedGoogleCalls }> {
  const runningDoc = judge(
    "running doc, a new section",
    await measureGoogleCalls(stack, plan, "running-doc"),
    targets.runningDoc,
    "no earlier section to carry from",
  );
  const docPerMeeting = judge(
    "doc per meeting, a copy of the template",
    await measureGoogleCalls(stack, plan, "doc-per-meeting"),
    targets.docPerMeeting,
    "nothing to carry; its document read is the template, which the Worker then keeps for 5 minutes",
  );
  return { runningDoc, docPerMeeting };
}
