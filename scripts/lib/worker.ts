// Owns starting the real Worker locally: wrangler runs src/index.ts in workerd with wrangler.toml, the
// local D1 state and the given vars. Its cron is fired by the scripts (admin.ts) at the moments they choose.
//
// wrangler's `unstable_startWorker`, not `unstable_dev`: the latter always watches the sources and
// restarts the Worker when a file changes, which fails every request in flight ("Your worker restarted
// mid-request"); a benchmark tick lasts minutes while people edit src/. This one takes `watch: false`.
import { unstable_startWorker } from "wrangler";
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
  /** Listen on this port (a restarted Worker keeps its URL); any free port otherwise. */
  port?: number;
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

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
  // wrangler's logger reads its level from here on every line; "log" is the level at which workerd's
  // console output (the Worker's JSON lines) comes through. No log files left behind either way.
  process.env.WRANGLER_LOG = options.showLogs ? "log" : "none";
  process.env.WRANGLER_WRITE_LOGS = "false";
  process.env.WRANGLER_SEND_METRICS = "false";
  const before = new Map(SIGNALS.map((signal) => [signal, new Set<unknown>(process.listeners(signal))]));
  const bindings = Object.fromEntries(
    Object.entries(options.vars).map(([name, value]) => [name, { type: "plain_text", value }]),
  );
  try {
    const worker = await unstable_startWorker({
      config: "wrangler.toml",
      entrypoint: "src/index.ts",
      bindings,
      dev: {
        remote: false,
        watch: false,
        persist: options.persistTo,
        server: { hostname: "127.0.0.1", port: options.port ?? 0 },
        inspector: false,
        logLevel: options.showLogs ? "log" : "none",
      },
    });
    await worker.ready;
    const url = await worker.url;
    takeBackSignals(before);
    return { url: url.origin, stop: () => worker.dispose() };
  } catch (error) {
    throw new ScriptError(
      `the Worker did not start: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
