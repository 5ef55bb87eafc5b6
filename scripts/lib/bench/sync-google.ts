// Owns live sync's figure for Google Docs: what keeping 1,000 new agendas in step with their previous ones
// costs per cron tick when each pair keeps a running doc. The docs were written by hand before the Worker
// came (a dated section, items with status chips), so one tick makes every new agenda on top, carrying
// them. The pairs act as the service account itself (one Drive change log for all) or impersonate
// Workspace users (one change log each). Measured: the first look (no page token yet, so every meeting is
// owed a pass), a quiet tick, a tick after people picked Done on an item's chip in a share of the previous
// sections (the copies must show Done, nothing else move), and the tick after that, which sees the
// Worker's own writes to those documents. Counts come from the emulator, budgets from the Worker.

import type { BlockSpec } from "../../../emulators/google/control";
import { sectionRangeName } from "../../../src/destinations/google/read/document";
import { mapWithConcurrency } from "../../../src/lib/pool";
import type { GoogleDoc, Paragraph } from "../google/document";
import { paragraphsIn, readDocument } from "../google/document";
import { ScriptError } from "../run";
import { type Stack, startStack } from "../stack";
import { out, style } from "../terminal";
import type { PlannedMeeting } from "../ticks";
import { addDays, planMeeting, TICK_MS } from "../ticks";
import { TOKEN_ENDPOINT } from "./google-calls";
import { BENCH_SCHEDULE, BENCH_SCHEDULE_INPUT } from "./pairs";
import type { Spent, SyncFigure, TickCalls } from "./sync";
import {
  budget,
  CONCURRENCY,
  printCallsPerTick,
  printPerInvocation,
  spentOf,
  untilMade,
  untilSynced,
} from "./sync";

const DAY_MS = 86_400_000;
/** The item a person closes in a previous section; its copy in the new agenda must follow. */
const TICKED_ITEM = "Draft the Q1 hiring plan";
const OTHER_ITEMS = ["Book the offsite venue", "Renew the design licence"];
/** The Worker's mark on a carried copy. */
const CARRY_MARK = "↻";
/** Managers when the pairs act as the service account (their number then changes nothing). */
const MANAGERS = 20;

export interface GoogleSyncOptions {
  pairs: number;
  /** Workspace users the pairs impersonate (each manager's own account); 0: the service account acts. */
  actingUsers: number;
  /** Docs requests per minute per acting account: the emulator's quota and the Worker's pace alike. */
  readsPerMinute: number;
  writesPerMinute: number;
  changedShare: number;
  showLogs: boolean;
}

export interface GoogleSyncFigure {
  pairs: number;
  /** Drive change logs a look reads: the service account's, or one per impersonated user. */
  actingAccounts: number;
  impersonating: boolean;
  quota: { readsPerMinute: number; writesPerMinute: number };
  /** The tick that made every new agenda (a section on top of each running doc), token refreshes apart. */
  made: TickCalls & { seconds: number };
  firstLook: TickCalls & { passes: number; seconds: number };
  quiet: TickCalls & { scheduled: Spent; seconds: number };
  changed: TickCalls & {
    agendas: number;
    lookCalls: number;
    passCalls: number;
    perPass: { reads: number; writes: number };
    copiesDone: number;
    othersTouched: number;
    scheduled: Spent;
    queue: Spent;
    seconds: number;
  };
  /** The tick after: the looks see the Worker's own writes to the changed running docs. */
  echo: TickCalls & { passes: number };
  tokenRefreshes: number;
  /** Seeding the docs and importing the pairs, and the whole run, stack start included. */
  seconds: { seeding: number; total: number };
  limits: SyncFigure["limits"];
}

interface GooglePairSeed {
  id: string;
  manager: { name: string; email: string };
  report: { name: string; email: string };
  documentId: string;
}

const LOOK = (endpoint: string) => endpoint.includes("/changes");

