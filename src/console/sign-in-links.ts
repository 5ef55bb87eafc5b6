// POST /admin/console/sign-in-links (admin bearer): a one-time link into the console, for a person who
// has the admin token in a terminal but should not paste it into a browser (`npm start -- --serve` prints
// one). The code is random, kept hashed, good once for ten minutes.
import { Hono } from "hono";
import type { AppEnv } from "../app/context";
import { problem } from "../app/http";
import { randomToken } from "./session";

const SIGN_IN_LINK_MS = 10 * 60 * 1000;

export const signInLinkRoutes = new Hono<AppEnv>().post("/", async (c) => {
  const runtime = c.var.runtime;
  if (runtime.config.access !== null) {
    return problem(c, 409, "behind_access", [
      "console: it is behind Cloudflare Access (ACCESS_TEAM_DOMAIN is set); sign in through Access instead",
    ]);
  }
  const code = randomToken(32);
  const now = runtime.clock();
  const expiresAt = now + SIGN_IN_LINK_MS;
  await runtime.signInLinks.add(code, now, expiresAt);
  runtime.log.info("console.sign_in_link_created", { expiresAt: new Date(expiresAt).toISOString() });
  return c.json(
    {
      url: `${new URL(c.req.url).origin}/console/sign-in/${code}`,
      expiresAt: new Date(expiresAt).toISOString(),
    },
    201,
  );
});
