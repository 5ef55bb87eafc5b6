// Owns the set-up's calls to the Worker's admin API: the set-up routes (check a pair before it is stored,
// create a Notion database, name the Google service account), storing the pair, a run (dry or real) of
// one pair, and the console's one-time sign-in link. Through the scripts' one admin call (admin-call.ts),
// so every answer is checked with zod, and a refusal's problems come back as lines, never the token.
import { z } from "zod";
import { adminCall, MissingRoute, Refused } from "../admin-call";
import { type PairCheckRow, pairCheckRowSchema } from "../check-row";

const createdDatabaseSchema = z.object({ databaseId: z.string(), dataSourceId: z.string(), url: z.string() });
const googleSchema = z.object({ serviceAccountEmail: z.string().nullable() });
const signInLinkSchema = z.object({ url: z.string(), expiresAt: z.string() });

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
const agendaSchema = z.looseObject({
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

export function setupApi(workerUrl: string, adminToken: string): SetupApi {
  const call = adminCall(workerUrl, adminToken, { timeoutMs: 180_000 });

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
