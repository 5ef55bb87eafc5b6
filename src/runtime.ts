// Builds what the handlers need from the parsed config: stores, one client per vendor account (built
// once per isolate, worker.ts, and shared by every pair and invocation it serves, so they share tokens and
// caches) paced by the vendor account's Durable Object (shared by every isolate, so they share rate
// limits), and a destination per pair. The only place that wires adapters.

import type { Pair } from "./config/pair";
import { createGoogleClient, createGoogleDocsDestination, type GoogleClient } from "./destinations/google";
import type { NotionClient } from "./destinations/notion/client";
import { createNotionClient } from "./destinations/notion/client";
import { DEFAULT_NOTION_TOKEN_SECRET } from "./destinations/notion/config";
import { createNotionDestination } from "./destinations/notion/destination";
import type { SharingCheck } from "./destinations/sharing";
import type { Destination } from "./destinations/types";
import { unavailableDestination } from "./destinations/unavailable";
import type { Config } from "./env";
import { consumeWork } from "./jobs/consume";
import type { WorkQueue } from "./jobs/work";
import { cloudflareQueue, inlineQueue } from "./jobs/work";
import { countedD1, countedFetch, countedObjects } from "./lib/budget";
import type { Logger } from "./lib/log";
import { createLogger } from "./lib/log";
import { googlePaceName, notionPaceName } from "./pace/names";
import { createDurablePacer } from "./pace/pacer";
import { ChangeSignalStore } from "./store/change-signals";
import { DeadLetterStore } from "./store/dead-letters";
import { DeliveryStore } from "./store/deliveries";
import { MeetingStore } from "./store/meetings";
import { PairStore } from "./store/pairs";
import { RollupStore } from "./store/rollups";
import { SignInLinkStore } from "./store/sign-in-links";
import { SyncWatchStore } from "./store/sync-watch";
import { TickStore } from "./store/ticks";

export interface Runtime {
  config: Config;
  log: Logger;
  /**
   * The real clock (epoch ms), for what is about real elapsed time: the outbox's due rows, retries,
   * leases and expiry. What is due for agendas goes by a tick's scheduled time instead.
   */
  clock(): number;
  pairs: PairStore;
  meetings: MeetingStore;
  deliveries: DeliveryStore;
  rollups: RollupStore;
  deadLetters: DeadLetterStore;
  ticks: TickStore;
  /** The console's one-time sign-in links. */
  signInLinks: SignInLinkStore;
  /** Live sync's window, owed passes and look cursors; and the change signals Notion's webhooks left. */
  syncWatch: SyncWatchStore;
  signals: ChangeSignalStore;
  /** Where work is handed out: the work queue, or handled at once (see jobs/work.ts). */
  work: WorkQueue;
  /** A digest channel's secret (a webhook URL, a signing secret, an SMTP URL) by name. */
  secret(name: string): string | undefined;
  /** A binding (Cloudflare's send_email) by name. */
  binding(name: string): unknown;
  /** ALLOW_PRIVATE_DIGEST_HOSTS, for the digests' senders. */
  allowPrivateDigestHosts: boolean;
  /** How long a run's claim on a meeting or a delivery holds. */
  leases: Config["leases"];
  /** WORK_RETRY_FIRST_DELAY_SECONDS, for the queue consumer's backoff. */
  workRetryFirstDelaySeconds: number;
  /**
   * A destination for one meeting's preparation; it may cache what it read for that meeting. `sharing`
   * tells it, once it knows where its ids really lead, whether another pair's agendas are there.
   */
  destinationFor(pair: Pair, sharing?: SharingCheck): Destination;
  /**
   * The Notion client of the integration whose token is in the secret `secretName` (shared with the
   * pairs that name it), or null when that secret is not set: for set-up, which works before any pair.
   */
  notionClientFor(secretName: string): NotionClient | null;
}

export interface RuntimeOptions {
  log?: Logger;
  /** Defaults to `Date.now`; tests pass their own so that nothing they assert reads the real clock. */
  clock?: () => number;
  /**
   * Handle work where it is sent even when a queue is bound: the tests, which run a tick on their own
   * clock and look at its effects when it returns.
   */
  inlineWork?: boolean;
}

/**
 * The Notion client of one runtime (one isolate's): paced by the integration's Durable Object when the
 * PACE binding exists, so every runtime that uses the token shares one pace; alone otherwise.
 */
export function createRuntimeNotionClient(config: Config, token: string, log: Logger): NotionClient {
  const requestsPerSecond = config.notion.requestsPerSecond;
  const pace = config.pace === null ? null : countedObjects(config.pace);
  return createNotionClient({
    token,
    baseUrl: config.notion.baseUrl,
    requestsPerSecond,
    log,
    fetch: countedFetch,
    ...(pace === null
      ? {}
      : {
          limiter: createDurablePacer({
            namespace: pace,
            name: notionPaceName(token),
            settings: { perSecond: requestsPerSecond },
            vendor: "Notion",
            log,
          }),
        }),
  });
}

/**
 * The Google client of one runtime: each quota of each acting user paced by its Durable Object when the
 * PACE binding exists; alone otherwise.
 */
