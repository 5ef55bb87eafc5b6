// Owns noticing that whoever started the script is gone. `npm start` runs the script under `sh -c` (and
// tsx's launcher): a SIGTERM to npm reaches only the shell, which dies without passing it on, and a SIGHUP
// kills npm alone. Either way the script would keep serving, with workerd, the SMTP server and esbuild
// under it. So the script watches the processes between itself and npm, and stops when one of them ends.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

interface ProcessInfo {
  ppid: number;
  /** The command's name: `npm` for npm (it sets its title), `sh`, `node`, … */
  name: string;
}

/** A process's parent and name, from /proc (Linux) or `ps` (macOS, BSD); null when neither can tell. */
function processInfo(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    // npm names itself "npm …" (process.title); a node running npm-cli.js is npm too.
    const name = /npm-cli\.js/.test(cmdline) ? "npm" : path.basename(cmdline.split(/[\0 ]/)[0] ?? "");
    return Number.isInteger(ppid) ? { ppid, name } : null;
  } catch {
    // No /proc here (or the process is gone): ask ps.
  }
  try {
    const line = execFileSync("ps", ["-o", "ppid=,comm=", "-p", String(pid)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const match = /^(\d+)\s+(.*)$/.exec(line);
    return match?.[1] === undefined ? null : { ppid: Number(match[1]), name: path.basename(match[2] ?? "") };
  } catch {
    return null;
  }
}

const LAUNCHERS = new Set(["npm", "npx", "pnpm", "yarn"]);
const MAX_DEPTH = 6;

/**
 * The processes this one lives under, from its parent up to and including the package manager that
 * started it; only the parent when there is no package manager among the nearest few (a script run by
 * hand, or a system that cannot tell).
 */
function lifelinePids(): number[] {
  const chain: number[] = [];
  for (let pid = process.ppid; pid > 1 && chain.length < MAX_DEPTH; ) {
    chain.push(pid);
    const info = processInfo(pid);
    if (info === null) break;
    if (LAUNCHERS.has(info.name)) return chain;
    pid = info.ppid;
  }
  return [process.ppid];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Calls `gone` once, when the parent changes or any process between this one and its package manager
 * ends. Checks every `intervalMs` on a timer that does not keep the script alive.
 */
export function watchLifeline(gone: () => void, intervalMs = 1_000): void {
  const parent = process.ppid;
  const pids = lifelinePids();
  const timer = setInterval(() => {
    if (process.ppid === parent && pids.every(alive)) return;
    clearInterval(timer);
    gone();
  }, intervalMs);
  timer.unref();
}
