// `npm start`: the local demo. Starts the Notion emulator, the Google emulator and the real Worker
// (workerd, local D1), seeds a Notion workspace with earlier agendas and a Google workspace with a running
// doc and a shared drive (whose earlier agendas the Worker writes and people then edit), imports the
// pairs and sets up one manager's weekly roll-up, fires the cron at the moments their agendas are due, and
// shows what the Worker made: each agenda, its carried items, one page as Markdown and one Google agenda
// as text; then one live sync (a person ticks an item in a previous agenda, the next tick checks its copy
// in the new one); then the digests that arrived at the local webhook receivers and the SMTP test server (one
// Teams post refused once, to show the outbox retrying), the roll-up, and one digest email in full. Then
// it fires the same ticks again to show nothing is made or sent twice. `--serve` keeps it all running and
// prints the console's URL with a one-time sign-in link.
import path from "node:path";
import { parseArgs } from "node:util";
import type { PageObjectResponse } from "@notionhq/client";
import type { DigestChannel } from "../src/domain/channels";
import type { RollupConfig } from "../src/domain/rollup-schedule";
import { scheduledPath } from "./lib/admin";
import { agendaTodos } from "./lib/demo/agenda-read";
import { allMeetings, runTicks } from "./lib/demo/cron";
import { utcTime } from "./lib/demo/describe";
import type { Arrivals, DigestedMeeting } from "./lib/demo/digests";
import { arrivals, describeNewArrivals, firstEmail, printDigestsReport, showEmail } from "./lib/demo/digests";
import { actOutGoogleHistory } from "./lib/demo/google-history";
import { seedGoogleDemo } from "./lib/demo/google-pairs";
import type { ShownAgenda } from "./lib/demo/google-report";
import { printGoogleReport, showGoogleAgenda } from "./lib/demo/google-report";
import { pairToSync, showOneSync } from "./lib/demo/live-sync";
import { readDemoPairs } from "./lib/demo/pairs";
import { printPairReport } from "./lib/demo/report";
import { rerunChangesNothing } from "./lib/demo/rerun";
import { planRollup } from "./lib/demo/rollup";
import { seedDemoWorkspace } from "./lib/demo/seed";
import { DEMO_HOOKS } from "./lib/digest-side";
import { googleImport } from "./lib/google/pairs";
import { runMain, ScriptError, untilInterrupted, within } from "./lib/run";
import { REPO_ROOT, startStack } from "./lib/stack";
import { out, step, style } from "./lib/terminal";
import type { PlannedMeeting } from "./lib/ticks";
import { TICK_MS, tickAtOrAfter } from "./lib/ticks";

const DEFAULT_PAIRS = path.join(REPO_ROOT, "scripts", "demo-pairs.yaml");

