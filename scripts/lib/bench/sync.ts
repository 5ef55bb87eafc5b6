// Owns the live-sync figure: what keeping 1,000 new agendas in step with their previous ones costs per
// cron tick. Pairs sit in their sync window (agendas made, meetings a day or more away) on their own stack,
// their previous agendas in Notion either shared by a team (one database per integration, a Pair
// property) or one database per pair (the worst case: one look per pair). Measured by the emulator (calls
// per endpoint, per integration) and the Worker's budget peaks (D1 queries, subrequests per invocation):
// the first look (no cursor yet, so every meeting is owed one pass), a quiet tick, and a tick after people
// ticked an item in a share of the previous agendas, whose copies must be checked and nothing else touched.

import type { BlockTreeNode, CallCounts, SeedPageSpec } from "../../../emulators/notion/control";
import { mapWithConcurrency } from "../../../src/lib/pool";
import type { Meeting } from "../admin";
import type { Person } from "../agenda-seed";
import { agendaProperties, agendaTitle, earlierAgendaBlocks } from "../agenda-seed";
import { request } from "../http";
import { ScriptError } from "../run";
import { type Stack, startStack } from "../stack";
import { out, style } from "../terminal";
import type { PlannedMeeting } from "../ticks";
import { addDays, planMeeting, TICK_MS } from "../ticks";
import { BENCH_SCHEDULE, BENCH_SCHEDULE_INPUT } from "./pairs";

const DAY_MS = 86_400_000;
/** The item a person ticks in a previous agenda; its copy in the new agenda must follow. */
const TICKED_ITEM = "Draft the Q1 hiring plan";
/** The Worker's mark on a carried copy. */
const CARRY_MARK = "↻";
/** Admin and control calls the bench makes at once. */
export const CONCURRENCY = 16;

export type SyncLayout = "shared" | "per-pair";

export interface SyncOptions {
  pairs: number;
  integrations: number;
  layout: SyncLayout;
  /** Requests per second per integration: the emulator's limit and the Worker's pacing. */
  rate: number;
  /** Share of the previous agendas a person changes before the measured tick. */
  changedShare: number;
  showLogs: boolean;
}

export interface Spent {
  subrequests: number;
  d1Queries: number;
  queueSends: number;
}

export interface TickCalls {
  byEndpoint: CallCounts;
  total: number;
}

export interface SyncFigure {
  layout: SyncLayout;
  pairs: number;
  integrations: number;
  dataSources: number;
  ratePerIntegration: number;
  /** The tick after the agendas were made: no cursor yet, so every meeting in the window gets a pass. */
  firstLook: TickCalls & { passes: number; seconds: number };
  /** A tick at which nothing changed; `seconds`: the cron invocation's run, its looks included. */
  quiet: TickCalls & { scheduled: Spent; seconds: number };
  changed: TickCalls & {
    agendas: number;
    lookCalls: number;
    passCalls: number;
    perPass: { reads: number; writes: number };
    copiesChecked: number;
    othersTouched: number;
    scheduled: Spent;
    queue: Spent;
    seconds: number;
  };
  limits: {
    paid: { subrequests: number; d1Queries: number };
    free: { subrequests: number; d1Queries: number };
  };
}

const tokenOf = (index: number) => `ntn_bench_sync_${String(index + 1).padStart(2, "0")}_local_only`;
const secretOf = (index: number) => `NOTION_TOKEN_SYNC_${String(index + 1).padStart(2, "0")}`;

interface SyncPair {
  id: string;
  integration: number;
  manager: Person;
  report: Person;
  dataSourceId: string;
  previousPageId: string;
}

const sum = (counts: CallCounts): number => Object.values(counts).reduce((total, count) => total + count, 0);

function plainOf(node: BlockTreeNode): string {
  const payload: unknown = Reflect.get(node, node.type);
  const richText: unknown =
    typeof payload === "object" && payload !== null ? Reflect.get(payload, "rich_text") : undefined;
  if (!Array.isArray(richText)) return "";
  return richText.map((item: unknown) => String(Reflect.get(Object(item), "plain_text") ?? "")).join("");
}

