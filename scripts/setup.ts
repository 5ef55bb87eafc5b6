// `npm run setup`: one pair, set up with the operator and checked before it is stored. Asks what the
// README's set-up sections ask (each question answerable by a flag, so --yes runs it unattended), does what
// can be done for them (a Notion database for agendas under a page they shared; the Google service account
// to share with; where each digest secret goes), has the Worker check the pair (POST /admin/setup/check)
// until nothing is wrong or they quit, stores it, and shows a dry run of its next agenda as text. On the
// local stack it then prepares that agenda for real and serves until Ctrl-C, with the console's address.
import { createInterface } from "node:readline";
import { Refused } from "./lib/admin-call";
import { runMain, ScriptError, untilInterrupted, within } from "./lib/run";
import type { RunOutcome, SetupApi } from "./lib/setup/api";
import { setupApi } from "./lib/setup/api";
import { parseSetupArgs, USAGE } from "./lib/setup/flags";
import type { ChannelInput, CreatedDatabase, SetupAnswers } from "./lib/setup/interview";
import { buildPair, checkFlags, interview, problemAsFlag } from "./lib/setup/interview";
import { agendaLines, checkLines, hasProblems } from "./lib/setup/print";
import type { Answering } from "./lib/setup/questions";
import { InputError } from "./lib/setup/questions";
import type { Target } from "./lib/setup/target";
import { deployedTarget, localTarget } from "./lib/setup/target";
import { nextAgenda } from "./lib/setup/when";
import { err, out, step, style } from "./lib/terminal";

/**
 * The operator's terminal, opened only when something is asked. Lines are queued as they come rather
 * than taken by `rl.question`, which drops the lines of a pasted or piped block that arrive before it asks.
 */
function terminalPrompt(): { prompt: (text: string) => Promise<string>; close(): void } {
  let rl: ReturnType<typeof createInterface> | null = null;
  const lines: string[] = [];
  let ended = false;
  let waiting: { resolve(line: string): void; reject(error: Error): void } | null = null;
  const endError = () =>
    new InputError(
      "the input ended before every question was answered; give the answers as flags with --yes",
    );
  const open = () => {
    const opened = createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: process.stdin.isTTY,
    });
    // readline takes Ctrl-C for itself; handing it back lets the script stop its stack as on any signal.
    opened.on("SIGINT", () => process.kill(process.pid, "SIGINT"));
    opened.on("line", (line) => {
      if (waiting === null) lines.push(line);
      else {
        waiting.resolve(line);
        waiting = null;
      }
    });
    opened.once("close", () => {
      ended = true;
      waiting?.reject(endError());
      waiting = null;
    });
    return opened;
  };
  return {
    prompt: (text) => {
      rl ??= open();
      process.stdout.write(style.bold(text));
      const line = lines.shift();
      if (line !== undefined) return Promise.resolve(line);
      if (ended) return Promise.reject(endError());
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    close: () => rl?.close(),
  };
}

function describeChannels(target: Target, channels: readonly ChannelInput[]): void {
  for (const channel of channels) {
    const names =
      channel.channel === "webhook" ? [channel.secret, `${channel.secret}_SIGNING_SECRET`] : [channel.secret];
    if (target.local !== null && channel.secret.startsWith("DEMO_")) {
      out(
        `  ${channel.channel}: ${channel.secret} ${style.dim("(the local stack's receiver: set already)")}`,
      );
    } else if (target.local !== null) {
      out(
        `  ${channel.channel}: put ${names.map((name) => `${name}=…`).join(" and ")} in .dev.vars ${style.dim("(the local Worker reads it at each check)")}`,
      );
    } else {
      out(
        `  ${channel.channel}: ${names.map((name) => `npx wrangler secret put ${name}`).join(" and ")} ${style.dim("(if not set already)")}`,
      );
    }
  }
}