async function googleCalls(stack: Stack): Promise<TickCalls & { tokens: number }> {
  const counts = await stack.google.control.calls();
  const byEndpoint = Object.fromEntries(
    Object.entries(counts).filter(([endpoint]) => endpoint !== TOKEN_ENDPOINT),
  );
  return {
    byEndpoint,
    total: Object.values(byEndpoint).reduce((sum, count) => sum + count, 0),
    tokens: counts[TOKEN_ENDPOINT] ?? 0,
  };
}

/** A running doc kept by hand: the previous meeting's dated section, its items with status chips. */
function handWritten(pair: Omit<GooglePairSeed, "documentId">, plan: PlannedMeeting): BlockSpec[] {
  const open = { dropdown: ["Open", "Done"], title: "Status", selected: "Open" };
  return [
    { paragraph: `${pair.manager.name} & ${pair.report.name} — weekly 1:1 notes` },
    { heading: `1:1 · ${plan.previous.date}`, level: 1 },
    { heading: "Action items", level: 2 },
    {
      bullet: [
        open,
        ` ${TICKED_ITEM} — `,
        { person: pair.report.email, name: pair.report.name },
        " by ",
        { date: addDays(plan.meeting.date, 7) },
      ],
    },
    ...OTHER_ITEMS.map((item): BlockSpec => ({ bullet: [open, ` ${item}`] })),
    { heading: "Notes", level: 2 },
    { paragraph: "Talked about the roadmap." },
  ];
}

async function seed(
  stack: Stack,
  options: GoogleSyncOptions,
  plan: PlannedMeeting,
): Promise<GooglePairSeed[]> {
  const { control, serviceAccount } = stack.google;
  const managers = Array.from(
    { length: options.actingUsers > 0 ? options.actingUsers : MANAGERS },
    (_, i) => ({
      name: `Manager ${i + 1}`,
      email: `bench-manager-${String(i + 1).padStart(2, "0")}@example.com`,
    }),
  );
  for (const manager of managers) await control.createUser(manager);
  const specs = Array.from({ length: options.pairs }, (_, index) => {
    const id = `gsync-${String(index + 1).padStart(5, "0")}`;
    const manager = managers[index % managers.length];
    if (manager === undefined) throw new ScriptError(`${id}: no manager`);
    return { id, manager, report: { name: `Report ${index + 1}`, email: `${id}-report@example.com` } };
  });
  return mapWithConcurrency(specs, CONCURRENCY, async (spec) => {
    await control.createUser(spec.report);
    const created = await control.createDocument({
      title: `${spec.manager.name} & ${spec.report.name} · 1:1 notes`,
      owner: spec.manager.email,
      sharedWith: [
        { principal: spec.report.email, role: "writer" },
        ...(options.actingUsers > 0 ? [] : [{ principal: serviceAccount, role: "writer" as const }]),
      ],
      content: handWritten(spec, plan),
    });
    return { ...spec, documentId: created.documentId };
  });
}

function importOf(pair: GooglePairSeed, impersonate: boolean): unknown {
  return {
    id: pair.id,
    manager: pair.manager,
    report: pair.report,
    template: "weekly",
    schedule: BENCH_SCHEDULE_INPUT,
    destination: {
      kind: "google-docs",
      mode: "running-doc",
      documentId: pair.documentId,
      ...(impersonate ? { impersonate: pair.manager.email } : {}),
    },
  };
}

/** A paragraph as a person sees it: style, list level, status chip, struck or not, words. */
const line = (paragraph: Paragraph): string =>
  `${paragraph.namedStyle}:${paragraph.listLevel ?? "-"}:[${paragraph.status ?? ""}]${paragraph.struck ? "~" : ""} ${paragraph.text}`;

const isCopy = (paragraph: Paragraph): boolean =>
  paragraph.listLevel === 0 && paragraph.text.includes(TICKED_ITEM) && paragraph.text.includes(CARRY_MARK);

