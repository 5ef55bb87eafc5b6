// `npm run bench`: the figures. Notion calls per agenda (a plain previous agenda and one with sub-items),
// Google calls per agenda (a running doc, a doc per meeting), throughput of one cron tick over 200 Notion
// pairs against the emulator's rate limit, the bundle size with both destinations in it, and each digest
// channel's payload against its vendor's limit for a usual and a worst-case digest. Then live sync
// (lib/bench/sync.ts, lib/bench/sync-google.ts): the Notion and Google calls per tick for 1,000 pairs in their sync window, quiet and after
// people changed a tenth of the previous agendas. Then the fault soak (lib/bench/soak.ts): its own stack, weeks of failures, overlaps and restarts, and what users would see.
// Human-readable lines first, each figure with its target; the LAST line is one JSON object with every
// figure, for `npm run bench | tail -1 | jq`. Exits non-zero when a target is missed.
import { parseArgs } from "node:util";
import { measureBundle } from "./lib/bench/bundle";
import { measureCallsPerAgenda } from "./lib/bench/calls";
import { type DigestFigure, measureDigests } from "./lib/bench/digests";
import { benchGoogleCalls } from "./lib/bench/google-calls";
import { benchPlan, callsPlan } from "./lib/bench/pairs";
import { measureScale, printScale, type ScaleFigure } from "./lib/bench/scale";
import {
  runSoak,
  SOAK_LEASE_SECONDS,
  SOAK_RETRY_FIRST_DELAY_SECONDS,
  type SoakFigure,
} from "./lib/bench/soak";
import { measureSync, printSync, type SyncFigure, type SyncLayout } from "./lib/bench/sync";
import { type GoogleSyncFigure, measureGoogleSync, printGoogleSync } from "./lib/bench/sync-google";
import { measureThroughput, type Trigger } from "./lib/bench/throughput";
import { cleanup, runMain, ScriptError } from "./lib/run";
import { startStack } from "./lib/stack";
import { describeCounts, out, passFail, step, style } from "./lib/terminal";

const TARGETS = {
  callsPerAgenda: 2,
  googleRunningDoc: { typed: 2, copiesOnly: 2 },
  // Four; five when a person typed an item in the previous document: one batchUpdate there names it (live
  // sync follows items by their named ranges). The bench measures both weeks.
  googleDocPerMeeting: { typed: 5, copiesOnly: 4 },
  throughputFraction: 0.9,
  failedPairs: 0,
  gzipKiB: 350,
} as const;

const USAGE = `usage: npm run bench [-- --rate 3] [--pairs 200] [--trigger run|cron] [--verbose]
  --rate      Notion requests per second: the emulator's limit and the Worker's pacing (default 3, Notion's)
  --pairs     pairs in the throughput run (default 200)
  --trigger   fire the throughput tick through POST /admin/run (default) or the cron trigger
  --verbose   show the Worker's and wrangler's own logs (dimmed)
  --scale-pairs  pairs in the scale stage, across 50 Notion integrations (default 10000; 0 skips it)
  --scale-rate   Notion requests per second per integration in the scale stage (default 3, Notion's own;
                 a higher rate speeds the emulator's limit and the Worker's pace alike, and the output says so)
  --scale-only   run only the scale stage
  --sync-pairs   pairs in their sync window in the live-sync stage, across 50 Notion integrations, measured
                 with team databases and with one database per pair, then in Google running docs
                 (default 1000; 0 skips it)
  --sync-rate    Notion requests per second per integration in the live-sync stage (default 3, Notion's)
  --sync-google-users  Workspace users the Google pairs impersonate in the live-sync stage's second
                 Google run (default 20; the first acts as one service account)
  --sync-only    run only the live-sync stage
  --soak-pairs   pairs in the fault soak (default 500; 0 skips it)
  --soak-weeks   simulated weeks in the soak (default 6)
  --soak-rate    Notion requests per second in the soak, sped up from Notion's 3 (default 50)
  --soak-only    run only the fault soak`;

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "3" },
    pairs: { type: "string", default: "200" },
    trigger: { type: "string", default: "run" },
    verbose: { type: "boolean", default: false },
    "scale-pairs": { type: "string", default: "10000" },
    "scale-rate": { type: "string", default: "3" },
    "scale-only": { type: "boolean", default: false },
    "sync-pairs": { type: "string", default: "1000" },
    "sync-rate": { type: "string", default: "3" },
    "sync-only": { type: "boolean", default: false },
    "sync-google-users": { type: "string", default: "20" },
    "soak-pairs": { type: "string", default: "500" },
    "soak-weeks": { type: "string", default: "6" },
    "soak-rate": { type: "string", default: "50" },
    "soak-only": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

function positive(name: string, raw: string, max: number): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new ScriptError(`--${name} must be a number above 0 and at most ${max}, got "${raw}"`);
  }
  return value;
}