function createRuntimeGoogleClient(config: Config, serviceAccountKey: string, log: Logger): GoogleClient {
  const pace = config.pace === null ? null : countedObjects(config.pace);
  return createGoogleClient({
    serviceAccountKey,
    fetch: countedFetch,
    ...(config.google.tokenUrl === null ? {} : { tokenUrl: config.google.tokenUrl }),
    docsBaseUrl: config.google.docsBaseUrl,
    driveBaseUrl: config.google.driveBaseUrl,
    quotas: {
      docsReadsPerMinute: config.google.docsReadsPerMinute,
      docsWritesPerMinute: config.google.docsWritesPerMinute,
    },
    log,
    ...(pace === null
      ? {}
      : {
          limiterFor: (quota) =>
            createDurablePacer({
              namespace: pace,
              name: googlePaceName(quota.serviceAccount, quota.subject, quota.lane),
              settings: quota.settings,
              vendor: "Google Docs",
              log,
            }),
        }),
  });
}

/** The vendor clients of one runtime, each made on first use. */
interface VendorClients {
  /** The Notion client of one integration token. */
  notion(token: string): NotionClient;
  /** The token a pair's Notion destination names (NOTION_TOKEN unless it names another secret). */
  notionToken(secretName: string): string | null;
  google(serviceAccountKey: string): GoogleClient;
}

/**
 * Clients are made on first use, so a deployment that uses one vendor never touches the other's secret.
 * One Notion client per integration token (pairs may name their own, `tokenSecret`): each is paced by its
 * integration's own Durable Object. Kept by token in memory only, never logged.
 */
function vendorClients(config: Config, log: Logger): VendorClients {
  const notion = new Map<string, NotionClient>();
  let google: GoogleClient | null = null;
  return {
    notion(token) {
      let client = notion.get(token);
      if (client === undefined) {
        client = createRuntimeNotionClient(config, token, log);
        notion.set(token, client);
      }
      return client;
    },
    notionToken(secretName) {
      if (secretName === DEFAULT_NOTION_TOKEN_SECRET) return config.notion.token;
      const value = config.binding(secretName);
      return typeof value === "string" && value !== "" ? value : null;
    },
    google(serviceAccountKey) {
      google ??= createRuntimeGoogleClient(config, serviceAccountKey, log);
      return google;
    },
  };
}

/** The pair's destination over the runtime's clients; one that says what to set when its secret is not. */
function pairDestination(
  config: Config,
  clients: VendorClients,
  log: Logger,
  pair: Pair,
  sharing: SharingCheck | undefined,
): Destination {
  const destination = pair.destination;
  if (destination.kind === "notion") {
    const secretName = destination.tokenSecret ?? DEFAULT_NOTION_TOKEN_SECRET;
    const token = clients.notionToken(secretName);
    if (token === null)
      return unavailableDestination(
        `${secretName} is not set: wrangler secret put ${secretName}`,
        `Set ${secretName} to the Notion integration's token: wrangler secret put ${secretName}.`,
      );
    return createNotionDestination({
      client: clients.notion(token),
      config: destination,
      pairId: pair.id,
      ...(sharing === undefined ? {} : { sharing }),
    });
  }
  const key = config.google.serviceAccountKey;
  if (key === null) {
    return unavailableDestination(
      "GOOGLE_SERVICE_ACCOUNT_KEY is not set: wrangler secret put GOOGLE_SERVICE_ACCOUNT_KEY < key.json",
      "Set GOOGLE_SERVICE_ACCOUNT_KEY to the service account's JSON key: wrangler secret put GOOGLE_SERVICE_ACCOUNT_KEY < key.json.",
    );
  }
  return createGoogleDocsDestination({
    client: clients.google(key),
    config: destination,
    pairId: pair.id,
    log,
  });
}

export function createRuntime(config: Config, options: RuntimeOptions = {}): Runtime {
  const logger = options.log ?? createLogger({ level: config.logLevel, secrets: config.secrets });
  const clock = options.clock ?? Date.now;
  // Every statement counts against the invocation it runs in (lib/budget.ts).
  const db = countedD1(config.db);
  const clients = vendorClients(config, logger);

  const runtime: Runtime = {
    config,
    log: logger,
    clock: () => clock(),
    // Work sent inline is handled by this runtime at once; see jobs/work.ts.
    work:
      config.workQueue === null || options.inlineWork === true
        ? inlineQueue((batch) => consumeWork(runtime, batch))
        : cloudflareQueue(config.workQueue),
    deadLetters: new DeadLetterStore(db),
    ticks: new TickStore(db),
    signInLinks: new SignInLinkStore(db),
    syncWatch: new SyncWatchStore(db),
    signals: new ChangeSignalStore(db),
    pairs: new PairStore(db),
    meetings: new MeetingStore(db),
    deliveries: new DeliveryStore(db),
    rollups: new RollupStore(db),
    secret(name) {
      const value = config.binding(name);
      return typeof value === "string" ? value : undefined;
    },
    binding: config.binding,
    allowPrivateDigestHosts: config.digests.allowPrivateHosts,
    leases: config.leases,
    workRetryFirstDelaySeconds: config.workRetryFirstDelaySeconds,
    destinationFor: (pair, sharing) => pairDestination(config, clients, logger, pair, sharing),
    notionClientFor(secretName) {
      const token = clients.notionToken(secretName);
      return token === null ? null : clients.notion(token);
    },
  };
  return runtime;
}
