// Set-up's routes, which work before (or without) a stored pair: check a pair as it would be stored,
// create a Notion database for agendas under a page shared with the integration, and name the Google
// service account to share documents and folders with.
import { Hono } from "hono";
import * as z from "zod";
import { pairSchema } from "../config/pair";
import { parseServiceAccountKey } from "../destinations/google";
import { createAgendaDatabase } from "../destinations/notion/check";
import {
  DEFAULT_NOTION_TOKEN_SECRET,
  normalizeNotionId,
  tokenSecretSchema,
} from "../destinations/notion/config";
import { checkPair } from "../jobs/doctor";
import { describeIssues } from "../lib/issues";
import type { AppEnv } from "./context";
import { problem, readJson } from "./http";

const checkBody = z.strictObject({
  pair: z
    .unknown()
    .refine((value) => value !== undefined, "is required: a pair as POST /admin/pairs takes it"),
});

const databaseBody = z.strictObject({
  parentPageId: z
    .string({ error: "must be the id of a Notion page shared with the integration" })
    .max(200, "must be a Notion page id")
    .transform((value, ctx) => {
      // A page's address ends with its id; people paste either.
      const id =
        normalizeNotionId(value.trim().split(/[?#]/)[0]?.slice(-32) ?? "") ?? normalizeNotionId(value);
      if (id === null) {
        ctx.addIssue({
          code: "custom",
          message: "must be a Notion page id: 32 hex characters, with or without dashes",
        });
        return z.NEVER;
      }
      return id;
    }),
  title: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(200, "must be at most 200 characters")
    .default("1:1 agendas"),
  tokenSecret: tokenSecretSchema.optional(),
});

function googleServiceAccountEmail(key: string | null): string | null {
  if (key === null) return null;
  try {
    return parseServiceAccountKey(key).client_email;
  } catch {
    return null;
  }
}

export const setupRoutes = new Hono<AppEnv>()
  .post("/check", async (c) => {
    const body = await readJson(c, checkBody);
    if (!body.ok) return body.response;
    const parsed = pairSchema.safeParse(body.value.pair);
    if (!parsed.success) return problem(c, 400, "invalid_pair", describeIssues(parsed.error, "pair"));
    return c.json(await checkPair(c.var.runtime, parsed.data));
  })
  .post("/notion-database", async (c) => {
    const body = await readJson(c, databaseBody);
    if (!body.ok) return body.response;
    const secret = body.value.tokenSecret ?? DEFAULT_NOTION_TOKEN_SECRET;
    const client = c.var.runtime.notionClientFor(secret);
    if (client === null) {
      return c.json(
        {
          error: "token_not_set",
          problems: [`tokenSecret: ${secret} is not set`],
          fixes: [`Set ${secret} to the Notion integration's token: wrangler secret put ${secret}.`],
        },
        400,
      );
    }
    const result = await createAgendaDatabase(client, {
      parentPageId: body.value.parentPageId,
      title: body.value.title,
      tokenSecret: secret,
    });
    if (!result.ok) {
      const error = { 403: "forbidden", 404: "page_not_shared", 400: "refused", 502: "notion_unavailable" }[
        result.failure.status
      ];
      return c.json(
        { error, problems: [`parentPageId: ${result.failure.problem}`], fixes: result.failure.fixes },
        result.failure.status,
      );
    }
    return c.json(result.created, 201);
  })
  .get("/google", (c) =>
    c.json({ serviceAccountEmail: googleServiceAccountEmail(c.var.runtime.config.google.serviceAccountKey) }),
  );
