// Answers a request whose path is a known route but whose method is not one of that route's: 405 with
// an Allow header, as HTTP asks, instead of the 404 Hono gives. The allowed methods are read from the
// app's own routes, so a route added later is covered without listing it twice.
import type { Context, Hono } from "hono";
import type { AppEnv } from "./context";
import { problem } from "./http";

interface KnownPath {
  pattern: RegExp;
  methods: Set<string>;
}

/** Hono's path syntax as a regular expression: ":name" is one segment; nothing else is special here. */
function patternOf(path: string): RegExp {
  const source = path
    .split("/")
    .map((segment) => (segment.startsWith(":") ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${source}$`);
}

function knownPaths(app: Hono<AppEnv>): KnownPath[] {
  const byPath = new Map<string, Set<string>>();
  for (const route of app.routes) {
    // "ALL" are middleware and catch-alls, which answer any method.
    if (route.method === "ALL") continue;
    const methods = byPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    // Hono answers HEAD with the GET handler.
    if (route.method === "GET") methods.add("HEAD");
    byPath.set(route.path, methods);
  }
  return [...byPath].map(([path, methods]) => ({ pattern: patternOf(path), methods }));
}

/**
 * Registers, after every route of `app`, the handler that answers a known path with an unknown method
 * (405, or 204 to OPTIONS) and anything else with `notFound`. Runs after the routes' middleware (so the
 * admin token is checked first, and an unknown caller learns nothing about the routes).
 */
export function answerOtherMethods(app: Hono<AppEnv>, notFound: (c: Context<AppEnv>) => Response): void {
  let known: KnownPath[] | null = null;
  app.all("*", (c) => {
    known ??= knownPaths(app);
    const allowed = new Set<string>();
    for (const { pattern, methods } of known) {
      if (pattern.test(c.req.path)) for (const method of methods) allowed.add(method);
    }
    if (allowed.size === 0) return notFound(c);
    allowed.add("OPTIONS");
    const allow = [...allowed].sort().join(", ");
    c.header("Allow", allow);
    if (c.req.method === "OPTIONS") return c.body(null, 204);
    return problem(c, 405, "method_not_allowed", [
      `method: ${c.req.method} is not allowed on ${c.req.path}; use ${allow}`,
    ]);
  });
}
