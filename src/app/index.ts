// The Worker's HTTP surface: health, and the admin API behind a bearer token. Routes only parse,
// call a job or a store, and answer; the work lives in jobs/ and store/.
import type { Context } from "hono";
import { Hono } from "hono";
import { MAX_BODY_BYTES, MAX_IMPORT_BODY_BYTES } from "../domain/limits";
import { ConfigError } from "../env";
import { errorMessage } from "../lib/log";
import type { Runtime } from "../runtime";
import { requireBearer } from "./auth";
import { budgetRoutes } from "./budget";
import type { AppEnv } from "./context";
import { deadLetterRoutes } from "./dead-letters";
import { deliveryRoutes } from "./deliveries";
import { doctorRoutes } from "./doctor";
import { limitBody } from "./http";
import { meetingRoutes } from "./meetings";
import { answerOtherMethods } from "./methods";
import { notionWebhookAdminRoutes, notionWebhookRoutes } from "./notion-webhooks";
import { pairRoutes } from "./pairs";
import { rollupRoutes } from "./rollups";
import { runRoutes } from "./run";
import { setupRoutes } from "./setup";
import { tickRoutes } from "./ticks";

export function createApp(runtimeFor: (env: Env) => Runtime) {
  const app = new Hono<AppEnv>();

  app.onError((error, c) => {
    if (error instanceof ConfigError) {
      return c.json({ error: "misconfigured", problems: error.problems }, 503);
    }
    // Unexpected errors are logged, message included, through the runtime's logger, which redacts every
    // secret; the caller sees no internals. Without a runtime (it failed to build) only the name is safe.
    const fields = { method: c.req.method, path: c.req.path, name: error.name };
    const runtime = c.get("runtime");
    if (runtime) runtime.log.error("http.error", { ...fields, message: errorMessage(error) });
    else console.error(JSON.stringify({ level: "error", event: "http.error", ...fields }));
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
  admin.use(
    "*",
    limitBody((c) => (c.req.path === "/admin/pairs/import" ? MAX_IMPORT_BODY_BYTES : MAX_BODY_BYTES)),
  );
  admin.route("/pairs", pairRoutes);
  admin.route("/deliveries", deliveryRoutes);
  admin.route("/dead-letters", deadLetterRoutes);
  admin.route("/rollups", rollupRoutes);
  admin.route("/run", runRoutes);
  admin.route("/ticks", tickRoutes);
  admin.route("/budget", budgetRoutes);
  admin.route("/meetings", meetingRoutes);
  admin.route("/notion-webhooks", notionWebhookAdminRoutes);
  admin.route("/doctor", doctorRoutes);
  admin.route("/setup", setupRoutes);
  app.route("/admin", admin);
  app.route("/webhooks/notion", notionWebhookRoutes(runtimeFor));

  const notFound = (c: Context<AppEnv>) =>
    c.json({ error: "not_found", problems: [`${c.req.method} ${c.req.path}: no such route`] }, 404);
  answerOtherMethods(app, notFound);
  app.notFound(notFound);
  return app;
}
