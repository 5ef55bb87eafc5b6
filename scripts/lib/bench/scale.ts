// Owns the scale figure: many pairs (10,000 by default) across 50 Notion integrations (each its own token,
// data source and rate limit in the emulator) and 5 time zones, on their own local stack (queues,
// Durable Objects, D1). "First day": one cron tick at which every pair is due; then "a normal week": every
// 15-minute tick of the next 7 days, in which each pair is due once more. It checks the emulator's pages
// (one per meeting, each carrying its pair's open item) and D1 (through the admin API), and reads the
// Worker's per-invocation budget. Digests are left out of this stage (the digest figures are above).
import { Temporal } from "temporal-polyfill";
import { request } from "../http";
import { ScriptError } from "../run";
import { type Stack, startStack } from "../stack";
import { out, style } from "../terminal";
import { TICK_MS, tickAtOrAfter } from "../ticks";

const ZONES = ["America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Berlin", "Asia/Tokyo"];
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const DAY_MS = 86_400_000;
/** First meetings start 15 min to 22 h after the first tick (lead time 24 h: all due at that tick). */
const START_SLOTS = 88;

export interface ScaleOptions {
  pairs: number;
  integrations: number;
  /** Requests per second per integration: the emulator's limit and the Worker's pacing. */
  rate: number;
  showLogs: boolean;
}

interface PhaseFigure {
  due: number;
  created: number;
  failed: number;
  duplicates: number;
  itemsLost: number;
  notionCalls: number;
  callsPerAgenda: number;
  elapsedSeconds: number;
  peakBacklog: number;
}

export interface ScaleFigure {
  pairs: number;
  integrations: number;
  timeZones: number;
  ratePerIntegration: number;
  firstDay: PhaseFigure & { floorSeconds: number; fraction: number };
  week: PhaseFigure & { ticks: number };
  unplanned429s: number;
  budget: {
    scheduled: { subrequests: number; d1Queries: number; invocations: number };
    queue: { subrequests: number; d1Queries: number; invocations: number };
    limits: {
      paid: { subrequests: number; d1Queries: number };
      free: { subrequests: number; d1Queries: number };
    };
  };
  digests: "not included";
}

interface ScalePair {
  id: string;
  integration: number;
  zone: string;
  /** Local dates: the seeded previous agenda, the first day's meeting, the week's meeting. */
  previous: string;
  first: string;
  second: string;
  /** The tick at which the week's meeting comes due (lead time 24 h). */
  secondTickMs: number;
  item: string;
  input: unknown;
}

const tokenOf = (index: number) => `ntn_bench_scale_${String(index + 1).padStart(2, "0")}_local_only`;
const secretOf = (index: number) => `NOTION_TOKEN_SCALE_${String(index + 1).padStart(2, "0")}`;

/** The Worker secrets of the integrations: the stack is started with them. */
function scaleVars(integrations: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: integrations }, (_, i) => [secretOf(i), tokenOf(i)]));
}

function planPairs(count: number, integrations: number, tickMs: number): ScalePair[] {
  return Array.from({ length: count }, (_, index) => {
    const zone = ZONES[index % ZONES.length] ?? "UTC";
    const integration = index % integrations;
    const startMs = tickMs + (1 + (Math.floor(index / ZONES.length) % START_SLOTS)) * TICK_MS;
    const start = Temporal.Instant.fromEpochMilliseconds(startMs).toZonedDateTimeISO(zone);
    const id = `scale-${String(index + 1).padStart(5, "0")}`;
    const first = start.toPlainDate();
    const item = `Follow up on the plan of ${id}`;
    return {
      id,
      integration,
      zone,
      previous: first.subtract({ days: 7 }).toString(),
      first: first.toString(),
      second: first.add({ days: 7 }).toString(),
      secondTickMs: tickAtOrAfter(start.add({ days: 7 }).epochMilliseconds - DAY_MS),
      item,
      input: {
        id,
        manager: { name: `Manager ${index + 1}`, email: `${id}-manager@example.com` },
        report: { name: `Report ${index + 1}`, email: `${id}-report@example.com` },
        template: "weekly",
        schedule: {
          timeZone: zone,
          time: start.toPlainTime().toString({ smallestUnit: "minute" }),
          cadence: { kind: "weekly", weekday: WEEKDAYS[start.dayOfWeek - 1] },
          leadTime: { hours: 24 },
        },
        destination: {
          kind: "notion",
          dataSourceId: "",
          pairProperty: { name: "Pair" },
          tokenSecret: secretOf(integration),
        },
      },
    };
  });
}

