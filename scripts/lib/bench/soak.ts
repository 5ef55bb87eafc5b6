// Owns the fault soak: N pairs through the real local stack (queues, Durable Objects, D1) for several
// simulated weeks while a share of the Worker's Notion calls fail (429 with Retry-After, 5xx, dropped
// connections, answers lost after the write) and the digest receivers fail too; every week two cron
// ticks run at once, later ticks overlap the stragglers, and the Worker is killed and restarted while
// messages are in flight. Between weeks people close and add items in the latest agenda, so what must
// be carried is known. Its figures are what users see: agendas and items in Notion, digests at the
// receivers; each one that is not 0 is a product bug.
import type { PageObjectResponse } from "@notionhq/client";
import type { BlockTreeNode, FaultSpec } from "../../../emulators/notion/control";
import type { ReceivedRequest, ReceiverKind } from "../../../emulators/receivers/server";
import { UNFINISHED_MARK } from "../../../src/destinations/notion/pages";
import { DEMO_HOOKS } from "../digest-side";
import { ScriptError } from "../run";
import type { Stack } from "../stack";
import { startStack } from "../stack";
import { out, style } from "../terminal";
import type { PlannedMeeting } from "../ticks";
import { planMeeting, TICK_MS } from "../ticks";
import { BENCH_SCHEDULE, type BenchPair, person, seedPairs } from "./pairs";

const PAIRS_PER_DATABASE = 10;
/** The claim leases the soak's Worker runs with (the settings' minimum), so takeovers happen in the run. */
export const SOAK_LEASE_SECONDS = 60;
/**
 * The work queue's first retry delay in the soak (30 s in production): a meeting that fails five times in
 * a row (at 20% faults, a few in a hundred) is retried within a minute, not after 15, so weeks converge
 * in minutes of real time. The backoff's shape is the same.
 */
export const SOAK_RETRY_FIRST_DELAY_SECONDS = 2;
/** How long one week may take to converge before the soak calls it stuck. */
const WEEK_TIMEOUT_MS = 6 * 60_000;
const POLL_MS = 2_000;
/**
 * A later cron tick (15 simulated minutes on) is fired when a week has made no progress for this long:
 * the queue has drained and what is left waits for a lease to run out or a retry to fall due. Firing
 * them on a timer instead would re-send every meeting still waiting in the backlog, tick after tick.
 */
const CATCH_UP_TICK_MS = 10_000;

/** The Worker's Notion faults: each a chance per request; together about the asked share of calls. */
function notionFaults(token: string, share: number, seed: number): Array<{ kind: string; spec: FaultSpec }> {
  // Four independent kinds; each fires with chance p, so 1 - (1 - p)^4 of calls fail in all.
  const p = 1 - (1 - share) ** (1 / 4);
  const base = { token, probability: p };
  return [
    { kind: "429 with Retry-After", spec: { ...base, seed, status: 429, retryAfter: 1 } },
    { kind: "5xx (500/503)", spec: { ...base, seed: seed + 1, status: 503 } },
    { kind: "connection dropped", spec: { ...base, seed: seed + 2, drop: true } },
    { kind: "answer lost after the write", spec: { ...base, seed: seed + 3, drop: "after" } },
  ];
}

/** The digest channel of pair `index`: the demo's hooks in turn (a Slack-like channel or a webhook). */
const CHANNELS: Array<{ channel: ReceiverKind; secret: string }> = Object.entries(DEMO_HOOKS)
  .filter(([secret]) => secret !== "DEMO_ROLLUP_SLACK_URL")
  .map(([secret, { kind }]) => ({ channel: kind, secret }));

export interface SoakOptions {
  pairs: number;
  weeks: number;
  /** Notion requests per second: the emulator's limit and the Worker's pace. */
  rate: number;
  /** Share of the Worker's Notion calls and of digest sends that fail. */
  faultShare: number;
  seed: number;
  showLogs: boolean;
}

export interface SoakFigure {
  pairs: number;
  weeks: number;
  rate: number;
  seconds: number;
  duplicateAgendas: number;
  /** Pages left with the unfinished mark (never taken as an agenda; reported, not a failure). */
  unfinishedPagesLeft: number;
  lostItems: number;
  doubledItems: number;
  digestsTwice: number;
  meetingsDue: number;
  meetingsConverged: number;
  digestsDelivered: number;
  notionCalls: number;
  notionFaults: Record<string, number>;
  notionFaultShare: number;
  digestSends: number;
  receiverFaults: Record<string, number>;
  workerRestarts: number;
  overlappingTicks: number;
  catchUpTicks: number;
  pass: boolean;
  failures: string[];
}