/** Each pair's new section as a person sees it, by pair id. */
async function sectionsSeen(
  stack: Stack,
  pairs: readonly GooglePairSeed[],
  date: string,
): Promise<Map<string, Paragraph[]>> {
  const views = await mapWithConcurrency(pairs, CONCURRENCY, async (pair) =>
    paragraphsIn(await readDocument(stack.google.control, pair.documentId), sectionRangeName(pair.id, date)),
  );
  return new Map(pairs.map((pair, index) => [pair.id, views[index] ?? []]));
}

/** The previous section's item: below the new section, outside its range. */
function previousItem(doc: GoogleDoc, pair: GooglePairSeed, date: string): Paragraph {
  const range = doc.ranges.get(sectionRangeName(pair.id, date));
  const found = doc.paragraphs.find(
    (paragraph) =>
      paragraph.listLevel !== null &&
      paragraph.text.includes(TICKED_ITEM) &&
      (range === undefined || paragraph.start >= range.end),
  );
  if (found === undefined) throw new ScriptError(`${pair.id}: its previous section has no "${TICKED_ITEM}"`);
  return found;
}

export async function measureGoogleSync(options: GoogleSyncOptions): Promise<GoogleSyncFigure> {
  const impersonating = options.actingUsers > 0;
  const quota = {
    docsReadsPerMinute: options.readsPerMinute,
    docsWritesPerMinute: options.writesPerMinute,
  };
  const started = performance.now();
  const stack = await startStack({
    stateName: `bench-sync-google-${impersonating ? "users" : "sa"}`,
    requestsPerSecond: 3,
    showLogs: options.showLogs,
    google: { quota, serviceAccount: { domainWideDelegation: impersonating } },
    vars: {
      GOOGLE_DOCS_READS_PER_MINUTE: String(options.readsPerMinute),
      GOOGLE_DOCS_WRITES_PER_MINUTE: String(options.writesPerMinute),
    },
  });
  const plan = planMeeting("sync", BENCH_SCHEDULE, Date.now() + DAY_MS);
  const seedingStarted = performance.now();
  const pairs = await seed(stack, options, plan);
  await stack.admin.importPairs(pairs.map((pair) => importOf(pair, impersonating)));
  const seeding = (performance.now() - seedingStarted) / 1000;
  const actingAccounts = impersonating ? options.actingUsers : 1;
  out(
    `  ${pairs.length} running docs written by hand (a section of ${plan.previous.date}, items with status chips), ${impersonating ? `${actingAccounts} impersonated users` : "one service account"}; meetings ${plan.meeting.date}`,
  );
  let tokens = 0;
  const take = async (): Promise<TickCalls> => {
    const { tokens: refreshes, ...calls } = await googleCalls(stack);
    tokens += refreshes;
    await stack.google.control.resetCalls();
    return calls;
  };

  // Every new agenda is made at one tick, carrying the hand-written section's items.
  await stack.google.control.resetCalls();
  const madeStarted = performance.now();
  await stack.admin.scheduled(plan.tickMs);
  await untilMade(stack, pairs, plan.meeting.date);
  const made = { ...(await take()), seconds: (performance.now() - madeStarted) / 1000 };

  // The first look: no page token yet, so every meeting in the window is owed a pass.
  const firstAt = new Date().toISOString();
  const firstStarted = performance.now();
  await stack.admin.scheduled(plan.tickMs + TICK_MS);
  const passes = await untilSynced(stack, pairs, plan.meeting.date, firstAt, {
    all: false,
    timeoutMs: 10 * 60_000,
  });
  const firstLook = { ...(await take()), passes, seconds: (performance.now() - firstStarted) / 1000 };

  // A quiet tick.
  await budget(stack, "DELETE");
  const quietStarted = performance.now();
  await stack.admin.scheduled(plan.tickMs + 2 * TICK_MS);
  const quietSeconds = (performance.now() - quietStarted) / 1000;
  const quietBudget = await budget(stack, "GET");
  const quiet = { ...(await take()), scheduled: spentOf(quietBudget.max.scheduled), seconds: quietSeconds };

  // People pick Done on the item's chip in a share of the previous sections.
  const every = Math.max(1, Math.round(1 / options.changedShare));
  const changedPairs = pairs.filter((_, index) => index % every === 0);
  const before = await sectionsSeen(stack, pairs, plan.meeting.date);
  await mapWithConcurrency(changedPairs, CONCURRENCY, async (pair) => {
    const item = previousItem(
      await readDocument(stack.google.control, pair.documentId),
      pair,
      plan.meeting.date,
    );
    // The chip opens the item's line.
    await stack.google.control.setDropdown(pair.documentId, { index: item.start }, "Done", {
      principal: pair.report.email,
    });
  });
  await stack.google.control.resetCalls();
  await budget(stack, "DELETE");
  const changedAt = new Date().toISOString();
  const changedStarted = performance.now();
  await stack.admin.scheduled(plan.tickMs + 3 * TICK_MS);
  const changedScheduled = spentOf((await budget(stack, "GET")).max.scheduled);
  await untilSynced(stack, changedPairs, plan.meeting.date, changedAt, { all: true, timeoutMs: 10 * 60_000 });
  const changedSeconds = (performance.now() - changedStarted) / 1000;
  const afterBudget = await budget(stack, "GET");
  const changedCalls = await take();
  const after = await sectionsSeen(stack, pairs, plan.meeting.date);

  const changedIds = new Set(changedPairs.map((pair) => pair.id));
  let copiesDone = 0;
  let othersTouched = 0;
  for (const pair of pairs) {
    const was = before.get(pair.id) ?? [];
    const now = after.get(pair.id) ?? [];
    if (!changedIds.has(pair.id)) {
      if (now.map(line).join("\n") !== was.map(line).join("\n")) othersTouched += 1;
      continue;
    }
    if (now.find(isCopy)?.status === "Done") copiesDone += 1;
    // Apart from that one chip, the section is as it was.
    const expected = was.map((paragraph) =>
      line(isCopy(paragraph) ? { ...paragraph, status: "Done" } : paragraph),
    );
    if (now.map(line).join("\n") !== expected.join("\n")) othersTouched += 1;
  }

  // The tick after: the looks name the documents the passes wrote to.
  const echoAt = new Date().toISOString();
  await stack.admin.scheduled(plan.tickMs + 4 * TICK_MS);
  const echoPasses = await untilSynced(stack, changedPairs, plan.meeting.date, echoAt, {
    all: false,
    timeoutMs: 10 * 60_000,
  });
  const echo = { ...(await take()), passes: echoPasses };

  const lookCalls = Object.entries(changedCalls.byEndpoint)
    .filter(([endpoint]) => LOOK(endpoint))
    .reduce((sum, [, count]) => sum + count, 0);
  const passCalls = changedCalls.total - lookCalls;
  const writes = Object.entries(changedCalls.byEndpoint)
    .filter(([endpoint]) => !endpoint.startsWith("GET ") && !LOOK(endpoint))
    .reduce((sum, [, count]) => sum + count, 0);
  const perPass = (count: number) => count / Math.max(1, changedPairs.length);
  return {
    pairs: pairs.length,
    actingAccounts,
    impersonating,
    quota: { readsPerMinute: options.readsPerMinute, writesPerMinute: options.writesPerMinute },
    made,
    firstLook,
    quiet,
    changed: {
      ...changedCalls,
      agendas: changedPairs.length,
      lookCalls,
      passCalls,
      perPass: { reads: perPass(passCalls - writes), writes: perPass(writes) },
      copiesDone,
      othersTouched,
      scheduled: changedScheduled,
      queue: spentOf(afterBudget.max.queue),
      seconds: changedSeconds,
    },
    echo,
    tokenRefreshes: tokens,
    seconds: { seeding, total: (performance.now() - started) / 1000 },
    limits: afterBudget.limits,
  };
}

