// Owns the Notion side of the set-up check (the doctor) and of set-up itself: whether a pair's token
// reaches its database or data source, whether that has one data source and the properties the pair
// writes (title, date, pair mark) with the right types; and making a database for agendas under a page.
// The check only reads (a database or data source retrieve): Notion has no call that tests write access
// without writing, so the summary says that the first agenda shows it.
import { APIErrorCode, APIResponseError } from "@notionhq/client";
import type { CheckMemo, CheckResult, DestinationCheck } from "../types";
import { checkOk, checkProblem, checkSkipped, DestinationError } from "../types";
import { type NotionDatabase, type NotionDataSource, notionApi } from "./api";
import type { NotionClient } from "./client";
import { DEFAULT_NOTION_TOKEN_SECRET, type NotionDestinationConfig, normalizeNotionId } from "./config";
import { type ErrorSubject, toDestinationError } from "./errors";

/** The capabilities the Worker needs, as Notion's integration settings name them. */
const CAPABILITIES = "Read content, Insert content and Update content";

/** What a person does about a refused Notion call, by Notion's error code. */
function fixesFor(error: unknown, secret: string, what: string): string[] {
  if (!APIResponseError.isAPIResponseError(error)) return [];
  switch (error.code) {
    case APIErrorCode.ObjectNotFound:
      return [
        `In Notion, open the ${what}, choose ••• → Connections and add the integration whose token is in ${secret}.`,
      ];
    case APIErrorCode.Unauthorized:
      return [`Set ${secret} to the integration's token: wrangler secret put ${secret}.`];
    case APIErrorCode.RestrictedResource:
      return [`Give the integration the ${CAPABILITIES} capabilities (Notion → Settings → Integrations).`];
    default:
      return [];
  }
}

/** A refused look as a problem: the destination's own message, and what a person does about it. */
function refusal(error: unknown, subject: ErrorSubject, secret: string): CheckResult {
  const failure = toDestinationError(error, subject);
  const fixes = fixesFor(error, secret, "database");
  if (fixes.length === 0 && failure.retryable)
    fixes.push("Run the check again later; Notion did not answer.");
  // Our own words say which secret; Notion's unauthorized message names NOTION_TOKEN whatever the pair uses.
  const summary =
    APIResponseError.isAPIResponseError(error) && error.code === APIErrorCode.Unauthorized
      ? `Notion refused the token in ${secret} (unauthorized)`
      : failure.message;
  return checkProblem(summary, fixes.length > 0 ? fixes : [failure.message]);
}

function propertyProblems(
  properties: Readonly<Record<string, { type: string }>>,
  expected: Readonly<Record<string, string>>,
  source: string,
): { problems: string[]; fixes: string[] } {
  const problems: string[] = [];
  const fixes: string[] = [];
  for (const [name, type] of Object.entries(expected)) {
    const actual = properties[name]?.type;
    if (actual === undefined) {
      problems.push(`no property "${name}"`);
      fixes.push(
        type === "title"
          ? `Rename the data source's title property to "${name}", or set titleProperty to its name.`
          : `Add a ${type} property named "${name}" to Notion data source ${source}.`,
      );
    } else if (actual !== type) {
      problems.push(`property "${name}" is a ${actual} property, not ${type}`);
      fixes.push(
        type === "title"
          ? `Set titleProperty to the data source's title property ("${name}" is not it).`
          : `Change the type of "${name}" to ${type} in Notion, or name another ${type} property in the pair.`,
      );
    }
  }
  return { problems, fixes };
}

/**
 * The one data source of the pair's database (one `databases.retrieve`, through `memo`), or the check's
 * answer when there is no database, it cannot be read, or it does not hold exactly one data source.
 */
async function databaseSource(
  client: NotionClient,
  databaseId: string | undefined,
  secret: string,
  memo: CheckMemo,
): Promise<{ dataSourceId: string } | { check: DestinationCheck }> {
  const skipped = checkSkipped("not checked: the destination cannot be reached");
  if (databaseId === undefined) {
    return {
      check: {
        destination: checkProblem("the pair names no dataSourceId or databaseId", [
          "Set dataSourceId (or databaseId) in the pair's destination.",
        ]),
        properties: skipped,
      },
    };
  }
  const subject: ErrorSubject = { kind: "database", id: databaseId };
  let database: NotionDatabase;
  try {
    database = await memo(`notion:${secret}:database:${databaseId}`, () =>
      notionApi(client).retrieveDatabase(databaseId),
    );
  } catch (error) {
    return { check: { destination: refusal(error, subject, secret), properties: skipped } };
  }
  const sources = database.data_sources;
  const [only] = sources;
  if (only !== undefined && sources.length === 1)
    return { dataSourceId: normalizeNotionId(only.id) ?? only.id };
  const choices = sources.map((s) => `${normalizeNotionId(s.id) ?? s.id} ("${s.name ?? ""}")`).join(", ");
  return {
    check: {
      destination: checkOk(`Notion database ${databaseId} is reachable with ${secret}`),
      properties: checkProblem(
        `Notion database ${databaseId} has ${sources.length} data sources; agendas need exactly one`,
        [
          sources.length === 0
            ? "Add a data source (a table) to the database in Notion, or name another database."
            : `Set dataSourceId instead of databaseId, to one of: ${choices}.`,
        ],
      ),
    },
  };
}