const USAGE = `usage: npm start [-- --serve] [--verbose] [--pairs scripts/demo-pairs.yaml]
  --serve     keep the Worker, both emulators, the webhook receivers and the SMTP server running
              after the demo, until Ctrl-C, and print the console's URL and a one-time sign-in link
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

/** A pair's digest channels, Notion (from the pairs file) or Google (from google-pairs.ts). */
function digestsOf(pair: { digests?: readonly DigestChannel[] }): readonly DigestChannel[] {
  return pair.digests ?? [];
}

/** "Thursdays 16:45 America/New_York". */
function rollupWhen(config: RollupConfig): string {
  return `${config.weekday.slice(0, 1).toUpperCase()}${config.weekday.slice(1)}s ${config.time} ${config.timeZone}`;
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
    startStack({ stateName: "demo", requestsPerSecond: 3, showLogs: values.verbose, digests: true }),
  );
  const digestSide = stack.digests;
  if (digestSide === null) throw new ScriptError("the stack started without the digests' receivers");
  out(
    `  Notion API emulator  ${stack.emulator.url}  ${style.dim("(3 requests/s per integration, like Notion)")}`,
  );
  out(
    `  Google emulator      ${stack.google.emulator.url}  ${style.dim(`(OAuth token endpoint, Docs v1, Drive v3; service account ${stack.google.serviceAccount})`)}`,
  );
  out(
    `  Webhook receivers    ${digestSide.receivers.url}  ${style.dim("(answer like Slack, Teams, Discord, Google Chat and a Standard Webhooks endpoint)")}`,
  );
  out(
    `  SMTP test server     smtp://127.0.0.1:${digestSide.smtp.info.ports.plain}  ${style.dim(`(its own process; parses each email on arrival; control API ${digestSide.smtp.info.controlUrl})`)}`,
  );
  out(
    `  Worker               ${stack.workerUrl}  ${style.dim("(workerd, fresh local D1 in .wrangler/demo; DEMO_* digest secrets: demo values for loopback only)")}`,
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

  // Every moment the demo runs the Worker: the Google pairs' earlier meetings, then the cron ticks. One
  // channel refuses its first post; when its pair's tick is the last, one more tick sends the retry.
  const everyPair = [...seeded, ...google];
  const ticks = [...new Set(everyPair.map((entry) => entry.plan.tickMs))].sort((a, b) => a - b);
  const refusing = everyPair.find((entry) =>
    digestsOf(entry.pair).some((channel) => channel.channel === "teams"),
  );
  const lastTick = ticks.at(-1);
  if (refusing !== undefined && lastTick !== undefined && refusing.plan.tickMs === lastTick) {
    ticks.push(lastTick + TICK_MS);
  }
  const earlierRuns = google.flatMap(({ plan }) =>
    [plan.earlier, plan.previous].map((occurrence) => tickAtOrAfter(occurrence.prepareAtMs)),
  );
  const rollup = planRollup(everyPair, [...earlierRuns, ...ticks]);

  step(`Importing ${pairs.length + google.length} pairs through the admin API`);
  const imported = await stack.admin.importPairs(document);
  out(`  POST /admin/pairs/import  →  ${imported.join(", ")}  ${style.dim("(Notion, from the pairs file)")}`);
  const importedGoogle = await stack.admin.importPairs({
    pairs: google.map(({ pair }) => googleImport(pair)),
  });
  out(`  POST /admin/pairs/import  →  ${importedGoogle.join(", ")}  ${style.dim("(Google Docs)")}`);
  for (const { pair } of everyPair) {
    const channels = digestsOf(pair).map((channel) => channel.channel);
    out(
      `  ${"".padEnd(8)} ${pair.id.padEnd(8)} digests to ${channels.join(", ") || style.dim("no channel")}`,
    );
  }
  if (rollup !== null) {
    const { config } = rollup;
    const view = await stack.admin.putRollup(config);
    out(
      `  PUT /admin/rollups/${config.manager.email}  →  ${rollupWhen(config)}, to ${config.channels.map((channel) => channel.channel).join(" and ")}  ${style.dim(`(${config.manager.name}'s weekly roll-up of ${rollup.pairIds.join(", ")}; next ${view.nextRollupAt ?? "never"})`)}`,
    );
    if (!rollup.alone) {
      out(
        `  ${style.dim(`(another of the demo's runs also falls within 12 hours after its time: that week's roll-up goes out as well)`)}`,
      );
    }
  }

  step("The Google pairs' last two meetings: written by the Worker, then edited by people");
  await within(60_000, "the Google pairs' earlier meetings", actOutGoogleHistory(stack, google));

  step("Running the cron at the moments the agendas are due");
  if (refusing !== undefined) {
    const channel = digestsOf(refusing.pair).find((candidate) => candidate.channel === "teams");
    const hook = channel === undefined ? undefined : DEMO_HOOKS[channel.secret];
    if (hook !== undefined) {
      // With Retry-After: 0. The outbox waits real time before a retry, and the demo's ticks are
      // seconds apart, so a receiver that asks for no wait is what lets the next tick retry it.
      await digestSide.receiversControl.behave(`${hook.kind}/${hook.hook}`, {
        status: 503,
        failNext: 1,
        retryAfter: 0,
      });
      out(
        `  ${style.dim(`Teams will answer ${refusing.pair.id}'s first post with 503 once: the Worker's outbox retries it on a later tick`)}`,
      );
    }
  }
  let seen: Arrivals = await arrivals(digestSide);
  const tickNote = async (tickMs: number) => {
    const now = await arrivals(digestSide);
    const label =
      rollup !== null && tickMs === rollup.tickMs
        ? `(with ${rollup.config.manager.name}'s roll-up)`
        : undefined;
    const words = describeNewArrivals(seen, now, label);
    seen = now;
    return words;
  };
  await within(120_000, "the cron ticks", runTicks(stack, everyPair, ticks, false, tickNote));

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

  const syncing = pairToSync(seeded, Date.now());
  if (syncing !== undefined) {
    // The tick after the one that made the agenda: every agenda due by then is made already.
    step("Live sync: the new agenda follows the previous one until the meeting starts");
    await showOneSync(stack, syncing, meetingOf(syncing).agendaId, syncing.plan.tickMs + TICK_MS);
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

  step(`Digests sent ${style.dim("(what arrived at the local receivers and the SMTP server)")}`);
  const digested: DigestedMeeting[] = everyPair.map((entry) => ({
    pair: { ...entry.pair, digests: digestsOf(entry.pair) },
    meeting: meetingOf(entry).meeting,
  }));
  const shownKeys = new Set(digested.map(({ meeting }) => meeting.key));
  const arrived = await arrivals(digestSide);
  printDigestsReport(arrived, {
    meetings: digested,
    rollup:
      rollup === null
        ? null
        : {
            managerName: rollup.config.manager.name,
            when: rollupWhen(rollup.config),
            tickMs: rollup.tickMs,
            channels: rollup.config.channels,
            deliveries: (await stack.admin.rollup(rollup.config.manager.email)).deliveries,
          },
    earlier: meetings
      .filter((meeting) => !shownKeys.has(meeting.key))
      .flatMap((meeting) =>
        meeting.deliveries.map((delivery) => ({
          pairId: meeting.pairId,
          delivery,
          agendaUrl: meeting.agendaUrl,
        })),
      ),
  });

  const email = firstEmail(arrived, digested);
  if (email !== null) {
    step(`One digest as a mail client shows it ${style.dim(`(${email.pairId}'s email, its text part)`)}`);
    showEmail(email.message);
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
    const link = await stack.admin.consoleSignInLink();
    out(`  Console        ${stack.workerUrl}/console`);
    out(
      `  Sign in once   ${link.url}  ${style.dim(`(works once, until ${utcTime(Date.parse(link.expiresAt))}; or sign in with the admin token)`)}`,
    );
    out(`  Worker         ${stack.workerUrl}`);
    out(`  admin token    ${stack.adminToken}  ${style.dim("(a demo value, local only)")}`);
    out(
      `  Notion pages   ${stack.emulator.url}/view  ${style.dim("(Markdown; add ?format=html for a browser)")}`,
    );
    out(
      `  Google Docs    ${stack.google.emulator.url}/view  ${style.dim("(plain text, chips as the editor shows them)")}`,
    );
    out(
      `  Receivers      ${digestSide.receivers.url}/control/received  ${style.dim("(every webhook request, with headers and body)")}`,
    );
    out(
      `  SMTP server    smtp://127.0.0.1:${digestSide.smtp.info.ports.plain}  ${style.dim(`(emails as parsed: ${digestSide.smtp.info.controlUrl}/messages)`)}`,
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