async function seed(stack: Stack, pairs: ScalePair[], options: ScaleOptions): Promise<Map<number, string>> {
  const dataSources = new Map<number, string>();
  for (let integration = 0; integration < options.integrations; integration += 1) {
    const token = tokenOf(integration);
    await stack.notion.createIntegration({
      name: `scale ${integration + 1}`,
      token,
      requestsPerSecond: options.rate,
    });
    const mine = pairs.filter((pair) => pair.integration === integration);
    const database = await stack.notion.seedDatabase(token, {
      title: `Team ${integration + 1} 1:1s`,
      properties: { Name: { type: "title" }, Date: { type: "date" }, Pair: { type: "rich_text" } },
      pages: mine.map((pair) => ({
        properties: {
          Name: { title: [{ text: { content: `1:1 ${pair.id} · ${pair.previous}` } }] },
          Date: { date: { start: pair.previous } },
          Pair: { rich_text: [{ text: { content: pair.id } }] },
        },
        children: [
          { heading_2: { rich_text: [{ text: { content: "Action items" } }] } },
          { to_do: { rich_text: [{ text: { content: pair.item } }], checked: false } },
          { to_do: { rich_text: [{ text: { content: "Book the room" } }], checked: true } },
        ],
      })),
    });
    dataSources.set(integration, database.dataSourceId);
  }
  return dataSources;
}

interface Summary {
  claimed: number;
  created: number;
  failed: number;
}