/** The set-up check of one pair's Notion destination; see the file header. */
export async function checkNotionDestination(
  client: NotionClient,
  config: NotionDestinationConfig,
  pairId: string,
  memo: CheckMemo,
): Promise<DestinationCheck> {
  const secret = config.tokenSecret ?? DEFAULT_NOTION_TOKEN_SECRET;
  const skipped = checkSkipped("not checked: the destination cannot be reached");
  let source = config.dataSourceId;
  let oneSource: string | null = null;
  if (source === undefined) {
    const found = await databaseSource(client, config.databaseId, secret, memo);
    if ("check" in found) return found.check;
    source = found.dataSourceId;
    oneSource = `, its one data source ${source}`;
  }
  const dataSourceId = source;
  const subject: ErrorSubject = { kind: "data source", id: dataSourceId };
  let dataSource: NotionDataSource;
  try {
    dataSource = await memo(`notion:${secret}:data-source:${dataSourceId}`, () =>
      notionApi(client).retrieveDataSource(dataSourceId),
    );
  } catch (error) {
    return { destination: refusal(error, subject, secret), properties: skipped };
  }
  const where =
    config.databaseId === undefined
      ? `Notion data source ${dataSourceId}`
      : `Notion database ${config.databaseId}`;
  if (dataSource.in_trash === true) {
    return {
      destination: checkProblem(`${where} is in the trash`, ["Restore the database from Notion's trash."]),
      properties: skipped,
    };
  }
  const destination = checkOk(`${where}${oneSource ?? ""} is readable with ${secret}`);
  const expected: Record<string, string> = {
    [config.titleProperty]: "title",
    [config.dateProperty]: "date",
    ...(config.pairProperty === undefined ? {} : { [config.pairProperty.name]: config.pairProperty.type }),
  };
  const { problems, fixes } = propertyProblems(dataSource.properties, expected, dataSourceId);
  if (problems.length > 0) {
    return { destination, properties: checkProblem(`${where}: ${problems.join("; ")}`, fixes) };
  }
  const names = Object.entries(expected)
    .map(([name, type]) => `${name} (${type})`)
    .join(", ");
  const mark =
    config.pairProperty === undefined ? "" : `, agendas marked "${config.pairProperty.value ?? pairId}"`;
  return {
    destination,
    properties: checkOk(
      `${names} present${mark}; write access is not tested (Notion has no harmless way to), the first agenda shows it`,
    ),
  };
}

/** The database set-up makes for agendas: the properties the Notion destination writes by default. */
const AGENDA_DATABASE_PROPERTIES = {
  Name: { title: {} },
  Date: { date: {} },
  Pair: { rich_text: {} },
} as const;

export interface CreatedDatabase {
  databaseId: string;
  dataSourceId: string;
  url: string;
}

/** Why creating the database failed, with what a person does about it and whether it was their page. */
export interface CreateDatabaseFailure {
  status: 403 | 404 | 400 | 502;
  problem: string;
  fixes: string[];
}

/**
 * Creates a database for agendas under `parentPageId` (one `databases.create`): `Name` (title), `Date`
 * (date) and `Pair` (rich_text), so several pairs can share it, each marking its agendas in `Pair`.
 */
export async function createAgendaDatabase(
  client: NotionClient,
  options: { parentPageId: string; title: string; tokenSecret: string },
): Promise<{ ok: true; created: CreatedDatabase } | { ok: false; failure: CreateDatabaseFailure }> {
  const subject: ErrorSubject = { kind: "page", id: options.parentPageId };
  try {
    const database = await notionApi(client).createDatabase({
      parent: { type: "page_id", page_id: options.parentPageId },
      title: [{ type: "text", text: { content: options.title } }],
      initial_data_source: { properties: AGENDA_DATABASE_PROPERTIES },
    });
    const [source] = database.data_sources;
    if (source === undefined)
      throw new DestinationError("Notion created a database without a data source", false);
    return {
      ok: true,
      created: {
        databaseId: normalizeNotionId(database.id) ?? database.id,
        dataSourceId: normalizeNotionId(source.id) ?? source.id,
        url: database.url,
      },
    };
  } catch (error) {
    const failure = toDestinationError(error, subject);
    const code = APIResponseError.isAPIResponseError(error) ? error.code : null;
    const status =
      code === APIErrorCode.ObjectNotFound
        ? 404
        : code === APIErrorCode.RestrictedResource || code === APIErrorCode.Unauthorized
          ? 403
          : failure.retryable
            ? 502
            : 400;
    const fixes = fixesFor(error, options.tokenSecret, "page");
    return {
      ok: false,
      failure: {
        status,
        problem:
          code === APIErrorCode.Unauthorized
            ? `Notion refused the token in ${options.tokenSecret} (unauthorized)`
            : failure.message,
        fixes: fixes.length > 0 ? fixes : [failure.retryable ? "Try again later." : failure.message],
      },
    };
  }
}
