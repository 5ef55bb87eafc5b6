// Owns running the wrangler CLI as a child process: the project's own wrangler under the current Node,
// never interactive, no telemetry, output kept for the error message and killed if the script stops
// (or exits at once).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { onCleanup, ScriptError } from "./run";

const require = createRequire(import.meta.url);
const WRANGLER_BIN = path.join(path.dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");

export interface CliResult {
  stdout: string;
  stderr: string;
}

/** Runs `wrangler <args>` and returns its output; throws with that output when it fails. */
export function runWrangler(
  args: readonly string[],
  options: { timeoutMs?: number } = {},
): Promise<CliResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    // stdin closed and CI set: every prompt takes its non-interactive default instead of waiting.
    const child = spawn(process.execPath, [WRANGLER_BIN, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    };
    onCleanup(kill);
    // A second Ctrl-C exits without cleanup; wrangler must not outlive the script even then.
    process.once("exit", kill);
    const timer = setTimeout(() => {
      kill();
      reject(new ScriptError(`wrangler ${args.join(" ")} took longer than ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new ScriptError(`could not start wrangler: ${error.message}`, { cause: error }));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      process.off("exit", kill);
      if (code === 0) return resolve({ stdout, stderr });
      const output = `${stdout}\n${stderr}`.trim().split("\n").slice(-15).join("\n");
      reject(
        new ScriptError(
          `wrangler ${args.join(" ")} failed (${signal ?? `exit ${code}`}):\n${output.replace(/^/gm, "    ")}`,
        ),
      );
    });
  });
}