/** The scale stage on its own stack (its own integrations and rate); null when skipped. */
async function scaleStage(): Promise<{ figure: ScaleFigure; pass: boolean } | null> {
  if (Number(values["scale-pairs"]) === 0) return null;
  const checked = Math.round(positive("scale-pairs", values["scale-pairs"], 100_000));
  const rate = positive("scale-rate", values["scale-rate"], 100);
  step(
    `Scale: ${checked} pairs across 50 Notion integrations, the first day and a normal week (queues, Durable Objects, D1)`,
  );
  const figure = await measureScale({ pairs: checked, integrations: 50, rate, showLogs: values.verbose });
  const pass = printScale(figure, passFail);
  await cleanup();
  return { figure, pass };
}

interface SyncResult {
  layouts: SyncFigure[];
  google: GoogleSyncFigure[];
  pass: boolean;
}

/**
 * Live sync's Google Docs quotas per account, 100 times Google's default (300 reads, 60 writes a minute):
 * at Google's own, one service account makes 1,000 agendas in 17 minutes. The sync ticks need far less.
 */
const SYNC_GOOGLE_QUOTA = { readsPerMinute: 30_000, writesPerMinute: 6_000 } as const;

/** Live sync on its own stacks, once per layout of the agendas' databases; null when skipped. */
async function syncStage(): Promise<SyncResult | null> {
  if (Number(values["sync-pairs"]) === 0) return null;
  const pairs = Math.round(positive("sync-pairs", values["sync-pairs"], 10_000));
  const rate = positive("sync-rate", values["sync-rate"], 100);
  const integrations = Math.min(50, pairs);
  const layouts: SyncFigure[] = [];
  let pass = true;
  const chosen: SyncLayout[] = ["shared", "per-pair"];
  for (const layout of chosen) {
    step(
      `Live sync: ${pairs} pairs in their sync window (agendas made, meetings not started), ${layout === "shared" ? "team databases" : "one database per pair"}`,
    );
    const figure = await measureSync({
      pairs,
      integrations,
      layout,
      rate,
      changedShare: 0.1,
      showLogs: values.verbose,
    });
    pass = printSync(figure, describeCounts, passFail) && pass;
    layouts.push(figure);
    await cleanup();
  }
  const users = Math.min(pairs, Math.round(positive("sync-google-users", values["sync-google-users"], 1000)));
  const google: GoogleSyncFigure[] = [];
  for (const actingUsers of [0, users]) {
    step(
      `Live sync, Google Docs: ${pairs} pairs in their sync window, running docs, ${actingUsers === 0 ? "one service account" : `${actingUsers} impersonated users`}`,
    );
    const figure = await measureGoogleSync({
      pairs,
      actingUsers,
      ...SYNC_GOOGLE_QUOTA,
      changedShare: 0.1,
      showLogs: values.verbose,
    });
    pass = printGoogleSync(figure, describeCounts, passFail) && pass;
    google.push(figure);
    await cleanup();
  }
  return { layouts, google, pass };
}

function scaleJson(scale: { figure: ScaleFigure; pass: boolean } | null) {
  return scale === null ? null : { ...scale.figure, pass: scale.pass };
}