/** The human lines of one Google sync figure, each with its target; answers whether every target was met. */
export function printGoogleSync(
  figure: GoogleSyncFigure,
  describe: (counts: Readonly<Record<string, number>>) => string,
  passFail: (pass: boolean) => string,
): boolean {
  const { made, firstLook, quiet, changed, echo } = figure;
  const who = figure.impersonating
    ? `${figure.actingAccounts} impersonated Workspace users (${figure.pairs / figure.actingAccounts} pairs each)`
    : "one service account";
  out(`  ${style.bold(`${figure.pairs} running docs, ${who}`)}`);
  out(
    style.dim(
      `    Docs quotas raised to ${figure.quota.readsPerMinute} reads and ${figure.quota.writesPerMinute} writes per minute per account (Google's default 300 / 60; emulator and Worker pace alike) so the agendas are made within the run; the sync figures below need no quota`,
    ),
  );
  out(
    style.dim(
      `    making the agendas (hand-written sections taken over): ${made.total} calls, ${(made.total / figure.pairs).toFixed(1)} per agenda, ${made.seconds.toFixed(1)} s (${describe(made.byEndpoint)})`,
    ),
  );
  out(
    style.dim(
      `    first look (no page token yet: every meeting owed a pass): ${firstLook.total} calls, ${firstLook.passes} passes, ${firstLook.seconds.toFixed(1)} s (${describe(firstLook.byEndpoint)})`,
    ),
  );
  const quietPass =
    quiet.total === figure.actingAccounts &&
    Object.keys(quiet.byEndpoint).every(LOOK) &&
    quiet.scheduled.queueSends === 0;
  out(
    `  quiet tick: ${style.bold(String(quiet.total))} Google calls (${(quiet.total / figure.actingAccounts).toFixed(2)} per acting account), no pass handed out   target 1 changes.list per acting account   ${passFail(quietPass)}`,
  );
  out(
    style.dim(
      `    the cron invocation: ${quiet.scheduled.d1Queries} D1 queries, ${quiet.scheduled.subrequests} subrequests (${quiet.scheduled.queueSends} queue sends), ${quiet.seconds.toFixed(1)} s${quiet.total === 0 ? "" : ` (${describe(quiet.byEndpoint)})`}`,
    ),
  );
  const syncedPass = changed.copiesDone === changed.agendas && changed.othersTouched === 0;
  out(
    `  after people picked Done on an item in ${changed.agendas} previous sections: ${style.bold(String(changed.total))} Google calls = ${changed.lookCalls} for the looks + ${changed.passCalls} for ${changed.agendas} passes (per pass ${changed.perPass.reads.toFixed(1)} reads, ${changed.perPass.writes.toFixed(1)} writes); ${changed.seconds.toFixed(1)} s until every pass was done`,
  );
  out(style.dim(`    ${describe(changed.byEndpoint)}`));
  out(
    `  copies marked Done ${changed.copiesDone}/${changed.agendas}, other agendas (or other lines) touched ${changed.othersTouched}   target all, 0   ${passFail(syncedPass)}`,
  );
  out(
    style.dim(
      `    the tick after: ${echo.total} calls, ${echo.passes} passes (the looks see the Worker's own writes to those running docs) (${describe(echo.byEndpoint)})`,
    ),
  );
  const budgetPass = printPerInvocation(figure, passFail);
  out(
    style.dim(
      `    token refreshes over the run (reported apart): ${figure.tokenRefreshes} ${TOKEN_ENDPOINT}; the run took ${figure.seconds.total.toFixed(0)} s, ${figure.seconds.seeding.toFixed(0)} s of it seeding the docs`,
    ),
  );
  printCallsPerTick(figure);
  return quietPass && syncedPass && budgetPass;
}