interface SoakPair {
  id: string;
  dataSourceId: string;
  channel: ReceiverKind;
}

/** The text a person sees in a to-do, without the carry and overdue marks the Worker adds. */
function itemText(node: BlockTreeNode): string {
  const payload: unknown = Reflect.get(node, "to_do");
  const richText: unknown =
    typeof payload === "object" && payload !== null ? Reflect.get(payload, "rich_text") : [];
  const text = (Array.isArray(richText) ? richText : [])
    .map((part: unknown) => {
      const plain = typeof part === "object" && part !== null ? Reflect.get(part, "plain_text") : "";
      return typeof plain === "string" ? plain : "";
    })
    .join("");
  const mark = text.indexOf(" ↻ open since ");
  return (mark === -1 ? text : text.slice(0, mark)).trim();
}

interface ActionItem {
  id: string;
  text: string;
  checked: boolean;
}

/** The to-dos under the page's "Action items" heading (top level, as the template lays them out). */
function actionItems(tree: readonly BlockTreeNode[]): ActionItem[] {
  const items: ActionItem[] = [];
  let inside = false;
  for (const node of tree) {
    if (node.type === "heading_2" || node.type === "heading_1" || node.type === "heading_3") {
      const heading: unknown = Reflect.get(node, node.type);
      const words: unknown =
        typeof heading === "object" && heading !== null ? Reflect.get(heading, "rich_text") : [];
      inside = JSON.stringify(words).includes("Action items");
      continue;
    }
    if (inside && node.type === "to_do") {
      items.push({ id: node.id, text: itemText(node), checked: node.to_do.checked });
    }
  }
  return items;
}

function titleOf(page: PageObjectResponse): string {
  for (const value of Object.values(page.properties)) {
    if (value.type === "title") return value.title.map((part) => part.plain_text).join("");
  }
  return "";
}

function propertyText(page: PageObjectResponse, name: string): string {
  const value = page.properties[name];
  if (value?.type === "rich_text") return value.rich_text.map((part) => part.plain_text).join("");
  if (value?.type === "date") return value.date?.start ?? "";
  return "";
}

/** Every live page, by "pair/date", finished ones and unfinished ones apart. */
async function agendas(
  stack: Stack,
  dataSources: readonly string[],
): Promise<{ finished: Map<string, PageObjectResponse[]>; unfinished: number }> {
  const finished = new Map<string, PageObjectResponse[]>();
  let unfinished = 0;
  for (const dataSourceId of dataSources) {
    for (const page of await stack.notion.pages(dataSourceId)) {
      if (titleOf(page).includes(UNFINISHED_MARK.trim())) {
        unfinished += 1;
        continue;
      }
      const key = `${propertyText(page, "Pair")}/${propertyText(page, "Date")}`;
      finished.set(key, [...(finished.get(key) ?? []), page]);
    }
  }
  return { finished, unfinished };
}

/** Accepted digest requests, by meeting page id found in their body. */
function accepted(requests: readonly ReceivedRequest[]): ReceivedRequest[] {
  return requests.filter((request) => request.status >= 200 && request.status < 300);
}

/** Digests a receiver accepted twice: the same webhook-id, or for chat channels the same message. */
function digestsTwice(requests: readonly ReceivedRequest[]): number {
  const seen = new Map<string, number>();
  for (const request of accepted(requests)) {
    const identity =
      request.kind === "webhook"
        ? `webhook-id ${request.headers["webhook-id"] ?? request.body}`
        : `${request.kind}/${request.hook} ${request.body}`;
    seen.set(identity, (seen.get(identity) ?? 0) + 1);
  }
  return [...seen.values()].reduce((sum, count) => sum + Math.max(0, count - 1), 0);
}

const compactId = (id: string): string => id.replaceAll("-", "");

/** The page ids (32 hex digits, as in an agenda's URL) that accepted digests name. */
function digestedPages(requests: readonly ReceivedRequest[]): Set<string> {
  const ids = new Set<string>();
  for (const request of accepted(requests)) {
    for (const match of request.body.matchAll(/[0-9a-f]{32}/g)) ids.add(match[0]);
  }
  return ids;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      const item = items[index] as T;
      results[index] = await work(item);
    }
  });
  await Promise.all(runners);
  return results;
}

