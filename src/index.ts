// Worker entry: the HTTP app, and the cron trigger that prepares the agendas that are due. "Now" is
// always the scheduled event's time, so any moment can be replayed (`/cdn-cgi/local/scheduled?time=<ms>`).
import { createApp } from "./app";
import { parseEnv } from "./env";
import { runTick } from "./jobs/run-tick";
import type { Runtime } from "./runtime";
import { createRuntime } from "./runtime";

// Bindings are fixed for an isolate's life, so parse them and build the runtime once per env object.
const runtimes = new WeakMap<Env, Runtime>();

function runtimeFor(env: Env): Runtime {
  let runtime = runtimes.get(env);
  if (!runtime) {
    runtime = createRuntime(parseEnv(env));
    runtimes.set(env, runtime);
  }
  return runtime;
}

const app = createApp(runtimeFor);

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    await runTick(runtimeFor(env), { nowMs: controller.scheduledTime, runId: crypto.randomUUID() });
  },
} satisfies ExportedHandler<Env>;