/** An agenda as a person sees it: each block's type, text and box, nested; what "touched" is judged by. */
function seen(nodes: readonly BlockTreeNode[]): string {
  return nodes
    .map((node) => {
      const box = node.type === "to_do" ? (node.to_do.checked ? "[x] " : "[ ] ") : "";
      const children = node.children === undefined ? "" : `{${seen(node.children)}}`;
      return `${node.type}:${box}${plainOf(node)}${children}`;
    })
    .join("\n");
}

/** The new agenda's copy of the ticked item, or undefined when it was not carried. */
function tickedCopy(nodes: readonly BlockTreeNode[]): BlockTreeNode | undefined {
  return nodes.find(
    (node) =>
      node.type === "to_do" && plainOf(node).startsWith(TICKED_ITEM) && plainOf(node).includes(CARRY_MARK),
  );
}

async function seed(stack: Stack, options: SyncOptions, plan: PlannedMeeting): Promise<SyncPair[]> {
  // Written long before: a look sees a previous agenda again only once a person changes it.
  const createdTime = new Date(Date.now() - 2 * DAY_MS).toISOString();
  const pairs: SyncPair[] = [];
  for (let integration = 0; integration < options.integrations; integration += 1) {
    const token = tokenOf(integration);
    await stack.notion.createIntegration({
      name: `sync ${integration + 1}`,
      token,
      requestsPerSecond: options.rate,
    });
    const managerName = `Manager ${integration + 1}`;
    const manager: Person = {
      name: managerName,
      notionUserId: (await stack.notion.createUser({ name: managerName })).id,
    };
    const mine: Omit<SyncPair, "dataSourceId" | "previousPageId">[] = [];
    for (let index = integration; index < options.pairs; index += options.integrations) {
      const reportName = `Report ${index + 1}`;
      const report = {
        name: reportName,
        notionUserId: (await stack.notion.createUser({ name: reportName })).id,
      };
      mine.push({ id: `sync-${String(index + 1).padStart(5, "0")}`, integration, manager, report });
    }
    const shared = options.layout === "shared";
    const pageOf = (pair: (typeof mine)[number]): SeedPageSpec => ({
      properties: agendaProperties(
        agendaTitle(pair.manager, pair.report, plan.previous.date),
        plan.previous.date,
        shared ? { property: "Pair", value: pair.id } : null,
      ),
      children: earlierAgendaBlocks({
        manager: pair.manager,
        report: pair.report,
        date: plan.previous.date,
        pastDue: addDays(plan.previous.date, 3),
        futureDue: addDays(plan.meeting.date, 7),
        subItems: false,
        carriedSince: plan.earlier.date,
        discussionTodos: false,
      }),
      createdTime,
    });
    const properties = {
      Name: { type: "title" as const },
      Date: { type: "date" as const },
      ...(shared ? { Pair: { type: "rich_text" as const } } : {}),
    };
    const groups = shared ? [mine] : mine.map((pair) => [pair]);
    for (const group of groups) {
      const database = await stack.notion.seedDatabase(token, {
        title: shared ? `Team ${integration + 1} 1:1s` : `1:1s · ${group[0]?.id ?? ""}`,
        properties,
        pages: group.map(pageOf),
      });
      group.forEach((pair, index) => {
        const page = database.pages[index];
        if (page === undefined) throw new ScriptError(`${pair.id}: the emulator did not seed its agenda`);
        pairs.push({ ...pair, dataSourceId: database.dataSourceId, previousPageId: page.id });
      });
    }
  }
  return pairs.sort((a, b) => a.id.localeCompare(b.id));
}