async function main(): Promise<number> {
  if (values.help) {
    out(USAGE);
    return 0;
  }
  if (values["sync-only"]) {
    const sync = await syncStage();
    out();
    out(sync?.pass !== false ? style.green("✔ every target met") : style.red("✖ a target was missed"));
    out(JSON.stringify({ pass: sync?.pass !== false, sync }));
    return sync?.pass !== false ? 0 : 1;
  }
  if (values["scale-only"]) {
    const scale = await scaleStage();
    out();
    out(scale?.pass !== false ? style.green("✔ every target met") : style.red("✖ a target was missed"));
    out(JSON.stringify({ pass: scale?.pass !== false, scale: scaleJson(scale) }));
    return scale?.pass !== false ? 0 : 1;
  }
  // The Worker's env schema caps its pacing at 100/s.
  const rate = positive("rate", values.rate, 100);
  const pairs = Math.round(positive("pairs", values.pairs, 10_000));
  if (values.trigger !== "run" && values.trigger !== "cron") {
    throw new ScriptError(`--trigger must be "run" or "cron", got "${values.trigger}"`);
  }
  const trigger: Trigger = values.trigger;
  const soakPairs =
    values["soak-pairs"] === "0" ? 0 : Math.round(positive("soak-pairs", values["soak-pairs"], 10_000));
  const soakWeeks = Math.round(positive("soak-weeks", values["soak-weeks"], 52));
  const soakRate = positive("soak-rate", values["soak-rate"], 100);
  if (values["soak-only"]) {
    if (soakPairs === 0) throw new ScriptError("--soak-only with --soak-pairs 0 leaves nothing to run");
    const soak = await soakStage(soakPairs, soakWeeks, soakRate);
    await cleanup();
    out();
    out(soak.pass ? style.green("✔ every target met") : style.red("✖ a target was missed"));
    out(JSON.stringify({ pass: soak.pass, soak }));
    return soak.pass ? 0 : 1;
  }

  step("Bundle size with both destinations (wrangler deploy --dry-run)");
  const bundle = await measureBundle();
  const bundlePass = bundle.gzipKiB < TARGETS.gzipKiB;
  out(
    `  ${bundle.gzipKiB} KiB gzip (${bundle.rawKiB} KiB raw)   target < ${TARGETS.gzipKiB} KiB gzip   ${passFail(bundlePass)}`,
  );

  step("Digest payloads against each channel's limit");
  const digests: DigestFigure[] = [measureDigests(8, 80), measureDigests(200, 300)];
  for (const digest of digests) {
    out(`  ${digest.items} carried items:`);
    for (const channel of digest.channels) {
      const limit = channel.limit === null ? "no limit" : `limit ${channel.limit}`;
      out(
        `    ${channel.channel.padEnd(12)} ${String(channel.size).padStart(7)} ${channel.unit} (${limit}), ${channel.shown} of ${digest.items} items listed   ${passFail(channel.pass)}`,
      );
    }
  }
  const digestsPass = digests.every((digest) => digest.channels.every((channel) => channel.pass));

  step(`Starting the local stack (Notion at ${rate} requests/s)`);
  const stack = await startStack({
    stateName: "bench",
    requestsPerSecond: rate,
    showLogs: values.verbose,
    countStatuses: true,
  });
  const plan = benchPlan(Date.now());
  out(
    `  every pair meets ${plan.meeting.date}; previous agenda ${plan.previous.date}; one tick at ${new Date(plan.tickMs).toISOString()}`,
  );

  // Calls per agenda are measured in weeks already over, so live sync's looks and passes stay out of them.
  const pastPlan = callsPlan(Date.now());
  step("Notion calls per agenda (the usual one: its previous agenda made by the Worker, known to D1)");
  const flat = await measureCallsPerAgenda(stack, pastPlan, { pairId: "calls-plain", subItems: false });
  const flatPass = flat.total <= TARGETS.callsPerAgenda;
  out(
    `  previous agenda of ${flat.blocks} blocks, no sub-items carried: ${style.bold(String(flat.total))} calls   target ≤ ${TARGETS.callsPerAgenda}   ${passFail(flatPass)}`,
  );
  out(style.dim(`    ${describeCounts(flat.byEndpoint)}`));
  out(
    style.dim(
      `    a pair's first agenda, from one a person made: ${flat.first.total} calls (${describeCounts(flat.first.byEndpoint)})`,
    ),
  );
  const nested = await measureCallsPerAgenda(stack, pastPlan, { pairId: "calls-sub-items", subItems: true });
  out(
    `  previous agenda of ${nested.blocks} blocks, an item with sub-items carried: ${style.bold(String(nested.total))} calls   (reported, no target)`,
  );
  out(style.dim(`    ${describeCounts(nested.byEndpoint)}`));
  out(style.dim(`    a pair's first agenda: ${nested.first.total} calls`));

  step("Google calls per agenda (previous agenda written by the Worker, one item a person typed carried)");
  const google = await benchGoogleCalls(stack, pastPlan, {
    runningDoc: TARGETS.googleRunningDoc,
    docPerMeeting: TARGETS.googleDocPerMeeting,
  });

  step(`Throughput: ${pairs} pairs in one tick`);
  const throughput = await measureThroughput(stack, plan, { pairs, rate, trigger });
  const fractionPass = throughput.fraction >= TARGETS.throughputFraction;
  const failedPass = throughput.failed === TARGETS.failedPairs && throughput.created === pairs;
  out(
    `  ${throughput.notionRequests} Notion requests in ${throughput.elapsedSeconds.toFixed(1)} s = ${(throughput.notionRequests / throughput.elapsedSeconds).toFixed(2)}/s of ${rate}/s allowed → ${style.bold(throughput.fraction.toFixed(3))}   target ≥ ${TARGETS.throughputFraction}   ${passFail(fractionPass)}`,
  );
  out(
    `  ${throughput.created} agendas created, ${throughput.failed} failed   target 0 failed   ${passFail(failedPass)}`,
  );
  out(
    style.dim(
      `    the tick took ${throughput.tickSeconds.toFixed(1)} s in all: Notion from its first request to its last answer, then the digests`,
    ),
  );
  for (const failure of throughput.failures) out(style.red(`    ${failure}`));
  out(`  ${throughput.responses429} responses were 429 (rate limited)`);

  const violations = stack.emulator.violations();
  const fidelityPass = violations.length === 0;
  out(
    `  ${violations.length} requests the Notion API would refuse (emulator schema checks)   target 0   ${passFail(fidelityPass)}`,
  );
  for (const violation of violations.slice(0, 5)) out(style.red(`    ${violation}`));
  const googleViolations = stack.google.emulator.violations();
  const googleFidelityPass = googleViolations.length === 0;
  out(
    `  ${googleViolations.length} requests the Google APIs would refuse (discovery document checks)   target 0   ${passFail(googleFidelityPass)}`,
  );
  for (const violation of googleViolations.slice(0, 5)) out(style.red(`    ${violation}`));

  // Live sync, the soak and the scale stage each start a stack of their own: everything before stops first.
  await cleanup();
  const sync = await syncStage();
  const soak = soakPairs === 0 ? null : await soakStage(soakPairs, soakWeeks, soakRate);
  await cleanup();
  const scale = await scaleStage();

  const pass =
    (soak?.pass ?? true) &&
    sync?.pass !== false &&
    scale?.pass !== false &&
    digestsPass &&
    bundlePass &&
    flatPass &&
    google.runningDoc.pass &&
    google.docPerMeeting.pass &&
    fractionPass &&
    failedPass &&
    fidelityPass &&
    googleFidelityPass;
  // Everything stops first, so no late log line can follow the JSON.
  await cleanup();
  out();
  out(pass ? style.green("✔ every target met") : style.red("✖ a target was missed"));
  out(
    JSON.stringify({
      pass,
      callsPerAgenda: {
        plain: { ...flat, target: TARGETS.callsPerAgenda, pass: flatPass },
        withSubItems: nested,
      },
      digests,
      googleCallsPerAgenda: google,
      throughput: {
        ...throughput,
        fraction: Number(throughput.fraction.toFixed(4)),
        elapsedSeconds: Number(throughput.elapsedSeconds.toFixed(2)),
        tickSeconds: Number(throughput.tickSeconds.toFixed(2)),
        target: TARGETS.throughputFraction,
        pass: fractionPass && failedPass,
      },
      bundle: { ...bundle, targetGzipKiB: TARGETS.gzipKiB, pass: bundlePass },
      emulatorViolations: violations.length,
      googleEmulatorViolations: googleViolations.length,
      scale: scaleJson(scale),
      sync,
      soak,
    }),
  );
  return pass ? 0 : 1;
}