async function createDatabase(
  api: SetupApi,
  answers: SetupAnswers,
  answering: Answering,
): Promise<CreatedDatabase | null> {
  const plan = answers.destination;
  if (plan.kind !== "notion" || !("create" in plan)) return null;
  step("Creating the Notion database for agendas");
  for (;;) {
    try {
      const created = await api.createNotionDatabase({
        parentPageId: plan.create.parentPageId,
        title: plan.create.title,
        ...(plan.tokenSecret === null ? {} : { tokenSecret: plan.tokenSecret }),
      });
      out(
        `  ✔ "${plan.create.title}" with Name (title), Date (date) and Pair (text)  ${style.dim(created.url)}`,
      );
      out(`    data source ${created.dataSourceId}`);
      return { dataSourceId: created.dataSourceId };
    } catch (error) {
      if (!(error instanceof Refused) || error.status >= 500) throw error;
      for (const problem of error.problems) out(`  ✖ ${problem}`);
      for (const fix of error.fixes) out(`    fix: ${fix}`);
      if (answering.yes)
        throw new InputError("--notion-parent-page: the database could not be created there (see above)");
      const again = await answering.prompt("Fix that, then press Enter to try again (q to quit): ");
      if (again.trim().toLowerCase() === "q") throw new InputError("stopped before the database was made");
    }
  }
}

async function checkUntilFixed(
  api: SetupApi,
  target: Target,
  answers: SetupAnswers,
  pair: unknown,
  answering: Answering,
): Promise<void> {
  step("Checking the pair with the Worker");
  for (;;) {
    let row: Awaited<ReturnType<SetupApi["check"]>>;
    try {
      row = await api.check(pair);
    } catch (error) {
      if (error instanceof Refused && error.status === 400) {
        throw new InputError(error.problems.map((problem) => problemAsFlag(problem, answers)).join("\n  "));
      }
      throw error;
    }
    for (const line of checkLines(row)) out(`  ${line}`);
    if (!hasProblems(row)) return;
    if (answering.yes) throw new ScriptError("the checks found problems (fixes above); nothing was stored");
    const again = await answering.prompt("Fix what is listed, then press Enter to check again (q to quit): ");
    if (again.trim().toLowerCase() === "q") throw new InputError("stopped; nothing was stored");
    // A secret just added to .dev.vars reaches the local Worker only when it starts.
    if (target.local !== null) await target.local.restartWorker();
  }
}

async function store(
  api: SetupApi,
  pair: { id: string },
  replace: boolean,
  answering: Answering,
): Promise<void> {
  step("Storing the pair");
  try {
    out(`  ✔ ${pair.id} ${await api.storePair(pair, replace)}`);
    return;
  } catch (error) {
    if (!(error instanceof Refused && error.code === "pair_exists")) throw error;
  }
  if (answering.yes)
    throw new InputError(
      `--pair-id: a pair "${pair.id}" exists already; choose another id, or add --replace`,
    );
  const answer = await answering.prompt(`A pair "${pair.id}" exists already. Replace it? [y/N]: `);
  if (!/^y(es)?$/i.test(answer.trim())) throw new InputError("stopped; the stored pair is unchanged");
  out(`  ✔ ${pair.id} ${await api.storePair(pair, true)}`);
}

function outcomeLine(outcome: RunOutcome): string {
  switch (outcome.status) {
    case "skipped":
    case "lost":
      return `${outcome.key}: ${outcome.status}, ${outcome.reason}`;
    case "failed":
      return `${outcome.key}: failed, ${outcome.error}`;
    case "created":
    case "found":
      return `${outcome.key}: ${outcome.status} ${outcome.agendaUrl}`;
    case "dry-run":
      return `${outcome.key}: would be written`;
  }
}

