// The console under /console: server-rendered pages over the same stores the admin API reads, plain HTML
// forms, no client script. Order matters: the stylesheet is public, Access (when set) guards everything
// else, the origin check guards every POST,
// sign-in comes before the viewer check, and every page after it needs a viewer (and a POST its _csrf).
import { Hono } from "hono";
import type { Runtime } from "../runtime";
import { accessGate, originCheck, requireViewer, signInRoutes, signOutRoutes } from "./auth";
import type { ConsoleEnv } from "./context";
import { deadLetterPageRoutes } from "./dead-letters";
import { deliveryPageRoutes } from "./deliveries";
import { doctorPageRoutes } from "./doctor";
import { failureRoutes } from "./failures";
import { pairPageRoutes } from "./pair";
import { pairListRoutes } from "./pairs";
import { previewRoutes } from "./preview";
import { rollupPageRoutes } from "./rollups";
import { STYLE } from "./style";

export function consoleRoutes(runtimeFor: (env: Env) => Runtime) {
  const app = new Hono<ConsoleEnv>();
  app.get("/style.css", (c) =>
    c.body(STYLE, 200, {
      "Content-Type": "text/css; charset=utf-8",
      "Cache-Control": "public, max-age=31536000, immutable",
    }),
  );
  app.use("*", async (c, next) => {
    c.set("runtime", runtimeFor(c.env));
    await next();
    // Pages show the state of the moment and, behind sign-in, are nobody else's to keep.
    if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
    c.res.headers.set("X-Frame-Options", "DENY");
    c.res.headers.set(
      "Content-Security-Policy",
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    c.res.headers.set("Referrer-Policy", "same-origin");
    c.res.headers.set("X-Content-Type-Options", "nosniff");
  });
  app.use("*", accessGate());
  app.use("*", originCheck());
  app.route("/", signInRoutes);
  app.use("*", requireViewer());
  app.route("/", signOutRoutes);
  app.route("/", pairListRoutes);
  app.route("/", pairPageRoutes);
  app.route("/", previewRoutes);
  app.route("/", failureRoutes);
  app.route("/", deliveryPageRoutes);
  app.route("/", deadLetterPageRoutes);
  app.route("/", rollupPageRoutes);
  app.route("/", doctorPageRoutes);
  return app;
}
