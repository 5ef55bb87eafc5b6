// Owns the "Notion calls per agenda" figure: one pair, one previous agenda, one run of the schedule for
// that pair alone, and the emulator's count of what the Worker's integration sent, by endpoint.
import type { CallCounts } from "../../../test/emulators/notion/control";
import { ScriptError } from "../run";
import type { Stack } from "../stack";
import type { PlannedMeeting } from "../ticks";
import { person, seedPairs } from "./pairs";

export interface CallsFigure {
  /** Blocks in the previous agenda, nested ones included. */
  blocks: number;
  byEndpoint: CallCounts;
  total: number;
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
  await stack.notion.resetCalls(stack.notionToken);
  const result = await stack.admin.run(plan.tickMs, pair.id);
  const outcome = result.outcomes.find((candidate) => candidate.key === `${pair.id}/${plan.meeting.date}`);
  if (outcome?.status !== "created") {
    throw new ScriptError(`${pair.id}: expected a created agenda, got ${JSON.stringify(outcome ?? null)}`);
  }
  const byEndpoint = await stack.notion.calls(stack.notionToken);
  const total = Object.values(byEndpoint).reduce((sum, count) => sum + count, 0);
  return { blocks: group.blocksPerAgenda, byEndpoint, total };
}
