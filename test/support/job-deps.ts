// What a job takes, for tests that call a job directly: real D1 stores, the test's clock, a logger that
// keeps its events, one destination for every pair, and a work queue that records what was handed out
// and, when asked, handles it at once through the queue consumer (as the Worker's inline queue does).
import { env } from "cloudflare:workers";
import type { Pair } from "../../src/config/pair";
import { pairSchema } from "../../src/config/pair";
import type { Destination } from "../../src/destinations/types";
import { consumeWork } from "../../src/jobs/consume";
import type { DispatchDeps } from "../../src/jobs/dispatch-tick";
import type { TickDeps } from "../../src/jobs/run-tick";
import type { WorkEnvelope, WorkMessage } from "../../src/jobs/work";
import { inlineQueue } from "../../src/jobs/work";
import { createLogger } from "../../src/lib/log";
import { ChangeSignalStore } from "../../src/store/change-signals";
import { DeadLetterStore } from "../../src/store/dead-letters";
import { DeliveryStore } from "../../src/store/deliveries";
import { MeetingStore } from "../../src/store/meetings";
import { PairStore } from "../../src/store/pairs";
import { RollupStore } from "../../src/store/rollups";
import { SyncWatchStore } from "../../src/store/sync-watch";
import { TickStore } from "../../src/store/ticks";
import { pairInput } from "./pairs";

/** One log line as the job wrote it. */
export interface LogEvent {
  level: string;
  event: string;
  [field: string]: unknown;
}

export interface JobDepsOptions {
  /** The job's real clock (epoch ms); the test moves it. */
  clock(): number;
  destination(pair: Pair): Destination;
  /** Hand what is sent to the queue consumer at once; otherwise it is only recorded. */
  handleWork?: boolean;
  /** Make `work.send` fail, as a queue that refuses does. */
  refuseWork?: boolean;
}

export interface JobTestDeps extends DispatchDeps, TickDeps {
  deadLetters: DeadLetterStore;
  /** Every message handed to the work queue, in order. */
  sent: WorkMessage[];
  events: LogEvent[];
}

export function jobDeps(options: JobDepsOptions): JobTestDeps {
  const events: LogEvent[] = [];
  const sent: WorkMessage[] = [];
  const inline = inlineQueue((batch) => consumeWork(deps, batch));
  const deps: JobTestDeps = {
    sent,
    events,
    log: createLogger({
      level: "debug",
      secrets: [],
      sink: (line) => events.push(JSON.parse(line) as LogEvent),
    }),
    clock: () => options.clock(),
    pairs: new PairStore(env.DB),
    meetings: new MeetingStore(env.DB),
    deliveries: new DeliveryStore(env.DB),
    rollups: new RollupStore(env.DB),
    deadLetters: new DeadLetterStore(env.DB),
    ticks: new TickStore(env.DB),
    syncWatch: new SyncWatchStore(env.DB),
    signals: new ChangeSignalStore(env.DB),
    secret: () => undefined,
    binding: () => undefined,
    allowPrivateDigestHosts: false,
    destinationFor: (pair) => options.destination(pair),
    work: {
      async send(messages) {
        if (options.refuseWork === true) throw new Error("the queue refused the batch");
        sent.push(...messages);
        if (options.handleWork === true) await inline.send(messages);
      },
    },
  };
  return deps;
}

/** The log events named `event`. */
export function eventsNamed(deps: { events: readonly LogEvent[] }, event: string): LogEvent[] {
  return deps.events.filter((entry) => entry.event === event);
}

/** A message as the queue hands it over, remembering whether the consumer acked it or asked for a retry. */
export function envelope(body: unknown, attempts = 1): WorkEnvelope & { settled: string[] } {
  const settled: string[] = [];
  return {
    id: crypto.randomUUID(),
    body,
    attempts,
    settled,
    ack: () => settled.push("ack"),
    retry: () => settled.push("retry"),
  };
}

let serial = 0;

/** A valid pair with an id of this test's own (`prefix` names the file), so no two tests share a row. */
export function freshPair(prefix: string, overrides: Parameters<typeof pairInput>[0] = {}): Pair {
  serial += 1;
  const id = `${prefix}-${serial}-${crypto.randomUUID().slice(0, 8)}`;
  return pairSchema.parse(pairInput({ id, ...overrides }));
}
