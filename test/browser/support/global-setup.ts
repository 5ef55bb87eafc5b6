// Vitest globalSetup of the `browser` project (Node): starts the local stack (stack.ts, its own process)
// and ONE headless Chromium for the whole run, and provides the tests the console's URL, the admin token,
// the seeded ids and the browser's endpoint (each test file connects to it, each test opens its own
// incognito context). Both stop when the run ends.
//
// Chromium comes from @sparticuz/chromium: the npm package carries the browser, Brotli-packed, and
// `executablePath()` unpacks it into the system's temporary folder (/tmp/chromium, with its fonts) the
// first time; nothing is downloaded at install or at run time.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import chromium from "@sparticuz/chromium";
import type { Browser } from "puppeteer-core";
import puppeteer from "puppeteer-core";
import type { TestProject } from "vitest/node";
import { z } from "zod";
import type { StackInfo } from "./stack-info";
import { READY, stackInfoSchema } from "./stack-info";

declare module "vitest" {
  export interface ProvidedContext {
    /** The local stack: the Worker's URL, the admin token and what was seeded. */
    stack: StackInfo;
    /** The run's one Chromium, for `puppeteer.connect({ browserWSEndpoint })`. */
    browserWSEndpoint: string;
  }
}

const ROOT = path.resolve(import.meta.dirname, "../../..");
/** A busy 2-core machine: wrangler bundles the Worker, workerd starts, a tick prepares two agendas. */
const STACK_START_MS = 240_000;
const STOP_MS = 30_000;

/**
 * Chromium's serverless flags, less two: `--single-process`, which cannot open a second browser context
 * (each test's incognito one), and `--disable-web-security`, so pages are held to the same-origin rules
 * a person's browser applies.
 */
const DROPPED_FLAGS = ["--single-process", "--disable-web-security"];

function startStackProcess(): { child: ChildProcess; ready: Promise<StackInfo> } {
  const child = spawn(process.execPath, ["--import", "tsx", "test/browser/support/stack.ts"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const ready = new Promise<StackInfo>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`the browser tests' stack was not ready within ${STACK_START_MS / 1000} s:\n${stderr}`),
        ),
      STACK_START_MS,
    );
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(
          `the browser tests' stack ended (${signal ?? `exit ${code}`}) before it was ready:\n${stderr}`,
        ),
      );
    });
    if (child.stdout === null) throw new Error("the stack's stdout is not a pipe");
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (!line.startsWith(READY)) return;
      clearTimeout(timer);
      const parsed = stackInfoSchema.safeParse(JSON.parse(line.slice(READY.length)));
      if (parsed.success) resolve(parsed.data);
      else reject(new Error(`the browser tests' stack said something odd: ${parsed.error.message}`));
    });
  });
  return { child, ready };
}

/** Ends the stack with SIGTERM (it stops everything it started), and with SIGKILL if it hangs. */
async function stopStack(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<"hung">((resolve) => {
    timer = setTimeout(() => resolve("hung"), STOP_MS);
  });
  if ((await Promise.race([exited, hung])) === "hung") child.kill("SIGKILL");
  clearTimeout(timer);
}

/** The Chromium major version @sparticuz/chromium ships: its own version's first number. */
function packagedMajor(): string {
  const manifest = path.join(ROOT, "node_modules", "@sparticuz", "chromium", "package.json");
  const parsed = z.object({ version: z.string() }).parse(JSON.parse(readFileSync(manifest, "utf8")));
  return parsed.version.split(".")[0] ?? "";
}

async function launchChromium(): Promise<Browser> {
  const executablePath = await chromium.executablePath();
  const args = chromium.args.filter((flag) => !DROPPED_FLAGS.some((dropped) => flag.startsWith(dropped)));
  const browser = await puppeteer.launch({
    executablePath,
    args: await puppeteer.defaultArgs({ args, headless: "shell" }),
    headless: "shell",
    // The fonts the package ships (unpacked beside the browser), whatever fonts the machine has: the
    // screenshot looks the same everywhere.
    env: { ...process.env, FONTCONFIG_PATH: path.join(tmpdir(), "fonts") },
  });
  // executablePath() reuses whatever /tmp/chromium holds, even a browser another version unpacked.
  const version = await browser.version();
  const major = /\/(\d+)\./.exec(version)?.[1];
  const packaged = packagedMajor();
  if (major !== packaged) {
    await browser.close();
    throw new Error(
      `${executablePath} is ${version}, but @sparticuz/chromium ships Chromium ${packaged}: delete ${executablePath} and run again, so the package's own browser is unpacked`,
    );
  }
  return browser;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = startStackProcess();
  let browser: Browser | null = null;
  const teardown = async () => {
    await Promise.all([browser?.close(), stopStack(stack.child)]);
  };
  try {
    const [info, launched] = await Promise.allSettled([stack.ready, launchChromium()]);
    if (launched.status === "fulfilled") browser = launched.value;
    if (info.status === "rejected") throw info.reason;
    if (launched.status === "rejected") throw launched.reason;
    project.provide("stack", info.value);
    project.provide("browserWSEndpoint", launched.value.wsEndpoint());
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}
