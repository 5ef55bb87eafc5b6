// Owns a script's life: cleanup tasks that always run (normal end, error, Ctrl-C), time limits on steps
// that could hang, one clear error line instead of a stack for expected failures, and the exit code.
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

/** Runs (once) every cleanup task now; for a script that must print its last line after everything stopped. */
export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (let task = tasks.pop(); task !== undefined; task = tasks.pop()) {
      try {
        await task();
      } catch (error) {
        err(style.yellow(`warning: cleanup step failed: ${describe(error)}`));
      }
    }
  })();
  return cleaning;
}

function describe(error: unknown): string {
  if (error instanceof ScriptError) return error.message;
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}

/** Resolves at the first Ctrl-C (or SIGTERM), for a script that serves until then. */
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

/**
 * Runs `main` and exits with its code, after cleanup. Fails with a clear message when `main` throws, or
 * when the user interrupts it (unless it is waiting in `untilInterrupted`, where Ctrl-C is the normal end).
 */
export function runMain(main: () => Promise<number>): void {
  let interrupted = false;
  const finish = (code: number) => {
    void cleanup().then(() => process.exit(code));
  };
  const fail = (error: unknown) => {
    // After Ctrl-C, the work in flight fails as its servers stop; that is not news.
    if (interrupted) return;
    err(style.red(`✖ ${describe(error)}`));
    finish(1);
  };

  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    // A second Ctrl-C means "now": skip whatever cleanup is stuck.
    if (interrupts > 1) process.exit(130);
    if (waiting !== null) {
      waiting();
      return;
    }
    interrupted = true;
    err(style.yellow(`\n${signal}: stopping…`));
    finish(signal === "SIGINT" ? 130 : 143);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("uncaughtException", fail);
  process.on("unhandledRejection", fail);

  main().then(finish, fail);
}
