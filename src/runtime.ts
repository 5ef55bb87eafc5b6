// Builds what the handlers need from the parsed config: stores, the shared Notion client (one rate
// limiter for every pair in the run) and a destination per pair. The only place that wires adapters.

import { createNotionClient } from "./destinations/notion/client";
import { createNotionDestination } from "./destinations/notion/destination";
import type { Destination } from "./destinations/types";
import type { Pair } from "./domain/pair";
import type { Config } from "./env";
import type { Logger } from "./lib/log";
import { createLogger } from "./lib/log";
import { MeetingStore } from "./store/meetings";
import { PairStore } from "./store/pairs";

export interface Runtime {
  config: Config;
  log: Logger;
  pairs: PairStore;
  meetings: MeetingStore;
  destinationFor(pair: Pair): Destination;
  /** Notion calls made through this runtime so far, by endpoint. */
  notionCalls(): Record<string, number>;
}

export function createRuntime(config: Config, log?: Logger): Runtime {
  const logger = log ?? createLogger({ level: config.logLevel, secrets: config.secrets });
  const notion = createNotionClient({
    token: config.notion.token,
    baseUrl: config.notion.baseUrl,
    requestsPerSecond: config.notion.requestsPerSecond,
    log: logger,
  });
  return {
    config,
    log: logger,
    pairs: new PairStore(config.db),
    meetings: new MeetingStore(config.db),
    destinationFor: (pair) =>
      createNotionDestination({ client: notion, config: pair.destination, pairId: pair.id }),
    notionCalls: () => notion.calls(),
  };
}
