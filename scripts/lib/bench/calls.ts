// Owns the "Notion calls per agenda" figure: one pair, one previous agenda, one run of the schedule for
// that pair alone, and the emulator's count of what the Worker's integration sent, by endpoint. Measured
// twice: the pair's first agenda (D1 knows no earlier one, so a query finds it), and the one after, the
// usual case, whose previous agenda the Worker made itself.
import type { CallCounts } from "../../../emulators/notion/control";
import { ScriptError } from "../run";
import type { Stack } from "../stack";
import type { PlannedMeeting } from "../ticks";
import { planMeeting } from "../ticks";
import { BENCH_SCHEDULE, person, seedPairs } from "./pairs";

export interface CallsFigure {
  /** Blocks in the previous agenda, nested ones included. */
  blocks: number;
  /** The usual agenda: the previous one made by the Worker, known to D1. */
  byEndpoint: CallCounts;
  total: number;
  /** The pair's first agenda, carried from one a person made. */
  first: { byEndpoint: CallCounts; total: number };
}

export async function measureCallsPerAgenda(
  stack: Stack,
  plan: PlannedMeeting,
  options: { pairId: string; subItems: boolean },
): Promise<CallsFigure> {
  const pair = {
    id: options.pairId,
    manager: await person(stack.notion, "Mia Manager"),
    report: await person(stack.notion, "Rex Report"),
  };
  const group = await seedPairs(stack.notion, stack.notionToken, [pair], plan, {
    title: `1:1s · ${options.pairId}`,
    subItems: options.subItems,
  });
  await stack.admin.importPairs(group.imports);
  const first = await callsOfRun(stack, pair.id, plan);
  const next = await callsOfRun(
    stack,
    pair.id,
    planMeeting(pair.id, BENCH_SCHEDULE, plan.meeting.startsAtMs),
  );
  return { blocks: group.blocksPerAgenda, ...next, first };
}

/** The calls of one run of the schedule for the pair at the meeting's tick, which must create its agenda. */
async function callsOfRun(stack: Stack, pairId: string, plan: PlannedMeeting) {
  await stack.notion.resetCalls(stack.notionToken);
  const result = await stack.admin.run(plan.tickMs, pairId);
  const outcome = result.outcomes.find((candidate) => candidate.key === `${pairId}/${plan.meeting.date}`);
  if (outcome?.status !== "created") {
    throw new ScriptError(`${pairId}: expected a created agenda, got ${JSON.stringify(outcome ?? null)}`);
  }
  const byEndpoint = await stack.notion.calls(stack.notionToken);
  return { byEndpoint, total: Object.values(byEndpoint).reduce((sum, count) => sum + count, 0) };
}