/** The fault soak on its own stack, its figures printed with their targets. */
async function soakStage(pairs: number, weeks: number, rate: number): Promise<SoakFigure> {
  step(
    `Fault soak: ${pairs} pairs, ${weeks} simulated weeks, 20% of Notion calls and digest sends failing, two ticks at once and a Worker restart every week`,
  );
  out(
    style.dim(
      `  Notion's rate sped up to ${rate} requests/s (emulator limit and Worker pace; Notion allows 3); claim leases ${SOAK_LEASE_SECONDS} s (MEETING_CLAIM_LEASE_SECONDS, DELIVERY_CLAIM_LEASE_SECONDS) so takeovers happen within the run; the queue's first retry delay ${SOAK_RETRY_FIRST_DELAY_SECONDS} s (WORK_RETRY_FIRST_DELAY_SECONDS, 30 s by default) so a meeting that failed often is retried within the week`,
    ),
  );
  const soak = await runSoak({ pairs, weeks, rate, faultShare: 0.2, seed: 9, showLogs: values.verbose });
  const zero = (name: string, value: number) =>
    out(`  ${name.padEnd(44)} ${style.bold(String(value))}   target 0   ${passFail(value === 0)}`);
  zero("duplicate agendas", soak.duplicateAgendas);
  zero("lost items (open, missing from the next agenda)", soak.lostItems);
  zero("doubled items (twice in one agenda)", soak.doubledItems);
  zero("digests delivered twice", soak.digestsTwice);
  out(
    `  ${"meetings converged (agenda and digest)".padEnd(44)} ${style.bold(`${soak.meetingsConverged}/${soak.meetingsDue}`)}   target all   ${passFail(soak.meetingsConverged === soak.meetingsDue)}`,
  );
  out(
    `  faults injected: Notion ${describeCounts(soak.notionFaults)} (${(soak.notionFaultShare * 100).toFixed(1)}% of ${soak.notionCalls} calls); receivers ${describeCounts(soak.receiverFaults)} of ${soak.digestSends} sends`,
  );
  out(
    `  ${soak.workerRestarts} Worker restarts mid-message, ${soak.overlappingTicks} weeks with two ticks at once, ${soak.catchUpTicks} later ticks overlapping the stragglers; ${soak.unfinishedPagesLeft} unfinished pages left; ${soak.seconds} s`,
  );
  for (const failure of soak.failures) out(style.red(`    ${failure}`));
  return soak;
}

runMain(main);
