// Owns the client side of a shared pace: a RateLimiter whose slots come from the account's Durable
// Object (object.ts). Each slot costs one call to the object (a subrequest) besides the vendor request
// itself; the caller then sleeps until its slot. A hold is sent to the object, so every caller of the
// account pauses. When the object cannot be reached, `acquire` fails with PaceUnavailableError: the
// vendor request was not sent, so the caller may retry it whatever it is, and a later run will if the
// retries run out (it is a retryable DestinationError).
import { DestinationError } from "../destinations/types";
import type { Logger } from "../lib/log";
import { silentLogger } from "../lib/log";
import { type Clock, type PaceSettings, type RateLimiter, systemClock } from "../lib/rate-limit";

/** The RPC methods of a pace object, as a stub exposes them. */
interface PaceStub {
  reserve(settings: PaceSettings): Promise<number>;
  hold(ms: number): Promise<void>;
}

/** Where pace objects are found by name: the `PACE` Durable Object binding, or a test's stand-in. */
export interface PaceNamespace {
  getByName(name: string): PaceStub;
}

/** The pace object could not be asked for a slot; nothing was sent to the vendor. */
export class PaceUnavailableError extends DestinationError {
  constructor(message: string) {
    super(message, true);
    this.name = "PaceUnavailableError";
  }
}

export interface DurablePacerOptions {
  namespace: PaceNamespace;
  /** The object's name (names.ts); a promise when it is still being hashed. */
  name: string | Promise<string>;
  settings: PaceSettings;
  /** Whose pace it is, for messages: "Notion", "Google Docs". Never the name, which may hold an email. */
  vendor: string;
  clock?: Clock;
  log?: Logger;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.name : "unknown";
}

/** A RateLimiter backed by the account's pace object, shared with every other isolate. */
export function createDurablePacer(options: DurablePacerOptions): RateLimiter {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const settings: PaceSettings = { ...options.settings };
  // A fresh stub for every call. A stub belongs to the request that made it, and the pacer outlives
  // requests (it is kept with its client for the isolate's life): a stub kept from one queue batch
  // fails in the next ("Cannot perform I/O on behalf of a different request"). A stub that threw may
  // also be broken for good. Making one costs nothing; only its calls are subrequests.
  const stubFor = async (): Promise<PaceStub> => options.namespace.getByName(await options.name);

  return {
    async acquire() {
      let wait: number;
      try {
        wait = await (await stubFor()).reserve(settings);
      } catch (error) {
        throw new PaceUnavailableError(
          `Could not reserve a ${options.vendor} request slot (${describe(error)}); a later run will retry`,
        );
      }
      if (wait > 0) await clock.sleep(wait);
    },
    async holdFor(ms) {
      if (!(ms > 0)) return;
      try {
        await (await stubFor()).hold(ms);
      } catch (error) {
        // The caller that was told to wait still waits; only the others may not hear of it this time.
        log.warn("pace.hold_failed", { vendor: options.vendor, error: describe(error), ms });
      }
    },
  };
}