function importOf(pair: SyncPair, layout: SyncLayout): unknown {
  const person = (p: Person, role: string) => ({
    name: p.name,
    email: `${pair.id}-${role}@example.com`,
    notionUserId: p.notionUserId,
  });
  return {
    id: pair.id,
    manager: person(pair.manager, "manager"),
    report: person(pair.report, "report"),
    template: "weekly",
    schedule: BENCH_SCHEDULE_INPUT,
    destination: {
      kind: "notion",
      dataSourceId: pair.dataSourceId,
      tokenSecret: secretOf(pair.integration),
      ...(layout === "shared" ? { pairProperty: { name: "Pair" } } : {}),
    },
  };
}

export interface BudgetAnswer {
  max: Record<"scheduled" | "queue", Spent>;
  limits: SyncFigure["limits"];
}

export async function budget(stack: Stack, method: "GET" | "DELETE"): Promise<BudgetAnswer> {
  const answer = await request(`${stack.workerUrl}/admin/budget`, {
    method,
    headers: { Authorization: `Bearer ${stack.adminToken}` },
  });
  if (answer.status !== 200)
    throw new ScriptError(`budget: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
  return JSON.parse(answer.text) as BudgetAnswer;
}

export const spentOf = (counts: Spent): Spent => ({
  subrequests: counts.subrequests,
  d1Queries: counts.d1Queries,
  queueSends: counts.queueSends,
});

/** Every integration's calls since the last reset, summed by endpoint. */
async function callsOfAll(stack: Stack, integrations: number): Promise<TickCalls> {
  const byEndpoint: Record<string, number> = {};
  for (let integration = 0; integration < integrations; integration += 1) {
    for (const [endpoint, count] of Object.entries(await stack.notion.calls(tokenOf(integration)))) {
      byEndpoint[endpoint] = (byEndpoint[endpoint] ?? 0) + count;
    }
  }
  return { byEndpoint, total: sum(byEndpoint) };
}

async function resetCalls(stack: Stack, integrations: number): Promise<void> {
  for (let integration = 0; integration < integrations; integration += 1) {
    await stack.notion.resetCalls(tokenOf(integration));
  }
}

async function meetingOf(stack: Stack, pair: { id: string }, date: string): Promise<Meeting> {
  const meeting = (await stack.admin.meetings(pair.id)).find((candidate) => candidate.date === date);
  if (meeting === undefined) throw new ScriptError(`${pair.id}: no meeting on ${date}`);
  return meeting;
}

/**
 * Waits until each of `pairs` has a pass finished after `sinceIso` (its meeting's `syncedAt`); answers
 * how many did. With `all` false, also stops once no pass has finished for a while (a meeting the look did
 * not owe a pass never gets one).
 */
export async function untilSynced(
  stack: Stack,
  pairs: readonly { id: string }[],
  date: string,
  sinceIso: string,
  options: { all: boolean; timeoutMs: number },
): Promise<number> {
  let pending = [...pairs];
  const deadline = performance.now() + options.timeoutMs;
  let lastProgress = performance.now();
  for (;;) {
    const synced = await mapWithConcurrency(pending, CONCURRENCY, async (pair) => {
      const meeting = await meetingOf(stack, pair, date);
      return meeting.syncedAt != null && meeting.syncedAt >= sinceIso;
    });
    const still = pending.filter((_, index) => synced[index] !== true);
    if (still.length < pending.length) lastProgress = performance.now();
    pending = still;
    if (pending.length === 0) return pairs.length;
    if (!options.all && performance.now() - lastProgress > 5_000) return pairs.length - pending.length;
    if (performance.now() > deadline) {
      throw new ScriptError(
        `${pending.length} of ${pairs.length} meetings had no sync pass within ${Math.round(options.timeoutMs / 1000)} s`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Waits until each pair's agenda of `date` is made; answers its agenda id by pair id. */
export async function untilMade(
  stack: Stack,
  pairs: readonly { id: string }[],
  date: string,
): Promise<Map<string, string>> {
  // A run that failed for a passing reason (the machine busy) is retried by the queue: wait for it.
  let retried = 0;
  const made = await mapWithConcurrency(pairs, CONCURRENCY, async (pair) => {
    let failed = "";
    for (const deadline = performance.now() + 10 * 60_000; performance.now() < deadline; ) {
      const meeting = await meetingOf(stack, pair, date).catch(() => null);
      if (meeting?.status === "created" && meeting.agendaId !== null) {
        if (failed !== "") retried += 1;
        return meeting.agendaId;
      }
      if (meeting?.status === "failed") failed = meeting.error ?? "failed";
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new ScriptError(`${pair.id}: no agenda within 10 minutes${failed === "" ? "" : ` (${failed})`}`);
  });
  if (retried > 0) out(style.dim(`    ${retried} agendas were made on the queue's retry of a failed run`));
  return new Map(pairs.map((pair, index) => [pair.id, made[index] ?? ""]));
}

/** Each pair's new agenda as a person sees it, by pair id. */
async function agendasSeen(stack: Stack, agendas: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const entries = [...agendas];
  const views = await mapWithConcurrency(entries, CONCURRENCY, async ([, agendaId]) =>
    seen(await stack.notion.blockTree(agendaId)),
  );
  return new Map(entries.map(([pairId], index) => [pairId, views[index] ?? ""]));
}

export async function measureSync(options: SyncOptions): Promise<SyncFigure> {
  const stack = await startStack({
    stateName: `bench-sync-${options.layout}`,
    requestsPerSecond: options.rate,
    showLogs: options.showLogs,
    vars: Object.fromEntries(
      Array.from({ length: options.integrations }, (_, i) => [secretOf(i), tokenOf(i)]),
    ),
  });
  // A meeting more than a day away: the sync window stays open for the whole run, whenever it runs.
  const plan = planMeeting("sync", BENCH_SCHEDULE, Date.now() + DAY_MS);
  const pairs = await seed(stack, options, plan);
  const dataSources = new Set(pairs.map((pair) => pair.dataSourceId)).size;
  await stack.admin.importPairs(pairs.map((pair) => importOf(pair, options.layout)));
  out(
    `  ${pairs.length} pairs in ${dataSources} data sources of ${options.integrations} integrations; meetings ${plan.meeting.date}, previous agendas ${plan.previous.date}`,
  );

  // The agendas are made: every pair is due at the same tick.
  await stack.admin.scheduled(plan.tickMs);
  const agendas = await untilMade(stack, pairs, plan.meeting.date);

  // The first look after the agendas were made: no cursor yet, so every meeting is owed a pass.
  await resetCalls(stack, options.integrations);
  const firstAt = new Date().toISOString();
  const firstStarted = performance.now();
  await stack.admin.scheduled(plan.tickMs + TICK_MS);
  const passes = await untilSynced(stack, pairs, plan.meeting.date, firstAt, {
    all: false,
    timeoutMs: 10 * 60_000,
  });
  const firstLook = {
    ...(await callsOfAll(stack, options.integrations)),
    passes,
    seconds: (performance.now() - firstStarted) / 1000,
  };

  // A quiet tick: nobody changed anything.
  await resetCalls(stack, options.integrations);
  await budget(stack, "DELETE");
  const quietStarted = performance.now();
  await stack.admin.scheduled(plan.tickMs + 2 * TICK_MS);
  const quietSeconds = (performance.now() - quietStarted) / 1000;
  const quietBudget = await budget(stack, "GET");
  const quiet = {
    ...(await callsOfAll(stack, options.integrations)),
    scheduled: spentOf(quietBudget.max.scheduled),
    seconds: quietSeconds,
  };

  // People tick an item in a share of the previous agendas, spread over every data source.
  const every = Math.max(1, Math.round(1 / options.changedShare));
  const changedPairs = pairs.filter((_, index) => index % every === 0);
  const before = await agendasSeen(stack, agendas);
  await mapWithConcurrency(changedPairs, CONCURRENCY, async (pair) => {
    const item = (await stack.notion.blockTree(pair.previousPageId)).find(
      (node) => node.type === "to_do" && plainOf(node).startsWith(TICKED_ITEM),
    );
    if (item === undefined) throw new ScriptError(`${pair.id}: its previous agenda has no "${TICKED_ITEM}"`);
    await stack.notion.tickTodo(item.id);
  });
  await resetCalls(stack, options.integrations);
  await budget(stack, "DELETE");
  const changedAt = new Date().toISOString();
  const changedStarted = performance.now();
  await stack.admin.scheduled(plan.tickMs + 3 * TICK_MS);
  const changedScheduled = spentOf((await budget(stack, "GET")).max.scheduled);
  await untilSynced(stack, changedPairs, plan.meeting.date, changedAt, { all: true, timeoutMs: 10 * 60_000 });
  const changedSeconds = (performance.now() - changedStarted) / 1000;
  const afterBudget = await budget(stack, "GET");
  const changedCalls = await callsOfAll(stack, options.integrations);
  const after = await agendasSeen(stack, agendas);

  // Every changed agenda's copy is checked, and nothing else in any new agenda moved.
  const changedIds = new Set(changedPairs.map((pair) => pair.id));
  let copiesChecked = 0;
  let othersTouched = 0;
  for (const pair of pairs) {
    const was = before.get(pair.id) ?? "";
    const now = after.get(pair.id) ?? "";
    if (!changedIds.has(pair.id)) {
      if (now !== was) othersTouched += 1;
      continue;
    }
    const tree = await stack.notion.blockTree(agendas.get(pair.id) ?? "");
    const copy = tickedCopy(tree);
    const checked = copy?.type === "to_do" && copy.to_do.checked;
    if (checked) copiesChecked += 1;
    // Apart from that one box, the agenda is as it was.
    const expected = was.replace(`to_do:[ ] ${TICKED_ITEM}`, `to_do:[x] ${TICKED_ITEM}`);
    if (now !== expected) othersTouched += 1;
  }

  const lookCalls = changedCalls.byEndpoint["POST /v1/data_sources/:id/query"] ?? 0;
  const passCalls = changedCalls.total - lookCalls;
  const writes = Object.entries(changedCalls.byEndpoint)
    .filter(([endpoint]) => !endpoint.startsWith("GET ") && endpoint !== "POST /v1/data_sources/:id/query")
    .reduce((total, [, count]) => total + count, 0);
  const perPass = (count: number) => count / Math.max(1, changedPairs.length);
  return {
    layout: options.layout,
    pairs: pairs.length,
    integrations: options.integrations,
    dataSources,
    ratePerIntegration: options.rate,
    firstLook,
    quiet,
    changed: {
      ...changedCalls,
      agendas: changedPairs.length,
      lookCalls,
      passCalls,
      perPass: { reads: perPass(passCalls - writes), writes: perPass(writes) },
      copiesChecked,
      othersTouched,
      scheduled: changedScheduled,
      queue: spentOf(afterBudget.max.queue),
      seconds: changedSeconds,
    },
    limits: afterBudget.limits,
  };
}

/** The human lines of one layout's sync figure, each with its target; answers whether every target was met. */
export function printSync(
  figure: SyncFigure,
  describe: (counts: Readonly<Record<string, number>>) => string,
  passFail: (pass: boolean) => string,
): boolean {
  const { quiet, changed, firstLook } = figure;
  const where =
    figure.layout === "shared"
      ? `${figure.dataSources} team databases of ${figure.pairs / figure.dataSources} pairs each (a Pair property)`
      : `one database per pair (${figure.dataSources}), the worst case`;
  out(
    `  ${style.bold(where)}, ${figure.integrations} integrations at ${figure.ratePerIntegration} requests/s each`,
  );
  out(
    style.dim(
      `    first look after the agendas were made (no cursor yet: every meeting owed a pass): ${firstLook.total} calls, ${firstLook.passes} passes, ${firstLook.seconds.toFixed(1)} s (${describe(firstLook.byEndpoint)})`,
    ),
  );
  const quietPass =
    quiet.total === figure.dataSources &&
    quiet.byEndpoint["POST /v1/data_sources/:id/query"] === quiet.total &&
    quiet.scheduled.queueSends === 0;
  out(
    `  quiet tick: ${style.bold(String(quiet.total))} Notion calls (${(quiet.total / figure.dataSources).toFixed(2)} per data source), no pass handed out   target 1 query per data source   ${passFail(quietPass)}`,
  );
  out(
    style.dim(
      `    the cron invocation: ${quiet.scheduled.d1Queries} D1 queries, ${quiet.scheduled.subrequests} subrequests (a pace check and a fetch per look; ${quiet.scheduled.queueSends} queue sends), ${quiet.seconds.toFixed(1)} s`,
    ),
  );
  const syncedPass = changed.copiesChecked === changed.agendas && changed.othersTouched === 0;
  out(
    `  after people ticked an item in ${changed.agendas} previous agendas: ${style.bold(String(changed.total))} Notion calls = ${changed.lookCalls} for the looks + ${changed.passCalls} for ${changed.agendas} passes (per pass ${changed.perPass.reads.toFixed(1)} reads, ${changed.perPass.writes.toFixed(1)} writes); ${changed.seconds.toFixed(1)} s until every pass was done`,
  );
  out(style.dim(`    ${describe(changed.byEndpoint)}`));
  out(
    `  copies checked ${changed.copiesChecked}/${changed.agendas}, other agendas (or other blocks) touched ${changed.othersTouched}   target all, 0   ${passFail(syncedPass)}`,
  );
  const budgetPass = printPerInvocation(figure, passFail);
  printCallsPerTick(figure);
  return quietPass && syncedPass && budgetPass;
}

/** What the lines every live-sync figure prints alike (Notion's and Google's) read from it. */
export interface TickCosts {
  pairs: number;
  quiet: { total: number; scheduled: Spent };
  changed: { total: number; agendas: number; passCalls: number; scheduled: Spent; queue: Spent };
  limits: SyncFigure["limits"];
}

/**
 * The per-invocation line: the changed tick's cron run and its queue batch of passes, against Workers
 * Paid's limits; answers whether the worst invocation of the quiet and changed ticks fits them.
 */
export function printPerInvocation(figure: TickCosts, passFail: (pass: boolean) => string): boolean {
  const { quiet, changed, limits } = figure;
  const worst = {
    subrequests: Math.max(
      quiet.scheduled.subrequests,
      changed.scheduled.subrequests,
      changed.queue.subrequests,
    ),
    d1Queries: Math.max(quiet.scheduled.d1Queries, changed.scheduled.d1Queries, changed.queue.d1Queries),
  };
  const budgetPass = worst.subrequests <= limits.paid.subrequests && worst.d1Queries <= limits.paid.d1Queries;
  out(
    `  per invocation: cron tick ${changed.scheduled.d1Queries} D1 queries and ${changed.scheduled.subrequests} subrequests; queue batch of passes at most ${changed.queue.d1Queries} and ${changed.queue.subrequests}   limits: Workers Paid ${limits.paid.d1Queries} / ${limits.paid.subrequests}   ${passFail(budgetPass)}`,
  );
  return budgetPass;
}

/** The summary line: calls per tick when nothing changed, and what each changed previous agenda adds. */
export function printCallsPerTick(figure: TickCosts): void {
  const { quiet, changed } = figure;
  const perChange = changed.passCalls / Math.max(1, changed.agendas);
  out(
    `  ${style.bold(`calls per tick for ${figure.pairs} pairs in their sync window: ${quiet.total} when nothing changed; ${quiet.total} + ${perChange.toFixed(1)} per changed previous agenda (${changed.total} with ${Math.round((changed.agendas / figure.pairs) * 100)}% changed)`)}`,
  );
}
