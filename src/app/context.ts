// The Hono environment shared by every route: the Worker's bindings and the runtime built from them.
import type { Runtime } from "../runtime";

export interface AppEnv {
  Bindings: Env;
  Variables: { runtime: Runtime };
}
