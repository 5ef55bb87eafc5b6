// Owns choosing the Google Docs destination for a pair's mode: a running doc (one document, a section or
// tab per meeting) or a document per meeting in a Drive folder. Each mode's file says what it costs.
import type { Logger } from "../../lib/log";
import type { Destination } from "../types";
import type { GoogleClient } from "./api/client";
import { checkGoogleDestination } from "./check";
import type { GoogleDocsDestinationConfig } from "./config";
import { createDocPerMeetingDestination } from "./modes/doc-per-meeting";
import { createRunningDocDestination } from "./modes/running-doc";

/** One pair's Google Docs destination: the run's shared client, the pair's parsed config and its id. */
export interface GoogleDocsDestinationOptions {
  /** The run's client; shared by all pairs so they share tokens and per-user quotas. */
  client: GoogleClient;
  config: GoogleDocsDestinationConfig;
  pairId: string;
  log?: Logger;
}

/**
 * The Google Docs destination for one pair. Create one per pair per run: a running doc keeps the
 * document `locate` read for the `readOpenItems` and `create` of the same meeting.
 */
export function createGoogleDocsDestination(options: GoogleDocsDestinationOptions): Destination {
  const { config } = options;
  const destination =
    config.mode === "running-doc"
      ? createRunningDocDestination({ ...options, config })
      : createDocPerMeetingDestination({ ...options, config });
  // Both modes are checked alike: the files the pair names, opened as the account that writes them.
  destination.check = (memo) => checkGoogleDestination(options.client.as(config.impersonate), config, memo);
  return destination;
}