async function main(): Promise<number> {
  const flags = parseSetupArgs(process.argv.slice(2));
  if (flags.help === true) {
    out(USAGE);
    return 0;
  }
  checkFlags(flags);
  const terminal = terminalPrompt();
  const answering: Answering = {
    flags,
    yes: flags.yes === true,
    prompt: terminal.prompt,
    say: (line) => out(style.yellow(line)),
  };

  let target: Target;
  if (flags.url !== undefined) {
    target = deployedTarget(flags.url, process.env);
    step(`Setting up a pair on ${target.workerUrl}`);
  } else {
    step("Starting the local stack");
    target = await within(
      180_000,
      "starting the emulators and the Worker",
      localTarget({ verbose: flags.verbose === true }),
    );
    const local = target.local;
    if (local !== null) {
      out(
        `  Worker            ${local.workerUrl}  ${style.dim("(fresh local D1 in .wrangler/setup; a rehearsal: the emulators keep nothing after Ctrl-C)")}`,
      );
      out(
        `  Notion emulator   ${local.notionEmulatorUrl}  ${style.dim(`(a page "Team 1:1s" shared with the integration: ${target.defaults.notionParentPage ?? ""})`)}`,
      );
      out(
        `  Google emulator   ${local.googleEmulatorUrl}  ${style.dim(`(a doc "1:1 notes" shared with the service account: ${target.defaults.googleDocument ?? ""})`)}`,
      );
    }
  }
  const api = setupApi(target.workerUrl, target.adminToken);

  step("The pair");
  const answers = await interview(answering, target.defaults, {
    beforeGoogle: async () => {
      const email = await api.serviceAccountEmail();
      if (email === null) {
        out(
          style.yellow(
            "  The Worker has no Google key: npx wrangler secret put GOOGLE_SERVICE_ACCOUNT_KEY < key.json",
          ),
        );
      } else {
        out(
          `  Share the running doc with ${style.bold(email)} as Editor, or the folder's shared drive with it as Content manager.`,
        );
      }
    },
    afterChannels: (channels) => describeChannels(target, channels),
  });

  const created = await createDatabase(api, answers, answering);
  const pair = buildPair(answers, created);
  await checkUntilFixed(api, target, answers, pair, answering);
  await store(api, { ...pair, id: answers.pairId }, flags.replace === true, answering);

  const next = nextAgenda(pair.schedule, Date.now());
  let agendaUrl: string | null = null;
  if (next === null) {
    out(
      style.yellow(
        `  ${answers.pairId} has no meeting ahead (its schedule has ended), so there is no agenda to show`,
      ),
    );
  } else {
    step(
      `The next agenda, for ${next.meeting.date} ${style.dim(`(a dry run: nothing is written; it is prepared ${new Date(next.meeting.prepareAtMs).toISOString()})`)}`,
    );
    for (const outcome of await api.run(answers.pairId, next.atMs, true)) {
      if (outcome.status !== "dry-run") {
        out(`  ${outcomeLine(outcome)}`);
        continue;
      }
      for (const line of agendaLines(outcome.agenda)) out(`  ${style.dim("│")} ${line}`);
      out(
        `  ${outcome.carried.length} item${outcome.carried.length === 1 ? "" : "s"} carried from an earlier agenda`,
      );
    }
    if (target.local !== null) {
      step("Preparing it now, on the local stack");
      for (const outcome of await api.run(answers.pairId, next.atMs, false)) {
        out(`  ${outcomeLine(outcome)}`);
        if (outcome.status === "failed") throw new ScriptError(`the first agenda failed: ${outcome.error}`);
        if (outcome.status === "created" || outcome.status === "found") {
          const id = await api.agendaId(answers.pairId, outcome.key);
          agendaUrl =
            answers.destination.kind === "notion"
              ? `${target.local.notionEmulatorUrl}/view/pages/${id ?? ""}?format=html`
              : `${target.local.googleEmulatorUrl}/view/documents/${answers.destination.mode === "running-doc" ? answers.destination.documentId : (id ?? "")}`;
          out(`  agenda: ${agendaUrl}`);
        }
      }
    }
  }
  out();
  out(style.green(`✔ ${answers.pairId} is set up`));

  const consoleUrl = `${target.workerUrl}/console`;
  if (target.local === null) {
    out(`  console: ${consoleUrl}   doctor: ADMIN_TOKEN=… npm run doctor -- --url ${target.workerUrl}`);
    return 0;
  }
  if (flags.serve === false) return 0;
  step("Serving until Ctrl-C");
  out(`  Console       ${consoleUrl}`);
  const link = await api.signInLink();
  out(
    link === null
      ? `  Admin token   ${target.adminToken}  ${style.dim("(a demo value, local only)")}`
      : `  Sign in       ${link}  ${style.dim("(works once, for 10 minutes)")}`,
  );
  if (agendaUrl !== null) out(`  First agenda  ${agendaUrl}`);
  terminal.close();
  await untilInterrupted();
  out("  stopping…");
  return 0;
}

runMain(async () => {
  try {
    return await main();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    err(style.red(`✖ ${error.message}`));
    return 2;
  }
});
