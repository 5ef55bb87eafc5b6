// Owns the throughput figure: N pairs, each with a previous agenda, all due at one cron tick. It fires
// that tick, times it, and compares the Notion requests sent per second with the rate the emulator
// allows, counting what was created, what failed and how often Notion said 429.
import type { Meeting, TickOutcome } from "../admin";
import { ScriptError } from "../run";
import type { Stack } from "../stack";
import { out, style } from "../terminal";
import type { PlannedMeeting } from "../ticks";
import type { BenchPair } from "./pairs";
import { person, seedPairs } from "./pairs";

/** Pairs per shared database. */
const PAIRS_PER_DATABASE = 10;

export type Trigger = "run" | "cron";

export interface ThroughputFigure {
  pairs: number;
  created: number;
  failed: number;
  /** The first few failure reasons, for the human lines. */
  failures: string[];
  notionRequests: number;
  /** The Notion phase: the first request to the last answer (the whole tick without a proxy). */
  elapsedSeconds: number;
  /** The whole tick, agendas and then digests. */
  tickSeconds: number;
  allowedPerSecond: number;
  fraction: number;
  responses429: number;
  trigger: string;
}

async function seedAll(stack: Stack, plan: PlannedMeeting, count: number): Promise<string[]> {
  const ids: string[] = [];
  const imports: unknown[] = [];
  for (let start = 0; start < count; start += PAIRS_PER_DATABASE) {
    const team = `team-${String(start / PAIRS_PER_DATABASE + 1).padStart(2, "0")}`;
    const manager = await person(stack.notion, `Manager of ${team}`);
    const pairs: BenchPair[] = [];
    for (let index = start; index < Math.min(count, start + PAIRS_PER_DATABASE); index += 1) {
      const id = `load-${String(index + 1).padStart(3, "0")}`;
      pairs.push({ id, manager, report: await person(stack.notion, `Report ${index + 1}`) });
      ids.push(id);
    }
    const group = await seedPairs(stack.notion, stack.notionToken, pairs, plan, {
      title: `${team} 1:1s`,
      subItems: false,
    });
    imports.push(...group.imports);
  }
  await stack.admin.importPairs(imports);
  return ids;
}

/** Created/failed per pair from the admin API, for a cron tick (which answers with no outcomes). */
async function outcomesFromMeetings(
  stack: Stack,
  ids: readonly string[],
  date: string,
): Promise<TickOutcome[]> {
  const outcomes: TickOutcome[] = [];
  for (const id of ids) {
    const meeting: Meeting | undefined = (await stack.admin.meetings(id)).find((m) => m.date === date);
    const status = meeting?.status === "created" ? "created" : "failed";
    outcomes.push({
      status,
      key: `${id}/${date}`,
      error: meeting?.error ?? `status ${meeting?.status ?? "none"}`,
    });
  }
  return outcomes;
}

export async function measureThroughput(
  stack: Stack,
  plan: PlannedMeeting,
  options: { pairs: number; rate: number; trigger: Trigger },
): Promise<ThroughputFigure> {
  const ids = await seedAll(stack, plan, options.pairs);
  const expectedSeconds = Math.round((options.pairs * 3) / options.rate);
  const trigger = options.trigger === "cron" ? "cron trigger (scheduled handler)" : "POST /admin/run";
  out(
    `  ${options.pairs} pairs seeded and imported; one tick through ${trigger}, about ${expectedSeconds} s at ${options.rate}/s…`,
  );

  await stack.notion.resetCalls(stack.notionToken);
  stack.proxy?.reset();
  const started = performance.now();
  let outcomes: TickOutcome[];
  if (options.trigger === "cron") {
    await stack.admin.scheduled(plan.tickMs);
    outcomes = [];
  } else {
    outcomes = (await stack.admin.run(plan.tickMs)).outcomes;
  }
  const tickSeconds = (performance.now() - started) / 1000;
  // The pace is judged over the Notion phase: the digests the tick sends afterwards are not Notion's.
  const notionMs = stack.proxy?.busyMs() ?? null;
  const elapsedSeconds = notionMs === null ? tickSeconds : notionMs / 1000;
  const calls = await stack.notion.calls(stack.notionToken);
  if (options.trigger === "cron") outcomes = await outcomesFromMeetings(stack, ids, plan.meeting.date);

  const mine = outcomes.filter((outcome) => outcome.key.startsWith("load-"));
  if (mine.length !== options.pairs) {
    throw new ScriptError(`the tick planned ${mine.length} of the ${options.pairs} pairs' meetings`);
  }
  const failed = mine.filter((outcome) => outcome.status !== "created");
  const notionRequests = Object.values(calls).reduce((sum, count) => sum + count, 0);
  out(style.dim(`  Notion requests by endpoint: ${JSON.stringify(calls)}`));
  return {
    pairs: options.pairs,
    created: mine.length - failed.length,
    failed: failed.length,
    failures: failed
      .slice(0, 5)
      .map((outcome) => `${outcome.key}: ${outcome.error ?? outcome.reason ?? outcome.status}`),
    notionRequests,
    elapsedSeconds,
    tickSeconds,
    allowedPerSecond: options.rate,
    fraction: notionRequests / elapsedSeconds / options.rate,
    responses429: stack.proxy?.statuses()[429] ?? 0,
    trigger,
  };
}
