// Owns the shape of a pair's Notion destination as a person writes it (admin API, bulk import), and the
// normalisation of Notion ids, so that everything past this gate sees one canonical id form.
import * as z from "zod";
import { MAX_ID_INPUT_LENGTH, MAX_SECRET_NAME_LENGTH } from "../../domain/limits";
import { RESERVED_BINDING_NAMES } from "../../domain/reserved-names";

/** The Worker secret holding the integration token of a pair that names none. */
export const DEFAULT_NOTION_TOKEN_SECRET = "NOTION_TOKEN";

const DASHED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNDASHED = /^[0-9a-f]{32}$/i;

/**
 * A Notion id as a lower-case dashed UUID, or null when `value` is not a Notion id. Notion shows ids
 * without dashes in URLs and with dashes in the API; people paste either, and comparisons need one form.
 */
export function normalizeNotionId(value: string): string | null {
  const trimmed = value.trim();
  if (!DASHED.test(trimmed) && !UNDASHED.test(trimmed)) return null;
  const hex = trimmed.replaceAll("-", "").toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function notionId(field: string) {
  return z
    .string({ error: `${field} must be a string` })
    .max(MAX_ID_INPUT_LENGTH, { error: `${field} must be a Notion id`, abort: true })
    .transform((value, ctx) => {
      const id = normalizeNotionId(value);
      if (id === null) {
        ctx.addIssue({
          code: "custom",
          message: `${field} must be a Notion id: 32 hex characters, with or without dashes`,
        });
        return z.NEVER;
      }
      return id;
    });
}

function propertyName(field: string) {
  return z
    .string({ error: `${field} must be a string` })
    .trim()
    .min(1, `${field} must name a property of the data source`)
    .max(200, `${field} must be at most 200 characters`);
}

// The NAME of the Worker secret holding this pair's integration token, never the token: the shape check
// comes first and alone, so a token pasted by mistake is not echoed by the later checks.
export const tokenSecretSchema = z
  .string({ error: "tokenSecret must be the NAME of a Worker secret" })
  .regex(/^[A-Z][A-Z0-9_]*$/, {
    error: "tokenSecret must be the NAME of a Worker secret (upper case), never the token itself",
    abort: true,
  })
  .max(MAX_SECRET_NAME_LENGTH, `tokenSecret must be at most ${MAX_SECRET_NAME_LENGTH} characters`)
  .refine((name) => name === DEFAULT_NOTION_TOKEN_SECRET || !RESERVED_BINDING_NAMES.has(name), {
    error: (issue) =>
      `tokenSecret must not name ${String(issue.input)}, a binding the Worker itself uses; name NOTION_TOKEN or a secret of the integration's own`,
  });

const pairPropertySchema = z.strictObject(
  {
    name: propertyName("pairProperty.name"),
    type: z
      .enum(["rich_text", "select"], { error: 'pairProperty.type must be "rich_text" or "select"' })
      .default("rich_text"),
    /** Defaults to the pair id when omitted. */
    value: z
      .string({ error: "pairProperty.value must be a string" })
      .trim()
      .min(1, "pairProperty.value must not be empty")
      .max(100, "pairProperty.value must be at most 100 characters")
      .optional(),
  },
  { error: "pairProperty must be an object with name, type and value" },
);

/**
 * A pair's Notion destination. Give `dataSourceId` (preferred: no lookup needed) or `databaseId` (resolved
 * to its single data source once per isolate). `pairProperty` lets several pairs share one database: each
 * pair's agendas are told apart by that property's value. `tokenSecret` names the Worker secret holding
 * the integration token the pair writes with (NOTION_TOKEN by default).
 */
export const notionDestinationSchema = z
  .strictObject({
    kind: z.literal("notion", { error: 'kind must be "notion"' }),
    dataSourceId: notionId("dataSourceId").optional(),
    databaseId: notionId("databaseId").optional(),
    titleProperty: propertyName("titleProperty").default("Name"),
    dateProperty: propertyName("dateProperty").default("Date"),
    pairProperty: pairPropertySchema.optional(),
    /**
     * The Worker secret holding the token of the integration this pair writes with (NOTION_TOKEN when
     * omitted): pairs spread over several integrations each get that integration's own rate limit.
     */
    tokenSecret: tokenSecretSchema.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.dataSourceId === undefined && value.databaseId === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["dataSourceId"],
        message: "dataSourceId or databaseId is required (the Notion database holding this pair's agendas)",
      });
    }
    // With both, nothing says which one is meant when they name different databases.
    if (value.dataSourceId !== undefined && value.databaseId !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["databaseId"],
        message: "give dataSourceId or databaseId, not both",
      });
    }
    // One property cannot hold the title, the date and the pair at once; catching it here beats a
    // confusing validation_error from Notion at the first run.
    if (value.titleProperty === value.dateProperty) {
      ctx.addIssue({
        code: "custom",
        path: ["dateProperty"],
        message: "dateProperty must name a different property than titleProperty",
      });
    }
    const pairName = value.pairProperty?.name;
    if (pairName !== undefined && (pairName === value.titleProperty || pairName === value.dateProperty)) {
      ctx.addIssue({
        code: "custom",
        path: ["pairProperty", "name"],
        message: "pairProperty.name must name a different property than titleProperty and dateProperty",
      });
    }
  });

/** A parsed Notion destination: ids normalised, defaults applied. */
export type NotionDestinationConfig = z.output<typeof notionDestinationSchema>;
/** A Notion destination as a person writes it. */
export type NotionDestinationInput = z.input<typeof notionDestinationSchema>;
