// `npm start`: the local demo. Starts the Notion emulator, the Google emulator and the real Worker
// (workerd, local D1), seeds a Notion workspace with earlier agendas and a Google workspace with a running
// doc and a shared drive (whose earlier agendas the Worker writes and people then edit), imports the
// pairs, fires the cron at the moments their agendas are due, and shows what the Worker made: each
// agenda, its carried items, one page as Markdown and one Google agenda as text. Then it fires the same
// ticks again to show nothing is made twice. `--serve` keeps it all running.
import path from "node:path";
import { parseArgs } from "node:util";
import type { PageObjectResponse } from "@notionhq/client";
import { scheduledPath } from "./lib/admin";
import { agendaTodos } from "./lib/demo/agenda-read";
import { allMeetings, runTicks } from "./lib/demo/cron";
import { utcTime } from "./lib/demo/describe";
import { actOutGoogleHistory } from "./lib/demo/google-history";
import { seedGoogleDemo } from "./lib/demo/google-pairs";
import type { ShownAgenda } from "./lib/demo/google-report";
import { printGoogleReport, showGoogleAgenda } from "./lib/demo/google-report";
import { readDemoPairs } from "./lib/demo/pairs";
import { printPairReport } from "./lib/demo/report";
import { rerunChangesNothing } from "./lib/demo/rerun";
import { seedDemoWorkspace } from "./lib/demo/seed";
import { googleImport } from "./lib/google/pairs";
import { runMain, ScriptError, untilInterrupted, within } from "./lib/run";
import { REPO_ROOT, startStack } from "./lib/stack";
import { out, step, style } from "./lib/terminal";
import type { PlannedMeeting } from "./lib/ticks";

const DEFAULT_PAIRS = path.join(REPO_ROOT, "scripts", "demo-pairs.yaml");

const USAGE = `usage: npm start [-- --serve] [--verbose] [--pairs scripts/demo-pairs.yaml]
  --serve     keep the Worker and both emulators running after the demo, until Ctrl-C
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
    "starting the emulators and the Worker",
    startStack({ stateName: "demo", requestsPerSecond: 3, showLogs: values.verbose }),
  );
  out(
    `  Notion API emulator  ${stack.emulator.url}  ${style.dim("(3 requests/s per integration, like Notion)")}`,
  );
  out(
    `  Google emulator      ${stack.google.emulator.url}  ${style.dim(`(OAuth token endpoint, Docs v1, Drive v3; service account ${stack.google.serviceAccount})`)}`,
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

  step("Seeding Google Docs: a running doc, and a shared drive with a template Doc");
  const google = await seedGoogleDemo(stack, nowMs);
  for (const { pair, plan } of google) {
    // Person chips name their owner by email, so the ledger's owners are emails here.
    names.set(pair.manager.email, pair.manager.name).set(pair.report.email, pair.report.name);
    out(`  ${pair.id.padEnd(8)} ${pair.where}`);
    out(
      `  ${"".padEnd(8)} ${style.dim(`meetings ${plan.earlier.date} and ${plan.previous.date} to write first, next meeting ${plan.meeting.date}`)}`,
    );
  }

  step(`Importing ${pairs.length + google.length} pairs through the admin API`);
  const imported = await stack.admin.importPairs(document);
  out(`  POST /admin/pairs/import  →  ${imported.join(", ")}  ${style.dim("(Notion, from the pairs file)")}`);
  const importedGoogle = await stack.admin.importPairs({
    pairs: google.map(({ pair }) => googleImport(pair)),
  });
  out(`  POST /admin/pairs/import  →  ${importedGoogle.join(", ")}  ${style.dim("(Google Docs)")}`);

  step("The Google pairs' last two meetings: written by the Worker, then edited by people");
  await within(60_000, "the Google pairs' earlier meetings", actOutGoogleHistory(stack, google));

  step("Running the cron at the moments the agendas are due");
  const everyPair = [...seeded, ...google];
  const ticks = [...new Set(everyPair.map((entry) => entry.plan.tickMs))].sort((a, b) => a - b);
  await within(120_000, "the cron ticks", runTicks(stack, everyPair, ticks, false));

  step("What the Worker prepared");
  const meetings = await allMeetings(stack, everyPair);
  const meetingOf = (entry: { pair: { id: string }; plan: PlannedMeeting }) => {
    const key = `${entry.pair.id}/${entry.plan.meeting.date}`;
    const meeting = meetings.find((candidate) => candidate.key === key);
    if (meeting?.agendaId == null) throw new ScriptError(`${key}: no agenda was recorded`);
    return { meeting, agendaId: meeting.agendaId };
  };
  const shown: { id: string; viewUrl: string }[] = [];
  for (const entry of seeded) {
    const { meeting, agendaId } = meetingOf(entry);
    const viewUrl = `${stack.emulator.url}/view/pages/${agendaId}`;
    printPairReport({
      seeded: entry,
      destination: `Notion · ${entry.pair.template} template`,
      meeting,
      title: pageTitle(await stack.notion.page(agendaId)),
      viewUrl,
      previousTodos: agendaTodos(await stack.notion.blockTree(entry.previousPageId)),
      names,
    });
    shown.push({ id: agendaId, viewUrl });
  }
  const shownGoogle: ShownAgenda[] = [];
  for (const entry of google) {
    shownGoogle.push(await printGoogleReport(stack, entry, meetingOf(entry).meeting, names));
  }

  const [first] = shown;
  if (first !== undefined) {
    step(`One agenda as Notion shows it ${style.dim(`(${first.viewUrl})`)}`);
    const markdown = await stack.notion.view(first.id);
    for (const line of markdown.trimEnd().split("\n")) out(`  ${style.dim("│")} ${line}`);
  }

  const [firstGoogle] = shownGoogle;
  if (firstGoogle !== undefined) {
    step(`One Google agenda as the emulator's text view shows it ${style.dim(`(${firstGoogle.viewUrl})`)}`);
    await showGoogleAgenda(stack, firstGoogle);
  }

  step("Running the same ticks again");
  await rerunChangesNothing(stack, everyPair, ticks, google);

  for (const [vendor, violations] of [
    ["Notion", stack.emulator.violations()],
    ["Google", stack.google.emulator.violations()],
  ] as const) {
    if (violations.length > 0) {
      throw new ScriptError(
        `the ${vendor} emulator saw requests the ${vendor} API would not accept:\n    - ${violations.join("\n    - ")}`,
      );
    }
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
      `  Google Docs    ${stack.google.emulator.url}/view  ${style.dim("(plain text, chips as the editor shows them)")}`,
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