async function summary(stack: Stack, from: string, to: string): Promise<Summary> {
  const answer = await request(`${stack.workerUrl}/admin/meetings/summary?from=${from}&to=${to}`, {
    headers: { Authorization: `Bearer ${stack.adminToken}` },
  });
  if (answer.status !== 200)
    throw new ScriptError(`meetings summary: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
  return JSON.parse(answer.text) as Summary;
}

/** Every Notion request so far, summed over the integrations, and the last one's arrival. */
async function notionRequests(stack: Stack, integrations: number) {
  let total = 0;
  let responses429 = 0;
  let lastAt = 0;
  for (let integration = 0; integration < integrations; integration += 1) {
    const records = await stack.notion.requests(tokenOf(integration));
    total += records.length;
    responses429 += records.filter((record) => record.status === 429).length;
    lastAt = Math.max(lastAt, ...records.map((record) => record.at));
  }
  return { total, responses429, lastAt };
}

/** Waits until every due meeting of the range is created or failed; the peak of those not yet done. */
async function settle(
  stack: Stack,
  range: [string, string],
  due: number,
  timeoutMs: number,
): Promise<{ last: Summary; peak: number }> {
  const deadline = performance.now() + timeoutMs;
  let peak = 0;
  for (;;) {
    const last = await summary(stack, range[0], range[1]);
    peak = Math.max(peak, due - last.created - last.failed);
    if (last.created + last.failed >= due) return { last, peak };
    if (performance.now() > deadline) {
      throw new ScriptError(
        `only ${last.created} of ${due} meetings were created in ${Math.round(timeoutMs / 1000)} s`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Pages per (pair, date) in the emulator, and the new pages that do not carry their pair's open item. */
async function inspect(
  stack: Stack,
  pairs: ScalePair[],
  dataSources: ReadonlyMap<number, string>,
  dateOf: (pair: ScalePair) => string,
) {
  const wanted = new Map(pairs.map((pair) => [`${pair.id}|${dateOf(pair)}`, pair]));
  const found = new Map<string, string[]>();
  for (const dataSourceId of dataSources.values()) {
    for (const page of await stack.notion.pages(dataSourceId)) {
      const pairProperty = page.properties.Pair;
      const dateProperty = page.properties.Date;
      const pairId =
        pairProperty?.type === "rich_text"
          ? pairProperty.rich_text.map((item) => item.plain_text).join("")
          : "";
      const date = dateProperty?.type === "date" ? (dateProperty.date?.start ?? "") : "";
      const key = `${pairId}|${date}`;
      if (wanted.has(key)) found.set(key, [...(found.get(key) ?? []), page.id]);
    }
  }
  let duplicates = 0;
  let itemsLost = 0;
  for (const [key, pair] of wanted) {
    const pages = found.get(key) ?? [];
    duplicates += Math.max(0, pages.length - 1);
    if (!pages.some((pageId) => textOf(stack, pageId).includes(pair.item))) itemsLost += 1;
  }
  return { duplicates, itemsLost };
}

function textOf(stack: Stack, id: string): string {
  const workspace = stack.emulator.workspace;
  return workspace
    .liveChildren(id)
    .map((block) => {
      const richText = Reflect.get(block.content, "rich_text");
      const own = Array.isArray(richText)
        ? richText.map((item: unknown) => String(Reflect.get(Object(item), "plain_text") ?? "")).join("")
        : "";
      return `${own}\n${textOf(stack, block.id)}`;
    })
    .join("\n");
}

interface BudgetAnswer {
  max: Record<"scheduled" | "queue", { subrequests: number; d1Queries: number; invocations: number }>;
  limits: ScaleFigure["budget"]["limits"];
}

async function budget(stack: Stack, method: "GET" | "DELETE"): Promise<BudgetAnswer> {
  const answer = await request(`${stack.workerUrl}/admin/budget`, {
    method,
    headers: { Authorization: `Bearer ${stack.adminToken}` },
  });
  return JSON.parse(answer.text) as BudgetAnswer;
}

/** The first and last of some local dates. */
function rangeOf(dates: string[]): [string, string] {
  const sorted = [...dates].sort();
  return [sorted[0] ?? "", sorted.at(-1) ?? ""];
}

export async function measureScale(options: ScaleOptions): Promise<ScaleFigure> {
  const stack = await startStack({
    stateName: "bench-scale",
    requestsPerSecond: options.rate,
    showLogs: options.showLogs,
    vars: scaleVars(options.integrations),
  });
  const tickMs = tickAtOrAfter(Date.now()) + DAY_MS;
  const pairs = planPairs(options.pairs, options.integrations, tickMs);
  const dataSources = await seed(stack, pairs, options);
  for (const pair of pairs) {
    const destination = Reflect.get(Object(pair.input), "destination") as { dataSourceId: string };
    destination.dataSourceId = dataSources.get(pair.integration) ?? "";
  }
  const inputs = pairs.map((pair) => pair.input);
  for (let start = 0; start < inputs.length; start += 10_000) {
    await stack.admin.importPairs(inputs.slice(start, start + 10_000));
  }
  const firstRange = rangeOf(pairs.map((pair) => pair.first));
  const secondRange = rangeOf(pairs.map((pair) => pair.second));
  out(
    `  ${pairs.length} pairs imported across ${options.integrations} integrations and ${ZONES.length} time zones; first day at ${new Date(tickMs).toISOString()}`,
  );
  await budget(stack, "DELETE");

  // First day: one tick, every pair due.
  const firstStarted = Date.now();
  await stack.admin.scheduled(tickMs);
  const first = await settle(stack, firstRange, pairs.length, 30 * 60_000);
  const afterFirst = await notionRequests(stack, options.integrations);
  const firstElapsed = (afterFirst.lastAt - firstStarted) / 1000;
  const firstPages = await inspect(stack, pairs, dataSources, (pair) => pair.first);
  const floorSeconds = afterFirst.total / (options.integrations * options.rate);
  out(
    `  first day: ${first.last.created} created in ${firstElapsed.toFixed(1)} s (${afterFirst.total} Notion calls; floor ${floorSeconds.toFixed(1)} s)`,
  );

  // A normal week: every tick of the next 7 days; each pair is due once more.
  const weekStarted = Date.now();
  let ticks = 0;
  let weekPeak = 0;
  // Fifteen minutes pass between real ticks: a tick that brings meetings due is given the time to
  // prepare them before the next, or every later tick would hand the same meetings out again.
  for (let at = tickMs + TICK_MS; at <= tickMs + 7 * DAY_MS; at += TICK_MS) {
    await stack.admin.scheduled(at);
    ticks += 1;
    const dueSoFar = pairs.filter((pair) => pair.secondTickMs <= at).length;
    const dueNow = pairs.some((pair) => pair.secondTickMs === at);
    while (dueNow) {
      const now = await summary(stack, secondRange[0], secondRange[1]);
      weekPeak = Math.max(weekPeak, dueSoFar - now.created - now.failed);
      if (now.created + now.failed >= dueSoFar) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (ticks % 96 === 0)
      out(style.dim(`    day ${ticks / 96}: ${dueSoFar} of the week's meetings due and prepared`));
  }
  const week = await settle(stack, secondRange, pairs.length, 30 * 60_000);
  const afterWeek = await notionRequests(stack, options.integrations);
  const weekElapsed = (Date.now() - weekStarted) / 1000;
  const weekPages = await inspect(stack, pairs, dataSources, (pair) => pair.second);
  const peaks = await budget(stack, "GET");

  const weekCalls = afterWeek.total - afterFirst.total;
  return {
    pairs: pairs.length,
    integrations: options.integrations,
    timeZones: ZONES.length,
    ratePerIntegration: options.rate,
    firstDay: {
      due: pairs.length,
      created: first.last.created,
      failed: first.last.failed,
      duplicates: firstPages.duplicates,
      itemsLost: firstPages.itemsLost,
      notionCalls: afterFirst.total,
      callsPerAgenda: afterFirst.total / Math.max(1, first.last.created),
      elapsedSeconds: firstElapsed,
      peakBacklog: first.peak,
      floorSeconds,
      fraction: floorSeconds / firstElapsed,
    },
    week: {
      due: pairs.length,
      created: week.last.created,
      failed: week.last.failed,
      duplicates: weekPages.duplicates,
      itemsLost: weekPages.itemsLost,
      notionCalls: weekCalls,
      callsPerAgenda: weekCalls / Math.max(1, week.last.created),
      elapsedSeconds: weekElapsed,
      peakBacklog: Math.max(weekPeak, week.peak),
      ticks,
    },
    unplanned429s: afterWeek.responses429,
    budget: { scheduled: peaks.max.scheduled, queue: peaks.max.queue, limits: peaks.limits },
    digests: "not included",
  };
}

