// Owns the set-up's calls to the Worker's admin API: the set-up routes (check a pair before it is stored,
// create a Notion database, name the Google service account), storing the pair, a run (dry or real) of
// one pair, and the console's one-time sign-in link. Over fetch, so a deployed Worker's https works; every
// answer is checked with zod, and a refusal's problems come back as lines, never the token.
import { z } from "zod";
import { ScriptError } from "../run";

const checkResultSchema = z.object({
  status: z.enum(["ok", "problem", "skipped"]),
  summary: z.string(),
  fixes: z.array(z.string()),
});
export const pairCheckRowSchema = z.looseObject({
  pairId: z.string(),
  destination: checkResultSchema,
  properties: checkResultSchema,
  channels: checkResultSchema,
  nextMeeting: z.object({ date: z.string(), startsAt: z.string() }).nullable(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;
export type PairCheckRow = z.infer<typeof pairCheckRowSchema>;

const createdDatabaseSchema = z.object({ databaseId: z.string(), dataSourceId: z.string(), url: z.string() });
const googleSchema = z.object({ serviceAccountEmail: z.string().nullable() });
const signInLinkSchema = z.object({ url: z.string(), expiresAt: z.string() });
const problemSchema = z.looseObject({
  error: z.string(),
  problems: z.array(z.string()),
  /** What a person does about it, one sentence each, when the route says. */
  fixes: z.array(z.string()).optional(),
});

const richTextSchema = z.array(z.looseObject({ text: z.string() }));
export interface AgendaBlock {
  kind: string;
  level?: number;
  text?: { text: string }[];
  checked?: boolean;
  children?: AgendaBlock[];
}
const blockSchema: z.ZodType<AgendaBlock> = z.lazy(() =>
  z.looseObject({
    kind: z.string(),
    level: z.number().optional(),
    text: richTextSchema.optional(),
    checked: z.boolean().optional(),
    children: z.array(blockSchema).optional(),
  }),
);
export const agendaSchema = z.looseObject({
  title: z.string(),
  intro: z.array(blockSchema),
  sections: z.array(
    z.looseObject({
      heading: richTextSchema,
      level: z.number(),
      role: z.string().nullable(),
      blocks: z.array(blockSchema),
    }),
  ),
});
export type AgendaView = z.infer<typeof agendaSchema>;

const outcomeSchema = z.discriminatedUnion("status", [
  z.looseObject({
    status: z.literal("dry-run"),
    key: z.string(),
    agenda: agendaSchema,
    carried: z.array(z.unknown()),
    existingUrl: z.string().nullable(),
  }),
  z.looseObject({ status: z.enum(["created", "found"]), key: z.string(), agendaUrl: z.string() }),
  z.looseObject({ status: z.literal("skipped"), key: z.string(), reason: z.string() }),
  z.looseObject({ status: z.literal("lost"), key: z.string(), reason: z.string() }),
  z.looseObject({ status: z.literal("failed"), key: z.string(), error: z.string() }),
]);
export type RunOutcome = z.infer<typeof outcomeSchema>;
const runSchema = z.looseObject({
  invalidPairs: z.array(z.object({ id: z.string(), problems: z.array(z.string()) })),
  outcomes: z.array(outcomeSchema),
});

const meetingsSchema = z.object({
  meetings: z.array(
    z.looseObject({ key: z.string(), agendaId: z.string().nullable(), agendaUrl: z.string().nullable() }),
  ),
});

/** A refusal the set-up explains: HTTP status, the API's error code and its "path: message" problems. */
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

export interface SetupApi {
  /** `POST /admin/setup/check`: the checks for a pair that is not stored. */
  check(pair: unknown): Promise<PairCheckRow>;
  createNotionDatabase(body: {
    parentPageId: string;
    title: string;
    tokenSecret?: string;
  }): Promise<z.infer<typeof createdDatabaseSchema>>;
  serviceAccountEmail(): Promise<string | null>;
  /** `POST /admin/pairs`; with `replace`, `PUT` over a pair of the same id. Answers whether one was replaced. */
  storePair(pair: { id: string }, replace: boolean): Promise<"created" | "replaced">;
  run(pairId: string, atMs: number, dryRun: boolean): Promise<RunOutcome[]>;
  /** The agenda's id in its destination, for the local emulators' views. */
  agendaId(pairId: string, key: string): Promise<string | null>;
  /** `POST /admin/console/sign-in-links`; null when this Worker has no console yet. */
  signInLink(): Promise<string | null>;
}

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function setupApi(workerUrl: string, adminToken: string): SetupApi {
  const call = async <S extends z.ZodType>(
    what: string,
    method: string,
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.infer<S>> => {
    let response: Response;
    try {
      response = await fetch(new URL(path, workerUrl), {
        method,
        headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(180_000),
      });
    } catch (error) {
      throw new ScriptError(
        `${what}: could not reach ${workerUrl} (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    const text = await response.text();
    const json = jsonOf(text);
    if (!response.ok) {
      const problem = problemSchema.safeParse(json);
      if (response.status === 401) {
        throw new Refused(what, 401, "unauthorized", [
          "ADMIN_TOKEN: the Worker refused the admin token; set the one the Worker has (wrangler secret put ADMIN_TOKEN)",
        ]);
      }
      if (
        response.status === 404 &&
        problem.success &&
        problem.data.problems.some((line) => line.endsWith("no such route"))
      ) {
        throw new MissingRoute(
          `${what}: the Worker at ${workerUrl} does not have ${path.split("?")[0]} yet; deploy this version first (npm run deploy)`,
        );
      }
      throw new Refused(
        what,
        response.status,
        problem.success ? problem.data.error : null,
        problem.success ? problem.data.problems : [text.slice(0, 300)],
        problem.success ? (problem.data.fixes ?? []) : [],
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 5)
        .map((issue) => `${issue.path.join(".")}: ${issue.message}`);
      throw new ScriptError(`${what}: unexpected answer from the Worker (${issues.join("; ")})`);
    }
    return parsed.data;
  };

  return {
    check: (pair) => call("checking the pair", "POST", "/admin/setup/check", pairCheckRowSchema, { pair }),
    createNotionDatabase: (body) =>
      call(
        "creating the Notion database",
        "POST",
        "/admin/setup/notion-database",
        createdDatabaseSchema,
        body,
      ),
    serviceAccountEmail: async () =>
      (await call("reading the Google service account", "GET", "/admin/setup/google", googleSchema))
        .serviceAccountEmail,
    storePair: async (pair, replace) => {
      try {
        await call(`storing ${pair.id}`, "POST", "/admin/pairs", z.unknown(), pair);
        return "created";
      } catch (error) {
        if (!(error instanceof Refused && error.status === 409 && error.code === "pair_exists" && replace))
          throw error;
      }
      await call(
        `replacing ${pair.id}`,
        "PUT",
        `/admin/pairs/${encodeURIComponent(pair.id)}`,
        z.unknown(),
        pair,
      );
      return "replaced";
    },
    run: async (pairId, atMs, dryRun) => {
      const result = await call(dryRun ? "the dry run" : "the run", "POST", "/admin/run", runSchema, {
        at: atMs,
        pairId,
        dryRun,
      });
      const invalid = result.invalidPairs.find((entry) => entry.id === pairId);
      if (invalid !== undefined) throw new Refused("the run", 200, "invalid_pair", invalid.problems);
      return result.outcomes;
    },
    agendaId: async (pairId, key) => {
      const { meetings } = await call(
        `reading ${pairId}'s meetings`,
        "GET",
        `/admin/pairs/${encodeURIComponent(pairId)}/meetings`,
        meetingsSchema,
      );
      return meetings.find((meeting) => meeting.key === key)?.agendaId ?? null;
    },
    signInLink: async () => {
      try {
        return (
          await call(
            "making a console sign-in link",
            "POST",
            "/admin/console/sign-in-links",
            signInLinkSchema,
            {},
          )
        ).url;
      } catch (error) {
        if (error instanceof MissingRoute) return null;
        throw error;
      }
    },
  };
}