async function seed(stack: Stack, plan: PlannedMeeting, count: number): Promise<SoakPair[]> {
  const pairs: SoakPair[] = [];
  const imports: unknown[] = [];
  for (let start = 0; start < count; start += PAIRS_PER_DATABASE) {
    const team = `soak-team-${String(start / PAIRS_PER_DATABASE + 1).padStart(3, "0")}`;
    const manager = await person(stack.notion, `Manager of ${team}`);
    const group: BenchPair[] = [];
    for (let index = start; index < Math.min(count, start + PAIRS_PER_DATABASE); index += 1) {
      const id = `soak-${String(index + 1).padStart(4, "0")}`;
      group.push({ id, manager, report: await person(stack.notion, `Soak report ${index + 1}`) });
    }
    const seeded = await seedPairs(stack.notion, stack.notionToken, group, plan, {
      title: `${team} 1:1s`,
      subItems: false,
    });
    for (const [offset, raw] of seeded.imports.entries()) {
      const index = start + offset;
      const channel = CHANNELS[index % CHANNELS.length];
      const destination: unknown =
        typeof raw === "object" && raw !== null ? Reflect.get(raw, "destination") : null;
      const dataSourceId: unknown =
        typeof destination === "object" && destination !== null
          ? Reflect.get(destination, "dataSourceId")
          : null;
      const pair = group[offset];
      if (channel === undefined || typeof dataSourceId !== "string" || pair === undefined) {
        throw new ScriptError("the soak's seeded import has no data source");
      }
      imports.push({ ...(raw as object), digests: [{ channel: channel.channel, secret: channel.secret }] });
      pairs.push({ id: pair.id, dataSourceId, channel: channel.channel });
    }
  }
  await stack.admin.importPairs(imports);
  return pairs;
}

/** The weeks' meetings, one after another, each with the tick that prepares it. */
function weeksFrom(nowMs: number, count: number): PlannedMeeting[] {
  const weeks: PlannedMeeting[] = [];
  let at = nowMs;
  for (let index = 0; index < count; index += 1) {
    const week = planMeeting("soak", BENCH_SCHEDULE, at);
    weeks.push(week);
    at = week.meeting.startsAtMs;
  }
  return weeks;
}

