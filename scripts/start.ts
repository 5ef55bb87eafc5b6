// `npm start`: the local demo. Starts the Notion emulator and the real Worker (workerd, local D1), seeds
// a Notion workspace with earlier agendas, imports the demo pairs, fires the cron at the moments their
// agendas are due, and shows what the Worker made: each agenda, its carried items, one page as Markdown.
// Then it fires the same ticks again to show nothing is made twice. `--serve` keeps it all running.
import path from "node:path";
import { parseArgs } from "node:util";
import type { PageObjectResponse } from "@notionhq/client";
import { scheduledPath } from "./lib/admin";
import { agendaTodos } from "./lib/demo/agenda-read";
import { allMeetings, runTicks } from "./lib/demo/cron";
import { utcTime } from "./lib/demo/describe";
import { readDemoPairs } from "./lib/demo/pairs";
import { printPairReport } from "./lib/demo/report";
import { seedDemoWorkspace } from "./lib/demo/seed";
import { runMain, ScriptError, untilInterrupted, within } from "./lib/run";
import { REPO_ROOT, startStack } from "./lib/stack";
import { out, step, style } from "./lib/terminal";

const DEFAULT_PAIRS = path.join(REPO_ROOT, "scripts", "demo-pairs.yaml");

const USAGE = `usage: npm start [-- --serve] [--verbose] [--pairs scripts/demo-pairs.yaml]
  --serve     keep the Worker and the Notion emulator running after the demo, until Ctrl-C
  --verbose   show the Worker's and wrangler's own logs (dimmed)
  --pairs     the pairs file to import (default scripts/demo-pairs.yaml)`;

const { values } = parseArgs({
  options: {
    serve: { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
    pairs: { type: "string", default: DEFAULT_PAIRS },
    help: { type: "boolean", short: "h", default: false },
  },
});

function pageTitle(page: PageObjectResponse): string {
  for (const property of Object.values(page.properties)) {
    if (property.type === "title") return property.title.map((item) => item.plain_text).join("");
  }
  return "Untitled";
}

async function main(): Promise<number> {
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const started = performance.now();
  const { document, pairs } = await readDemoPairs(values.pairs);

  step("Starting the local stack");
  const stack = await within(
    120_000,
    "starting the emulator and the Worker",
    startStack({ stateName: "demo", requestsPerSecond: 3, showLogs: values.verbose }),
  );
  out(
    `  Notion API emulator  ${stack.emulator.url}  ${style.dim("(3 requests/s per integration, like Notion)")}`,
  );
  out(
    `  Worker               ${stack.workerUrl}  ${style.dim("(workerd, fresh local D1 in .wrangler/demo)")}`,
  );

  step("Seeding Notion with the pairs' previous meetings");
  const nowMs = Date.now();
  const seeded = await seedDemoWorkspace(stack.notion, stack.notionToken, pairs, nowMs);
  const names = new Map((await stack.notion.users()).map((user) => [user.id, user.name]));
  const people = new Set(pairs.flatMap((pair) => [pair.manager.notionUserId, pair.report.notionUserId]));
  out(
    `  ${people.size} people, ${new Set(seeded.map((entry) => entry.dataSourceId)).size} databases, today is ${utcTime(nowMs)}`,
  );
  for (const { pair, plan } of seeded) {
    out(
      `  ${pair.id.padEnd(8)} previous agenda ${plan.previous.date} ${style.dim(`(and ${plan.earlier.date} before it)`)}, next meeting ${plan.meeting.date}`,
    );
  }

  step(`Importing ${pairs.length} pairs through the admin API`);
  const imported = await stack.admin.importPairs(document);
  out(`  POST /admin/pairs/import  →  ${imported.join(", ")}`);

  step("Running the cron at the moments the agendas are due");
  const ticks = [...new Set(seeded.map((entry) => entry.plan.tickMs))].sort((a, b) => a - b);
  await within(120_000, "the cron ticks", runTicks(stack, seeded, ticks, false));

  step("What the Worker prepared");
  const meetings = await allMeetings(stack, seeded);
  const shown: { id: string; viewUrl: string }[] = [];
  for (const entry of seeded) {
    const meeting = meetings.find(
      (candidate) => candidate.key === `${entry.pair.id}/${entry.plan.meeting.date}`,
    );
    if (meeting?.agendaId == null)
      throw new ScriptError(`${entry.pair.id}: no agenda was recorded for ${entry.plan.meeting.date}`);
    const viewUrl = `${stack.emulator.url}/view/pages/${meeting.agendaId}`;
    printPairReport({
      seeded: entry,
      meeting,
      title: pageTitle(await stack.notion.page(meeting.agendaId)),
      viewUrl,
      previousTodos: agendaTodos(await stack.notion.blockTree(entry.previousPageId)),
      names,
    });
    shown.push({ id: meeting.agendaId, viewUrl });
  }

  const [first] = shown;
  if (first !== undefined) {
    step(`One agenda as Notion shows it ${style.dim(`(${first.viewUrl})`)}`);
    const markdown = await stack.notion.view(first.id);
    for (const line of markdown.trimEnd().split("\n")) out(`  ${style.dim("│")} ${line}`);
  }

  step("Running the same ticks again");
  const before = meetings.length;
  await stack.notion.resetCalls(stack.notionToken);
  await within(120_000, "the repeated cron ticks", runTicks(stack, seeded, ticks, true));
  const calls = await stack.notion.calls(stack.notionToken);
  const total = Object.values(calls).reduce((sum, count) => sum + count, 0);
  const creates = calls["POST /v1/pages"] ?? 0;
  const after = (await allMeetings(stack, seeded)).length;
  if (creates > 0 || after !== before) {
    throw new ScriptError(
      `the repeated ticks made ${creates} POST /v1/pages and ${after - before} new meetings`,
    );
  }
  out(
    `  ${ticks.length} ticks again  →  ${total} Notion calls, ${creates} POST /v1/pages, still ${after} agendas: nothing made twice`,
  );

  const violations = stack.emulator.violations();
  if (violations.length > 0) {
    throw new ScriptError(
      `the Notion emulator saw requests the Notion API would not accept:\n    - ${violations.join("\n    - ")}`,
    );
  }
  out();
  out(style.green(`✔ demo finished in ${((performance.now() - started) / 1000).toFixed(1)} s`));

  if (values.serve) {
    step("Serving until Ctrl-C");
    out(`  Worker         ${stack.workerUrl}`);
    out(`  admin token    ${stack.adminToken}  ${style.dim("(a demo value, local only)")}`);
    out(
      `  Notion pages   ${stack.emulator.url}/view  ${style.dim("(Markdown; add ?format=html for a browser)")}`,
    );
    out(
      style.dim(`  try: curl -H "Authorization: Bearer ${stack.adminToken}" ${stack.workerUrl}/admin/pairs`),
    );
    out(
      style.dim(
        `       curl "${stack.workerUrl}${scheduledPath(Date.now())}"   # a cron tick at that moment`,
      ),
    );
    await untilInterrupted();
    out("  stopping…");
  }
  return 0;
}

runMain(main);
