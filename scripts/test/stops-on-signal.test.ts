// `npm start -- --serve` must leave nothing running when npm is told to stop: a SIGTERM or a SIGHUP to
// the npm process alone (as a service manager or a closed SSH session sends it) ends the script, the
// SMTP server, workerd and esbuild too. Runs the stack under npm, in a process group of its own, and
// checks that the group is empty afterwards. Linux only (reads /proc); run with
// `node --import tsx --test scripts/test/*.test.ts`.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";

const ROOT = path.resolve(import.meta.dirname, "../..");
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;

/** Every process in the group `pgid`, as "pid command". */
function groupMembers(pgid: number): string[] {
  const members: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // After "(comm)": state, ppid, pgrp. A zombie has already let go of everything it held.
      if (Number(fields[2]) === pgid && fields[0] !== "Z") {
        members.push(`${entry} ${readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ")}`);
      }
    } catch {
      // It ended while we looked.
    }
  }
  return members;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return condition();
}

for (const signal of ["SIGTERM", "SIGHUP"] as const) {
  test(`a ${signal} to npm stops the whole local stack`, {
    skip: !existsSync("/proc/self/stat"),
  }, async () => {
    // detached: npm leads a new process group, which everything it starts joins.
    const npm = spawn("npm", ["exec", "--no", "--", "tsx", "scripts/test/serve-stack.ts"], {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const pgid = npm.pid;
    assert.ok(pgid !== undefined, "npm did not start");
    let output = "";
    npm.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    try {
      const serving = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), START_TIMEOUT_MS);
        createInterface({ input: npm.stdout }).on("line", (line) => {
          output += `${line}\n`;
          if (line === "SERVING") {
            clearTimeout(timer);
            resolve(true);
          }
        });
        npm.once("exit", () => resolve(false));
      });
      assert.ok(serving, `the stack did not start:\n${output}`);
      const running = groupMembers(pgid);
      for (const name of ["workerd", "emulators/smtp/server.ts"]) {
        assert.ok(
          running.some((line) => line.includes(name)),
          `${name} is not running:\n${running.join("\n")}`,
        );
      }

      process.kill(pgid, signal);
      const emptied = await until(() => groupMembers(pgid).length === 0, STOP_TIMEOUT_MS);
      assert.ok(
        emptied,
        `still running ${STOP_TIMEOUT_MS / 1000} s after ${signal}:\n${groupMembers(pgid).join("\n")}`,
      );
    } finally {
      // Whatever happened, leave nothing behind for the next test.
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        // The group is already gone.
      }
    }
  });
}
