// Bearer-token guard for the admin API. Both sides are hashed before the constant-time comparison, so
// neither the token's bytes nor its length leak through timing.
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./context";
import { problem } from "./http";

async function sha256(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
}

/** True when `given` equals `expected`, in time that does not depend on where they differ. */
export async function tokensMatch(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256(given), sha256(expected)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

export function requireBearer(expected: (c: Context<AppEnv>) => string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("Authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match?.[1]) {
      c.header("WWW-Authenticate", 'Bearer realm="admin"');
      return problem(c, 401, "unauthorized", ["Authorization: missing bearer token"]);
    }
    if (!(await tokensMatch(match[1].trim(), expected(c)))) {
      c.header("WWW-Authenticate", 'Bearer realm="admin", error="invalid_token"');
      return problem(c, 401, "unauthorized", ["Authorization: wrong bearer token"]);
    }
    await next();
  };
}