const SCALE_TARGETS = { fraction: 0.95, duplicates: 0, itemsLost: 0, unplanned429s: 0 } as const;

/** The human lines of the scale figure, each with its target; answers whether every target was met. */
export function printScale(figure: ScaleFigure, passFail: (pass: boolean) => string): boolean {
  const { firstDay, week, budget: spent } = figure;
  const allCreated = firstDay.created === figure.pairs && week.created === figure.pairs;
  const noDuplicates = firstDay.duplicates + week.duplicates === SCALE_TARGETS.duplicates;
  const noneLost = firstDay.itemsLost + week.itemsLost === SCALE_TARGETS.itemsLost;
  const pacePass = firstDay.fraction >= SCALE_TARGETS.fraction;
  const no429 = figure.unplanned429s === SCALE_TARGETS.unplanned429s;
  const paid = spent.limits.paid;
  const free = spent.limits.free;
  const worst = {
    subrequests: Math.max(spent.scheduled.subrequests, spent.queue.subrequests),
    d1Queries: Math.max(spent.scheduled.d1Queries, spent.queue.d1Queries),
  };
  const budgetPass = worst.subrequests <= paid.subrequests && worst.d1Queries <= paid.d1Queries;
  out(
    `  ${figure.pairs} pairs, ${figure.integrations} Notion integrations at ${figure.ratePerIntegration} requests/s each (the emulator's limit and the Worker's pace${figure.ratePerIntegration > 3 ? `, raised from Notion's 3/s so the run fits in minutes` : ""}), ${figure.timeZones} time zones; digests not included in this stage`,
  );
  out(
    `  first day: ${firstDay.created} of ${firstDay.due} agendas created, ${firstDay.failed} failed; ${week.ticks} ticks of the next 7 days: ${week.created} of ${week.due} created, ${week.failed} failed   ${passFail(allCreated)}`,
  );
  out(
    `  duplicates (pages per meeting > 1): ${firstDay.duplicates + week.duplicates}   target 0   ${passFail(noDuplicates)}`,
  );
  out(
    `  items lost (new agendas without their pair's open item): ${firstDay.itemsLost + week.itemsLost}   target 0   ${passFail(noneLost)}`,
  );
  out(
    `  first day: ${firstDay.notionCalls} Notion calls in ${firstDay.elapsedSeconds.toFixed(1)} s; floor ${firstDay.floorSeconds.toFixed(1)} s (calls / (${figure.integrations} × ${figure.ratePerIntegration}/s)) → ${style.bold(firstDay.fraction.toFixed(3))} of the allowed rate   target ≥ ${SCALE_TARGETS.fraction}   ${passFail(pacePass)}`,
  );
  out(
    `  Notion calls per agenda: first day ${firstDay.callsPerAgenda.toFixed(2)} (the previous agenda is found by a query), the week ${week.callsPerAgenda.toFixed(2)} (D1 knows it)`,
  );
  out(`  unplanned 429s: ${figure.unplanned429s}   target 0   ${passFail(no429)}`);
  out(
    `  peak backlog (due meetings not yet created): first day ${firstDay.peakBacklog}, the week ${week.peakBacklog}; the week took ${week.elapsedSeconds.toFixed(1)} s`,
  );
  out(
    `  per invocation, at most: cron tick ${spent.scheduled.subrequests} subrequests and ${spent.scheduled.d1Queries} D1 queries; queue batch ${spent.queue.subrequests} subrequests and ${spent.queue.d1Queries} D1 queries   limits: Workers Paid ${paid.subrequests} subrequests / ${paid.d1Queries} D1 queries, Workers Free ${free.subrequests} / ${free.d1Queries}   ${passFail(budgetPass)}`,
  );
  if (worst.subrequests > free.subrequests || worst.d1Queries > free.d1Queries) {
    out(
      style.yellow(
        "    over the Workers Free plan's limits: see the README's pipeline section for the free plan",
      ),
    );
  }
  return allCreated && noDuplicates && noneLost && pacePass && no429 && budgetPass;
}