export async function runSoak(options: SoakOptions): Promise<SoakFigure> {
  const stack = await startStack({
    stateName: "soak",
    requestsPerSecond: options.rate,
    showLogs: options.showLogs,
    digests: true,
    vars: {
      MEETING_CLAIM_LEASE_SECONDS: String(SOAK_LEASE_SECONDS),
      DELIVERY_CLAIM_LEASE_SECONDS: String(SOAK_LEASE_SECONDS),
      WORK_RETRY_FIRST_DELAY_SECONDS: String(SOAK_RETRY_FIRST_DELAY_SECONDS),
      LOG_LEVEL: "error",
    },
  });
  const digestSide = stack.digests;
  if (digestSide === null) throw new ScriptError("the soak's stack started without its receivers");
  const weeks = weeksFrom(Date.now(), options.weeks);
  const first = weeks[0];
  if (first === undefined) throw new ScriptError("--soak-weeks must be at least 1");
  const pairs = await seed(stack, first, options.pairs);
  const dataSources = [...new Set(pairs.map((pair) => pair.dataSourceId))];
  out(
    `  ${pairs.length} pairs seeded and imported, ${dataSources.length} databases; weeks ${first.meeting.date} to ${weeks.at(-1)?.meeting.date}; claim leases ${SOAK_LEASE_SECONDS} s`,
  );

  const armed = new Map<string, string>();
  for (const { kind, spec } of notionFaults(stack.notionToken, options.faultShare, options.seed)) {
    armed.set((await stack.notion.addFault(spec)).id, kind);
  }
  const hooks = Object.entries(DEMO_HOOKS).map(([, { kind, hook }]) => `${kind}/${hook}`);
  const statuses = [429, 500, 503];
  for (const [index, hook] of hooks.entries()) {
    await digestSide.receiversControl.behave(hook, {
      status: statuses[index % statuses.length] ?? 503,
      probability: options.faultShare,
      seed: options.seed + 10 + index,
      retryAfter: 1,
    });
  }
  await stack.notion.resetCalls(stack.notionToken);

  const started = performance.now();
  const failures: string[] = [];
  let lostItems = 0;
  let doubledItems = 0;
  let restarts = 0;
  let overlapping = 0;
  let catchUps = 0;
  const weekTicks = new Map<number, number>();
  const catchUpsOf = (index: number) => weekTicks.get(index) ?? 0;
  /** Per pair, the open items the next agenda must carry, as the person left them. */
  let expected = new Map<string, string[]>();

  const checkCarried = (pairId: string, date: string, items: readonly ActionItem[]) => {
    const want = expected.get(pairId);
    if (want === undefined) return;
    const texts = items.map((item) => item.text);
    for (const text of want) {
      if (!texts.includes(text)) {
        lostItems += 1;
        if (failures.length < 10) failures.push(`${pairId} ${date}: lost "${text}"`);
      }
    }
    const counted = new Map<string, number>();
    for (const text of texts) counted.set(text, (counted.get(text) ?? 0) + 1);
    for (const [text, count] of counted) {
      if (count > 1) {
        doubledItems += count - 1;
        if (failures.length < 10) failures.push(`${pairId} ${date}: "${text}" ${count}× in one agenda`);
      }
    }
  };

  /** Every pair's agenda for `date` exists and its digest was accepted. */
  const convergedOn = async (date: string): Promise<{ agendas: number; digests: number }> => {
    const { finished } = await agendas(stack, dataSources);
    const digested = digestedPages(digestSide.receivers.received());
    let agendaCount = 0;
    let digestCount = 0;
    for (const pair of pairs) {
      const page = finished.get(`${pair.id}/${date}`)?.[0];
      if (page === undefined) continue;
      agendaCount += 1;
      if (digested.has(compactId(page.id))) digestCount += 1;
    }
    return { agendas: agendaCount, digests: digestCount };
  };

  const runWeek = async (week: PlannedMeeting, index: number, faultsOn: boolean): Promise<boolean> => {
    // People close and add items in the latest agenda; what stays open must be carried.
    const { finished } = await agendas(stack, dataSources);
    const next = new Map<string, string[]>();
    await mapLimited(pairs, 8, async (pair) => {
      const page = finished.get(`${pair.id}/${week.previous.date}`)?.[0];
      if (page === undefined) return;
      const tree = await stack.notion.blockTree(page.id);
      const items = actionItems(tree);
      checkCarried(pair.id, week.previous.date, items);
      const open = items.filter((item) => !item.checked);
      const closing = open[0];
      if (closing !== undefined && (pair.id.length + index) % 3 !== 0) {
        await stack.notion.tickTodo(closing.id, true);
      }
      const added = `Follow up on ${pair.id}'s week ${index + 1} notes`;
      const last = items.at(-1);
      await stack.notion.addBlocks(
        page.id,
        [{ to_do: { rich_text: [{ text: { content: added } }], checked: false } }],
        last === undefined ? {} : { after: last.id },
      );
      const stillOpen = open.filter((item) => item !== closing || (pair.id.length + index) % 3 === 0);
      next.set(pair.id, [...stillOpen.map((item) => item.text), added]);
    });
    expected = next;

    const weekStarted = performance.now();
    const creates = async () => (await stack.notion.calls(stack.notionToken))["POST /v1/pages"] ?? 0;
    const createsBefore = await creates();
    // Two cron ticks for the same week at once.
    await Promise.all([stack.admin.scheduled(week.tickMs), stack.admin.scheduled(week.tickMs)]);
    overlapping += 1;
    // Kill the consumers mid-message once a quarter of the agendas are being written.
    if (faultsOn) {
      while ((await creates()) - createsBefore < pairs.length / 4) {
        if (performance.now() - weekStarted > WEEK_TIMEOUT_MS) break;
        await sleep(200);
      }
      await stack.restartWorker();
      restarts += 1;
    }
    return settle(week, index, weekStarted);
  };

  /** Waits for every pair's agenda and digest of `week`, firing the later cron ticks meanwhile. */
  const settle = async (week: PlannedMeeting, index: number, weekStarted: number): Promise<boolean> => {
    const date = week.meeting.date;
    let tickAt = week.tickMs + TICK_MS * catchUpsOf(index);
    let lastTick = performance.now();
    let lastSeen = "";
    let lastProgress = performance.now();
    let lastShown = 0;
    for (;;) {
      const state = await convergedOn(date);
      const seen = `${state.agendas}/${state.digests}`;
      const done = state.agendas === pairs.length && state.digests === pairs.length;
      if (seen !== lastSeen || done || performance.now() - lastShown > 15_000) {
        const elapsed = ((performance.now() - weekStarted) / 1000).toFixed(0);
        out(
          style.dim(
            `    week ${index + 1} (${date}): ${state.agendas}/${pairs.length} agendas, ${state.digests}/${pairs.length} digests, ${elapsed} s`,
          ),
        );
        if (seen !== lastSeen) lastProgress = performance.now();
        lastSeen = seen;
        lastShown = performance.now();
      }
      if (state.agendas === pairs.length && state.digests === pairs.length) return true;
      if (performance.now() - weekStarted > WEEK_TIMEOUT_MS) return false;
      const quiet = performance.now() - Math.max(lastTick, lastProgress);
      if (quiet >= CATCH_UP_TICK_MS && tickAt + TICK_MS < week.meeting.startsAtMs) {
        // The next cron tick, 15 simulated minutes on, while the last one's work may still be under way.
        tickAt += TICK_MS;
        await stack.admin.scheduled(tickAt);
        catchUps += 1;
        weekTicks.set(index, catchUpsOf(index) + 1);
        lastTick = performance.now();
      }
      await sleep(POLL_MS);
    }
  };

  for (const [index, week] of weeks.entries()) {
    const done = await runWeek(week, index, true);
    if (!done)
      failures.push(
        `week ${index + 1} (${week.meeting.date}) had not converged after ${WEEK_TIMEOUT_MS / 1000} s of faults`,
      );
  }

  // The failures stop; what was left converges (or the figure says it did not).
  const fired = new Map<string, number>();
  for (const fault of await stack.notion.faults()) {
    const kind = armed.get(fault.id);
    if (kind !== undefined) fired.set(kind, fault.fired);
  }
  const calls = await stack.notion.calls(stack.notionToken);
  await stack.notion.clearFaults();
  for (const hook of hooks) await digestSide.receiversControl.behave(hook, { status: 503, probability: 0 });
  const last = weeks.at(-1);
  if (last !== undefined && !(await settle(last, weeks.length - 1, performance.now()))) {
    failures.push(`the last week had not converged ${WEEK_TIMEOUT_MS / 1000} s after the faults stopped`);
  }

  // The last week's agendas, checked as the others were before their people's edits.
  const { finished, unfinished } = await agendas(stack, dataSources);
  if (last !== undefined) {
    await mapLimited(pairs, 8, async (pair) => {
      const page = finished.get(`${pair.id}/${last.meeting.date}`)?.[0];
      if (page !== undefined)
        checkCarried(pair.id, last.meeting.date, actionItems(await stack.notion.blockTree(page.id)));
    });
  }
  let duplicates = 0;
  let converged = 0;
  for (const pages of finished.values()) duplicates += Math.max(0, pages.length - 1);
  const received = digestSide.receivers.received();
  const digested = digestedPages(received);
  let delivered = 0;
  for (const week of weeks) {
    for (const pair of pairs) {
      const page = finished.get(`${pair.id}/${week.meeting.date}`)?.[0];
      if (page === undefined) continue;
      const id = compactId(page.id);
      const sent = digested.has(id);
      if (sent) delivered += 1;
      if (sent) converged += 1;
      else if (failures.length < 10) failures.push(`${pair.id} ${week.meeting.date}: no digest accepted`);
    }
  }
  const receiverFaults: Record<string, number> = {};
  for (const request of received) {
    if (request.status >= 300)
      receiverFaults[`HTTP ${request.status}`] = (receiverFaults[`HTTP ${request.status}`] ?? 0) + 1;
  }
  const notionCalls = Object.values(calls).reduce((sum, count) => sum + count, 0);
  const notionFaultsFired = Object.fromEntries(fired);
  const firedTotal = [...fired.values()].reduce((sum, count) => sum + count, 0);
  const due = pairs.length * weeks.length;
  const twice = digestsTwice(received);
  const figure: SoakFigure = {
    pairs: pairs.length,
    weeks: weeks.length,
    rate: options.rate,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    duplicateAgendas: duplicates,
    unfinishedPagesLeft: unfinished,
    lostItems,
    doubledItems,
    digestsTwice: twice,
    meetingsDue: due,
    meetingsConverged: converged,
    digestsDelivered: delivered,
    notionCalls,
    notionFaults: notionFaultsFired,
    notionFaultShare: notionCalls === 0 ? 0 : Number((firedTotal / notionCalls).toFixed(3)),
    digestSends: received.length,
    receiverFaults,
    workerRestarts: restarts,
    overlappingTicks: overlapping,
    catchUpTicks: catchUps,
    pass:
      duplicates === 0 &&
      lostItems === 0 &&
      doubledItems === 0 &&
      twice === 0 &&
      converged === due &&
      failures.length === 0,
    failures,
  };
  return figure;
}
