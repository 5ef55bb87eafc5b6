// Owns how the scripts call the Worker's admin API, for every client of it (admin.ts, setup/api.ts): the
// admin token as a bearer, a JSON body, over lib/http.ts (http or https, a long time limit), and the
// answer checked with zod, so a moved field fails here by name. A refusal comes back as `Refused` with the
// API's code, its "path: message" problems and its fixes (a 401 explained, never the token); a route the
// Worker does not have yet as `MissingRoute`; no answer at all names the Worker it could not reach.
import { z } from "zod";
import { NoAnswer, request } from "./http";
import { ScriptError } from "./run";

const problemSchema = z.looseObject({
  error: z.string(),
  problems: z.array(z.string()),
  /** What a person does about it, one sentence each, when the route says. */
  fixes: z.array(z.string()).optional(),
});

/** A refusal a script explains: HTTP status, the API's error code and its "path: message" problems. */
export class Refused extends ScriptError {
  constructor(
    readonly what: string,
    readonly status: number,
    readonly code: string | null,
    readonly problems: string[],
    readonly fixes: string[] = [],
  ) {
    super(`${what} was refused (HTTP ${status})${problems.map((line) => `\n    - ${line}`).join("")}`);
  }
}

/** The Worker is older than this script: it does not know the route. */
export class MissingRoute extends ScriptError {}

/** The JSON in `text`, or undefined when it is not JSON (an error page, a crash). */
export function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parse<S extends z.ZodType>(schema: S, text: string, what: string): z.infer<S> {
  const json = jsonOf(text);
  if (json === undefined) {
    throw new ScriptError(
      `${what}: the Worker answered with something that is not JSON: ${text.slice(0, 200)}`,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ScriptError(`${what}: unexpected answer from the Worker (${issues.slice(0, 5).join("; ")})`);
  }
  return parsed.data;
}

function refusal(workerUrl: string, what: string, path: string, status: number, text: string): ScriptError {
  if (status === 401) {
    return new Refused(what, 401, "unauthorized", [
      "ADMIN_TOKEN: the Worker refused the admin token; set the one the Worker has (wrangler secret put ADMIN_TOKEN)",
    ]);
  }
  const problem = problemSchema.safeParse(jsonOf(text));
  if (!problem.success) return new Refused(what, status, null, [text.slice(0, 300)]);
  if (status === 404 && problem.data.problems.some((line) => line.endsWith("no such route"))) {
    return new MissingRoute(
      `${what}: the Worker at ${workerUrl} does not have ${path.split("?")[0]} yet; deploy this version first (npm run deploy)`,
    );
  }
  return new Refused(what, status, problem.data.error, problem.data.problems, problem.data.fixes ?? []);
}

/** One call: `what` names it in every error ("checking the pairs"); `body` goes as JSON. */
export type AdminCall = <S extends z.ZodType>(
  what: string,
  method: string,
  path: string,
  schema: S,
  body?: unknown,
) => Promise<z.infer<S>>;

export function adminCall(
  workerUrl: string,
  adminToken: string,
  options: { /** Per call; the default is lib/http.ts's. */ timeoutMs?: number } = {},
): AdminCall {
  const headers = {
    Authorization: `Bearer ${adminToken}`,
    "Content-Type": "application/json",
    // As fetch would: a zone with Cloudflare's browser integrity check turns away a request without one.
    "User-Agent": "one-on-one-agendas-scripts",
  };
  return async (what, method, path, schema, body) => {
    let answer: Awaited<ReturnType<typeof request>>;
    try {
      answer = await request(`${workerUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      });
    } catch (error) {
      const reason =
        error instanceof NoAnswer ? error.reason : error instanceof Error ? error.message : String(error);
      throw new ScriptError(`${what}: could not reach ${workerUrl} (${reason})`, { cause: error });
    }
    if (answer.status < 200 || answer.status >= 300)
      throw refusal(workerUrl, what, path, answer.status, answer.text);
    return parse(schema, answer.text, what);
  };
}
