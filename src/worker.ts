// The Worker's handlers, built around one clock: the HTTP app, the cron trigger that plans the agendas
// that are due and hands them to the work queue, and the queue handler (the work queue's consumer, and
// the dead-letter queue's recorder). What is due goes by the scheduled event's time, so any moment can
// be replayed (`/cdn-cgi/local/scheduled?time=<ms>`); what is about real elapsed time (claims' leases,
// retries, the outbox's expiry) goes by the clock, which tests replace with their own.
import { createApp } from "./app";
import { parseEnv } from "./env";
import { consumeWork } from "./jobs/consume";
import { recordDeadLetters } from "./jobs/dead-letters";
import { dispatchTick } from "./jobs/dispatch-tick";
import { withBudget } from "./lib/budget";
import type { Runtime, RuntimeOptions } from "./runtime";
import { createRuntime } from "./runtime";

export interface WorkerOptions {
  /** The real clock; `Date.now` unless a test gives its own. */
  clock?: RuntimeOptions["clock"];
  /** Handle work where it is sent, bound queue or not (tests); see RuntimeOptions. */
  inlineWork?: boolean;
}

export function createWorker(options: WorkerOptions = {}) {
  // Bindings are fixed for an isolate's life, so parse them and build the runtime once per env object.
  const runtimes = new WeakMap<Env, Runtime>();
  const runtimeFor = (env: Env): Runtime => {
    let runtime = runtimes.get(env);
    if (!runtime) {
      runtime = createRuntime(parseEnv(env), {
        ...(options.clock === undefined ? {} : { clock: options.clock }),
        ...(options.inlineWork === undefined ? {} : { inlineWork: options.inlineWork }),
      });
      runtimes.set(env, runtime);
    }
    return runtime;
  };
  const app = createApp(runtimeFor);
  return {
    fetch: app.fetch,
    async scheduled(controller, env) {
      const runtime = runtimeFor(env);
      // Each invocation's subrequests and D1 queries are counted and logged (lib/budget.ts).
      await withBudget("scheduled", runtime.log, () => dispatchTick(runtime, controller.scheduledTime));
    },
    async queue(batch, env) {
      const runtime = runtimeFor(env);
      await withBudget("queue", runtime.log, async () => {
        if (batch.queue === runtime.config.deadLetterQueue) await recordDeadLetters(runtime, batch.messages);
        else await consumeWork(runtime, batch.messages);
      });
    },
  } satisfies ExportedHandler<Env>;
}
