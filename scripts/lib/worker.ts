// Owns starting the real Worker locally: wrangler's `unstable_dev` runs src/index.ts in workerd with the
// local D1 state, and the given vars. Its cron is fired by the scripts (admin.ts), at whatever moment they choose.
import { unstable_dev } from "wrangler";
import { ScriptError } from "./run";

export interface LocalWorker {
  url: string;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  persistTo: string;
  vars: Record<string, string>;
  /** Show wrangler's and the Worker's logs (the caller dims them); hidden otherwise. */
  showLogs: boolean;
}

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * Miniflare answers Ctrl-C by exiting the process from its own signal handler, before the script can
 * stop anything or say so. The scripts own their signals (run.ts) and stop the Worker in their cleanup;
 * Miniflare's exit hook stays, so workerd still goes down with the process whatever happens.
 */
function takeBackSignals(before: ReadonlyMap<string, ReadonlySet<unknown>>): void {
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
}

export async function startWorker(options: WorkerOptions): Promise<LocalWorker> {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set<unknown>(process.listeners(signal))]));
  let worker: Awaited<ReturnType<typeof unstable_dev>>;
  try {
    worker = await unstable_dev("src/index.ts", {
      config: "wrangler.toml",
      local: true,
      persistTo: options.persistTo,
      vars: options.vars,
      ip: "127.0.0.1",
      // No testScheduled: its `/__scheduled` ignores `?time=`; admin.ts fires the cron through Miniflare's
      // trigger endpoint instead, which takes the scheduled time.
      experimental: { disableExperimentalWarning: true },
      // "log" is the level at which workerd's console output (the Worker's JSON lines) comes through.
      logLevel: options.showLogs ? "log" : "none",
    });
  } catch (error) {
    throw new ScriptError(
      `the Worker did not start: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  takeBackSignals(before);
  return { url: `http://${worker.address}:${worker.port}`, stop: () => worker.stop() };
}
