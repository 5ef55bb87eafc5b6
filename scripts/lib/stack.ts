// Owns the local stack both scripts run on: the Notion API emulator and the Google emulator in this
// process, the Worker in workerd (wrangler's unstable_startWorker) with a freshly migrated local D1, and
// the demo secrets that wire them. When asked, also the digests' receivers: the local webhook receivers
// and the SMTP test server (digest-side.ts), with the channel secrets that point the Worker at them.
// Everything started here is stopped by the run's cleanup, whatever way the script ends.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { NotionControl } from "../../emulators/notion/control";
import { notionControl } from "../../emulators/notion/control";
import type { NotionEmulator } from "../../emulators/notion/server";
import { startNotionEmulator } from "../../emulators/notion/server";
import type { AdminClient } from "./admin";
import { adminClient } from "./admin";
import type { DigestSide } from "./digest-side";
import { startDigestSide } from "./digest-side";
import type { GoogleSide, GoogleSideOptions } from "./google-side";
import { startGoogleSide } from "./google-side";
import { freshLocalState } from "./local-state";
import { onCleanup } from "./run";
import type { StatusProxy } from "./status-proxy";
import { startStatusProxy } from "./status-proxy";
import { dimForeignOutput } from "./terminal";
import { startWorker } from "./worker";

/** Demo values, not secrets: they only ever reach the local emulator and the local Worker. */
export const DEMO_ADMIN_TOKEN = "demo-admin-token-local-only";
export const DEMO_NOTION_TOKEN = "ntn_demo_local_emulator_token";

/** The repository root: wrangler finds wrangler.toml, src/ and migrations/ from the working directory. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface StackOptions {
  /** Folder name under .wrangler/ for this script's D1 state. */
  stateName: string;
  /** Notion requests per second: the emulator's limit and the Worker's own pacing. */
  requestsPerSecond: number;
  /** Show the Worker's and wrangler's logs, dimmed. */
  showLogs: boolean;
  /** Put a status-counting proxy between the Worker and the emulator (to count 429s). */
  countStatuses?: boolean;
  /** Start the webhook receivers and the SMTP test server, and give the Worker the demo's channel secrets. */
  digests?: boolean;
  /** The Google emulator's quotas and service account (live sync's bench impersonates users). */
  google?: GoogleSideOptions;
  /** More Worker vars: the scale bench's integration tokens, the fault soak's shorter claim leases. */
  vars?: Record<string, string>;
}

export interface Stack {
  emulator: NotionEmulator;
  notion: NotionControl;
  /** The Google emulator, its control client and the service account the Worker acts as. */
  google: GoogleSide;
  /** The integration token the Worker uses, for `notion.calls(token)`. */
  notionToken: string;
  workerUrl: string;
  adminToken: string;
  admin: AdminClient;
  proxy: StatusProxy | null;
  /** The digests' receivers and SMTP server, when `digests` was asked for. */
  digests: DigestSide | null;
  /**
   * Stops the Worker, killing whatever it was doing (local queue messages in flight are lost with it),
   * and starts it again on the same URL with the same persisted state.
   */
  restartWorker(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  process.chdir(REPO_ROOT);
  // The migrations run in a child process while the emulator loads (or generates) its schema here.
  const [persistTo, emulator, google, digests] = await Promise.all([
    freshLocalState(options.stateName),
    startNotionEmulator({ requestsPerSecond: options.requestsPerSecond }).then((started) => {
      onCleanup(() => started.close());
      return started;
    }),
    startGoogleSide(options.google),
    options.digests === true ? startDigestSide() : null,
  ]);

  let proxy: StatusProxy | null = null;
  if (options.countStatuses === true) {
    const started = await startStatusProxy(emulator.url);
    onCleanup(() => started.close());
    proxy = started;
  }

  if (options.showLogs) onCleanup(dimForeignOutput());
  const workerOptions = {
    persistTo,
    showLogs: options.showLogs,
    vars: {
      ADMIN_TOKEN: DEMO_ADMIN_TOKEN,
      NOTION_TOKEN: DEMO_NOTION_TOKEN,
      NOTION_API_BASE_URL: proxy?.url ?? emulator.url,
      NOTION_REQUESTS_PER_SECOND: String(options.requestsPerSecond),
      ...google.vars,
      ...digests?.vars,
      ...options.vars,
    },
  };
  let worker = await startWorker(workerOptions);
  onCleanup(() => worker.stop());

  const notion = notionControl(emulator.url);
  await notion.createIntegration({ name: "1:1 agendas (local)", token: DEMO_NOTION_TOKEN });
  return {
    emulator,
    notion,
    google,
    notionToken: DEMO_NOTION_TOKEN,
    workerUrl: worker.url,
    adminToken: DEMO_ADMIN_TOKEN,
    admin: adminClient(worker.url, DEMO_ADMIN_TOKEN),
    proxy,
    digests,
    restartWorker: async () => {
      const port = Number(new URL(worker.url).port);
      await worker.stop();
      worker = await startWorker({ ...workerOptions, port });
    },
  };
}
