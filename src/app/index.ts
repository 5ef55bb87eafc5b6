// The Worker's HTTP surface: health, and the admin API behind a bearer token. Routes only parse,
// call a job or a store, and answer; the work lives in jobs/ and store/.
import { Hono } from "hono";
import { ConfigError } from "../env";
import type { Runtime } from "../runtime";
import { requireBearer } from "./auth";
import type { AppEnv } from "./context";
import { deliveryRoutes } from "./deliveries";
import { pairRoutes } from "./pairs";
import { rollupRoutes } from "./rollups";
import { runRoutes } from "./run";

export function createApp(runtimeFor: (env: Env) => Runtime) {
  const app = new Hono<AppEnv>();

  app.onError((error, c) => {
    if (error instanceof ConfigError) {
      return c.json({ error: "misconfigured", problems: error.problems }, 503);
    }
    // Unexpected errors are logged with redaction by the runtime's logger; the caller sees no internals.
    console.error(JSON.stringify({ level: "error", event: "http.error", name: error.name }));
    return c.json({ error: "internal_error", problems: ["the Worker failed; see its logs"] }, 500);
  });

  app.get("/health", (c) => {
    try {
      runtimeFor(c.env);
      return c.json({ status: "ok" });
    } catch (error) {
      if (error instanceof ConfigError)
        return c.json({ status: "misconfigured", problems: error.problems }, 503);
      throw error;
    }
  });

  const admin = new Hono<AppEnv>();
  admin.use("*", async (c, next) => {
    c.set("runtime", runtimeFor(c.env));
    await next();
  });
  admin.use(
    "*",
    requireBearer((c) => c.var.runtime.config.adminToken),
  );
  admin.route("/pairs", pairRoutes);
  admin.route("/deliveries", deliveryRoutes);
  admin.route("/rollups", rollupRoutes);
  admin.route("/run", runRoutes);
  app.route("/admin", admin);

  app.notFound((c) =>
    c.json({ error: "not_found", problems: [`${c.req.method} ${c.req.path}: no such route`] }, 404),
  );
  return app;
}
