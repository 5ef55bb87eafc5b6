// `npm run setup` end to end on the local stack, with nothing asked: --yes and flags. It creates the
// Notion database under the sandbox's shared page, checks the pair, stores it, shows the dry run of the
// next agenda, prepares that agenda for real and serves; the test then finds the agenda in the Notion
// emulator (over its control API, while setup serves) and stops it. About a minute, most of it starting
// the stack. Also: a bad flag ends the run at once with exit code 2, before any stack starts.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { notionControl } from "../../emulators/notion/control";

const ROOT = path.resolve(import.meta.dirname, "../..");
const RUN_TIMEOUT_MS = 240_000;

function setup(args: string[]) {
  // detached: the script leads a process group of its own, so the whole stack can be stopped at the end.
  return spawn("npm", ["exec", "--no", "--", "tsx", "scripts/setup.ts", ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
}

test("a bad flag stops set-up at once, naming the flag", async () => {
  const child = setup(["--yes", "--schedule", "weekly tuesday 25:00"]);
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  assert.equal(code, 2, stderr);
  assert.match(stderr, /--schedule: expected a time "HH:MM" \(24-hour\), got "25:00"/);
});

test("npm run setup --yes on the local stack: database, checks, pair, dry run, first agenda", {
  timeout: RUN_TIMEOUT_MS + 30_000,
}, async () => {
  const child = setup([
    "--yes",
    "--manager-name",
    "Ada Lovelace",
    "--manager-email",
    "ada@example.com",
    "--report-name",
    "Bo Chen",
    "--report-email",
    "bo@example.com",
    "--schedule",
    "weekly tuesday 10:00",
    "--time-zone",
    "Europe/Berlin",
    "--lead-time",
    "2d",
    "--destination",
    "notion",
    "--notion-title",
    "Team agendas",
    "--slack-secret",
    "DEMO_SLACK_URL",
  ]);
  const pgid = child.pid;
  assert.ok(pgid !== undefined, "setup did not start");
  const lines: string[] = [];
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => lines.push(chunk));
  try {
    const served = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), RUN_TIMEOUT_MS);
      createInterface({ input: child.stdout }).on("line", (line) => {
        lines.push(line);
        if (line.startsWith("  First agenda")) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      child.once("exit", () => resolve(false));
    });
    const output = lines.join("\n");
    assert.ok(served, `setup did not get to serving its first agenda:\n${output}`);

    for (const expected of [
      /✔ "Team agendas" with Name \(title\), Date \(date\) and Pair \(text\)/,
      /✔ Destination/,
      /✔ Properties/,
      /✔ Digest channels/,
      /✔ ada-bo created/,
      /│ # /,
      /ada-bo\/\d{4}-\d{2}-\d{2}: created/,
      /✔ ada-bo is set up/,
      /Console\s+http:\/\/127\.0\.0\.1:\d+\/console/,
    ]) {
      assert.match(output, expected);
    }
    const emulatorUrl = /Notion emulator\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    const dataSourceId = /data source ([0-9a-f-]{36})/.exec(output)?.[1];
    const meetingDate = /ada-bo\/(\d{4}-\d{2}-\d{2}): created/.exec(output)?.[1];
    assert.ok(emulatorUrl !== undefined && dataSourceId !== undefined && meetingDate !== undefined, output);

    // The agenda is in the database setup made, marked for the pair, on the meeting's date.
    const pages = await notionControl(emulatorUrl).pages(dataSourceId);
    assert.equal(
      pages.length,
      1,
      `expected the first agenda alone in the new database, found ${pages.length}`,
    );
    const [page] = pages;
    const date = page?.properties.Date;
    const pair = page?.properties.Pair;
    assert.ok(date?.type === "date" && pair?.type === "rich_text");
    assert.equal(date.date?.start, meetingDate);
    assert.equal(pair.rich_text.map((part) => part.plain_text).join(""), "ada-bo");
  } finally {
    try {
      process.kill(-pgid, "SIGTERM");
    } catch {
      // Already gone.
    }
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        try {
          process.kill(-pgid, "SIGKILL");
        } catch {
          // Already gone.
        }
        resolve(undefined);
      }, 30_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  }
});
