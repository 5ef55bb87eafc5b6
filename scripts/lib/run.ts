// Owns a script's life: cleanup tasks that always run (normal end, error, Ctrl-C, SIGTERM, SIGHUP, or npm
// going away), time limits on steps that could hang, one clear error line instead of a stack for expected
// failures, and the exit code.
import { watchLifeline } from "./lifeline";
import { err, style } from "./terminal";

type Task = () => Promise<void> | void;

/** A failure the script explains itself; printed as its message alone. */
export class ScriptError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ScriptError";
  }
}

const tasks: Task[] = [];
let cleaning: Promise<void> | null = null;
let waiting: (() => void) | null = null;

/** Registers a cleanup task; tasks run newest first, so later resources close before what they use. */
export function onCleanup(task: Task): void {
  tasks.push(task);
}

/** Runs every cleanup task registered so far, now; for a script that must print its last line after everything stopped. */
export function cleanup(): Promise<void> {
  // Once done, a later call runs what was registered since (a script that starts a second stack).
  cleaning ??= (async () => {
    for (let task = tasks.pop(); task !== undefined; task = tasks.pop()) {
      try {
        await task();
      } catch (error) {
        err(style.yellow(`warning: cleanup step failed: ${describe(error)}`));
      }
    }
  })().finally(() => {
    cleaning = null;
  });
  return cleaning;
}

function describe(error: unknown): string {
  if (error instanceof ScriptError) return error.message;
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}

/** Resolves at the first Ctrl-C (or SIGTERM, SIGHUP, or npm going away), for a script that serves until then. */
export function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    waiting = resolve;
  });
}

/** `work`, or a clear failure naming `what` when it takes longer than `ms` (a hung step must not hang the script). */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ScriptError(`${what} did not finish within ${Math.round(ms / 1000)} s`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The signals a script stops on, and its exit code for each (128 + the signal's number). */
const SIGNAL_EXIT_CODES = [
  ["SIGINT", 130],
  ["SIGTERM", 143],
  ["SIGHUP", 129],
] as const;
const REPEAT_WINDOW_MS = 500;

/**
 * Runs `main` and exits with its code, after cleanup. Fails with a clear message when `main` throws, or
 * when the user interrupts it (unless it is waiting in `untilInterrupted`, where Ctrl-C is the normal end).
 */
export function runMain(main: () => Promise<number>): void {
  /** The exit code of the signal that is stopping the script, once one is. */
  let stoppedWith: number | null = null;
  const finish = (code: number) => {
    void cleanup().then(() => process.exit(code));
  };
  const fail = (error: unknown) => {
    // After a signal, the work in flight fails as its servers stop (and a closed terminal refuses output);
    // that is not news.
    if (stoppedWith !== null) return finish(stoppedWith);
    err(style.red(`✖ ${describe(error)}`));
    finish(1);
  };

  let firstSignalAt: number | null = null;
  const stop = (reason: string, code: number) => {
    const now = performance.now();
    if (firstSignalAt !== null) {
      // One Ctrl-C reaches the script twice (from the terminal and from npm passing it on), so only a
      // signal a moment later is a person's second one, which means "now": skip whatever cleanup is stuck.
      if (now - firstSignalAt >= REPEAT_WINDOW_MS) process.exit(code);
      return;
    }
    firstSignalAt = now;
    stoppedWith = code;
    if (waiting !== null) {
      waiting();
      return;
    }
    err(style.yellow(`\n${reason}: stopping…`));
    finish(code);
  };
  for (const [signal, code] of SIGNAL_EXIT_CODES) process.on(signal, () => stop(signal, code));
  // npm passes SIGTERM only to the shell it runs the script in, and dies of SIGHUP alone: either way the
  // processes between this one and npm end, and that is this script's signal to stop too.
  // Once the script is stopping, its launchers ending too is expected, not a second request.
  watchLifeline(() => {
    if (firstSignalAt === null) stop("npm stopped", 129);
  });
  process.on("uncaughtException", fail);
  process.on("unhandledRejection", fail);

  main().then(finish, fail);
}
