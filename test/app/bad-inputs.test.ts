// Bad input at the admin API, row by row: each is refused with its status and a problem that names where
// it was wrong, and none of them changes what is stored (pairs, roll-ups, meetings, deliveries).
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { pairInput } from "../support/pairs";

const TOKEN = "test-admin-token";
const BASE = "bad-inputs-base";

type Body = string | Record<string, unknown> | unknown[] | ReadableStream<Uint8Array>;

interface Row {
  name: string;
  method: string;
  path: string;
  body?: Body;
  token?: string | null;
  authorization?: string;
  status: number;
  /** The start of one of the answer's problems: the path of what was wrong. */
  problem: string;
}

function send(row: Row): Promise<Response> {
  const headers = new Headers();
  const token = row.token === undefined ? TOKEN : row.token;
  if (row.authorization !== undefined) headers.set("Authorization", row.authorization);
  else if (token !== null) headers.set("Authorization", `Bearer ${token}`);
  let body: BodyInit | undefined;
  if (row.body !== undefined) {
    headers.set("Content-Type", "application/json");
    body =
      typeof row.body === "string" || row.body instanceof ReadableStream
        ? row.body
        : JSON.stringify(row.body);
  }
  return exports.default.fetch(
    new Request(`https://agendas.test/admin${row.path}`, {
      method: row.method,
      headers,
      ...(body === undefined ? {} : { body }),
    }),
  );
}

/** Every row of the tables a refused request must leave alone. */
async function snapshot(): Promise<Record<string, unknown[]>> {
  const tables = ["pairs", "rollups", "meetings", "carried_items", "deliveries"];
  const entries = await Promise.all(
    tables.map(async (table) => {
      const { results } = await env.DB.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all();
      return [table, results] as const;
    }),
  );
  return Object.fromEntries(entries);
}

// ------------------------------------------------------------------------------------------------------
// Inputs
// ------------------------------------------------------------------------------------------------------

const valid = pairInput({ id: "bad-inputs-new" });
const schedule = valid.schedule;
const destination = valid.destination;

/** A pair to create, with `change` applied to a valid one. */
function pair(change: Record<string, unknown>): Record<string, unknown> {
  return { ...valid, ...change };
}
function withSchedule(change: Record<string, unknown>): Record<string, unknown> {
  return pair({ schedule: { ...schedule, ...change } });
}
function withCadence(cadence: Record<string, unknown>): Record<string, unknown> {
  return withSchedule({ cadence });
}
function withDestination(value: Record<string, unknown>): Record<string, unknown> {
  return pair({ destination: value });
}
function withChannels(...digests: unknown[]): Record<string, unknown> {
  return pair({ digests });
}

const slack = { channel: "slack", secret: "TEAM_SLACK_URL" };
const email = {
  channel: "email",
  via: "smtp",
  secret: "DIGEST_SMTP_URL",
  from: { email: "agendas@example.com" },
};
const runningDoc = {
  kind: "google-docs",
  mode: "running-doc",
  documentId: "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
};
const NOTION_ID = "2a3b4c5d-0000-4000-8000-000000000001";

const rollup = {
  manager: { name: "Ada Lovelace", email: "ada.bad@example.com" },
  weekday: "monday",
  time: "08:30",
  timeZone: "Europe/Berlin",
  channels: [slack],
};
const ROLLUP = "/rollups/ada.bad@example.com";

/** `count` email addresses of `length` characters each. */
function addresses(count: number, length = 20): string[] {
  return Array.from({ length: count }, (_, index) => {
    const local = `p${index}-`.padEnd(length - "@example.com".length, "x");
    return `${local}@example.com`;
  });
}

/** A body of `bytes` bytes that is valid JSON, sent with a Content-Length. */
function paddedPair(bytes: number): string {
  const text = JSON.stringify(pair({ padding: "" }));
  return text.replace('"padding":""', `"padding":"${"x".repeat(bytes - text.length)}"`);
}

/** The same body sent in chunks without a Content-Length, as a streaming client would. */
function chunked(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode(" ".repeat(16 * 1024));
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) {
        controller.enqueue(new TextEncoder().encode("{}"));
        controller.close();
        return;
      }
      controller.enqueue(chunk);
      sent += chunk.byteLength;
    },
  });
}

// ------------------------------------------------------------------------------------------------------
// The table
// ------------------------------------------------------------------------------------------------------

const post = (name: string, body: Body, problem: string, status = 400): Row => ({
  name,
  method: "POST",
  path: "/pairs",
  body,
  status,
  problem,
});

const rows: Row[] = [
  // Auth
  { name: "no token", method: "GET", path: "/pairs", token: null, status: 401, problem: "Authorization" },
  {
    name: "wrong token on a valid create",
    method: "POST",
    path: "/pairs",
    body: valid,
    token: "wrong-token-wrong-token",
    status: 401,
    problem: "Authorization",
  },
  {
    name: "basic auth instead of a bearer token",
    method: "POST",
    path: "/pairs/import",
    body: [valid],
    authorization: `Basic ${btoa(`admin:${TOKEN}`)}`,
    status: 401,
    problem: "Authorization",
  },
  {
    name: "token with a suffix",
    method: "POST",
    path: "/run",
    body: {},
    token: `${TOKEN}x`,
    status: 401,
    problem: "Authorization",
  },
  {
    name: "wrong method without a token learns nothing",
    method: "PATCH",
    path: `/pairs/${BASE}`,
    body: {},
    token: null,
    status: 401,
    problem: "Authorization",
  },

  // JSON
  post("body that is not JSON", "{not json", "body"),
  post("a list instead of a pair", "[]", "body"),
  post("null", "null", "body"),
  post("a string", '"ada-bo"', "body"),
  post("a number", "42", "body"),
  {
    name: "PUT with broken JSON",
    method: "PUT",
    path: `/pairs/${BASE}`,
    body: "{",
    status: 400,
    problem: "body",
  },
  {
    name: "PUT with a list",
    method: "PUT",
    path: `/pairs/${BASE}`,
    body: "[1]",
    status: 400,
    problem: "body",
  },
  { name: "run with a list", method: "POST", path: "/run", body: "[]", status: 400, problem: "body" },

  // Unknown fields, at every level
  post("unknown top-level field", pair({ Template: "weekly" }), "Template"),
  post(
    "unknown field in the manager",
    pair({ manager: { ...valid.manager, Email: "x@example.com" } }),
    "manager.Email",
  ),
  post("unknown field in the report", pair({ report: { ...valid.report, role: "report" } }), "report.role"),
  post("misspelt carry field", pair({ carry: { dicussion: true } }), "carry.dicussion"),
  post("email channel with To", withChannels({ ...email, To: ["ada@example.com"] }), "digests.0.To"),
  post(
    "unknown field in from",
    withChannels({ ...email, from: { address: "a@example.com" } }),
    "digests.0.from.address",
  ),
  post(
    "webhook channel with a url",
    withChannels({ ...slack, url: "https://hooks.slack.com/x" }),
    "digests.0.url",
  ),
  post("schedule timezone in lower case", withSchedule({ timezone: "Europe/Berlin" }), "schedule.timezone"),
  post(
    "cadence weekDay",
    withCadence({ kind: "weekly", weekday: "tuesday", weekDay: "monday" }),
    "schedule.cadence.weekDay",
  ),
  post("leadTime hour", withSchedule({ leadTime: { hour: 24 } }), "schedule.leadTime.hour"),
  post(
    "notion dataSource",
    withDestination({ ...destination, dataSource: NOTION_ID }),
    "destination.dataSource",
  ),
  post(
    "google folder on a running doc",
    withDestination({ ...runningDoc, folder: "x" }),
    "destination.folder",
  ),
  post(
    "unknown pairProperty field",
    withDestination({ ...destination, pairProperty: { name: "Pair", kind: "text" } }),
    "destination.pairProperty.kind",
  ),

  // Types
  post("numeric id", pair({ id: 42 }), "id"),
  post("manager as a string", pair({ manager: "Ada" }), "manager"),
  post("paused as a string", withSchedule({ paused: "yes" }), "schedule.paused"),
  post("digests as an object", pair({ digests: slack }), "digests"),
  post("skipDates as a string", withSchedule({ skipDates: "2026-12-29" }), "schedule.skipDates"),
  post("duration as a string", withSchedule({ durationMinutes: "30" }), "schedule.durationMinutes"),
  post("carry as a boolean", pair({ carry: true }), "carry"),

  // Ids
  post("upper-case id", pair({ id: "Ada-Bo" }), "id"),
  post("id starting with a dash", pair({ id: "-ada" }), "id"),
  post("id of 64 characters", pair({ id: "a".repeat(64) }), "id"),
  post("empty id", pair({ id: "" }), "id"),
  post("existing id", pair({ id: BASE }), "id", 409),
  {
    name: "PUT to a malformed id",
    method: "PUT",
    path: "/pairs/Not_An_Id",
    body: valid,
    status: 400,
    problem: "id",
  },
  {
    name: "PUT whose body names another id",
    method: "PUT",
    path: `/pairs/${BASE}`,
    body: pair({ id: "someone-else" }),
    status: 400,
    problem: "id",
  },
  {
    name: "PUT to an unknown pair",
    method: "PUT",
    path: "/pairs/nobody-here",
    body: { ...valid, id: "nobody-here" },
    status: 404,
    problem: "id",
  },

  // Time zones
  post("misspelt zone", withSchedule({ timeZone: "Europe/Berln" }), "schedule.timeZone"),
  post("fixed offset", withSchedule({ timeZone: "+02:00" }), "schedule.timeZone"),
  post("Etc/GMT-2", withSchedule({ timeZone: "Etc/GMT-2" }), "schedule.timeZone"),
  post("etc/gmt+5 in lower case", withSchedule({ timeZone: "etc/gmt+5" }), "schedule.timeZone"),
  post("EST", withSchedule({ timeZone: "EST" }), "schedule.timeZone"),
  post("empty zone", withSchedule({ timeZone: "" }), "schedule.timeZone"),
  post(
    "a whole date-time as the zone",
    withSchedule({ timeZone: "2026-01-01T00:00:00Z[Europe/Berlin]" }),
    "schedule.timeZone",
  ),
  post("a 500-character zone", withSchedule({ timeZone: `Europe/${"x".repeat(500)}` }), "schedule.timeZone"),

  // Times and dates
  post("hour 25", withSchedule({ time: "25:00" }), "schedule.time"),
  post("time without a leading zero", withSchedule({ time: "9:00" }), "schedule.time"),
  post("February 30th skipped", withSchedule({ skipDates: ["2026-02-30"] }), "schedule.skipDates.0"),
  post(
    "501 skip dates",
    withSchedule({ skipDates: Array.from({ length: 501 }, () => "2026-12-29") }),
    "schedule.skipDates",
  ),
  post(
    "end before start",
    withSchedule({ startDate: "2026-06-01", endDate: "2026-05-31" }),
    "schedule.endDate",
  ),
  post("month 13", withSchedule({ startDate: "2026-13-01" }), "schedule.startDate"),
  post(
    "cadence start in words",
    withCadence({ kind: "weekly", weekday: "tuesday", startDate: "tomorrow" }),
    "schedule.cadence.startDate",
  ),

  // Cadences
  post("cadence without a kind", withCadence({ weekday: "tuesday" }), "schedule.cadence"),
  post("daily cadence", withCadence({ kind: "daily" }), "schedule.cadence"),
  post(
    "capitalised weekday",
    withCadence({ kind: "weekly", weekday: "Tuesday" }),
    "schedule.cadence.weekday",
  ),
  post(
    "every 2 weeks without a start",
    withCadence({ kind: "weekly", weekday: "tuesday", everyWeeks: 2 }),
    "schedule.cadence.startDate",
  ),
  post(
    "every 0 weeks",
    withCadence({ kind: "weekly", weekday: "tuesday", everyWeeks: 0 }),
    "schedule.cadence.everyWeeks",
  ),
  post("day 32", withCadence({ kind: "monthly", dayOfMonth: 32 }), "schedule.cadence.dayOfMonth"),
  post(
    "day and weekday at once",
    withCadence({ kind: "monthly", dayOfMonth: 1, weekday: "monday", nth: 1 }),
    "schedule.cadence",
  ),
  post("6th weekday", withCadence({ kind: "monthly", weekday: "monday", nth: 6 }), "schedule.cadence.nth"),

  // Lead times
  post("zero lead", withSchedule({ leadTime: { minutes: 0 } }), "schedule.leadTime"),
  post("lead of 14 minutes", withSchedule({ leadTime: { minutes: 14 } }), "schedule.leadTime"),
  post("lead of 5 minutes", withSchedule({ leadTime: { minutes: 5 } }), "schedule.leadTime"),
  post("negative hours", withSchedule({ leadTime: { hours: -1 } }), "schedule.leadTime.hours"),
  post("400 days", withSchedule({ leadTime: { days: 400 } }), "schedule.leadTime.days"),
  post("lead as a bare number", withSchedule({ leadTime: 24 }), "schedule.leadTime"),

  // Templates
  post("unknown template", pair({ template: "quarterly" }), "template"),
  post("template as a number", pair({ template: 5 }), "template"),
  post(
    "carrying discussion points the template has no section for",
    pair({ template: "three-key-areas", carry: { discussion: true } }),
    "carry.discussion",
  ),

  // Destinations
  post("unknown destination kind", withDestination({ kind: "confluence" }), "destination"),
  post("Notion without a data source", withDestination({ kind: "notion" }), "destination.dataSourceId"),
  post(
    "dataSourceId and databaseId together",
    withDestination({ kind: "notion", dataSourceId: NOTION_ID, databaseId: NOTION_ID }),
    "destination.databaseId",
  ),
  post(
    "a Notion id that is not one",
    withDestination({ kind: "notion", dataSourceId: "not-an-id" }),
    "destination.dataSourceId",
  ),
  post(
    "title and date in one property",
    withDestination({ ...destination, titleProperty: "Name", dateProperty: "Name" }),
    "destination.dateProperty",
  ),
  post(
    "a 300-character property name",
    withDestination({ ...destination, titleProperty: "x".repeat(300) }),
    "destination.titleProperty",
  ),
  post(
    "Google without a mode",
    withDestination({ kind: "google-docs", documentId: runningDoc.documentId }),
    "destination",
  ),
  post(
    "a document id with spaces",
    withDestination({ ...runningDoc, documentId: "a b c" }),
    "destination.documentId",
  ),
  post(
    "impersonating a non-address",
    withDestination({ ...runningDoc, impersonate: "bob" }),
    "destination.impersonate",
  ),
  post(
    "a 5,000-character folder id",
    withDestination({ kind: "google-docs", mode: "doc-per-meeting", folderId: "a".repeat(5_000) }),
    "destination.folderId",
  ),

  // Channels
  post("unknown channel", withChannels({ channel: "sms", secret: "SMS_URL" }), "digests.0.channel"),
  post(
    "a webhook URL as the secret",
    withChannels({ channel: "slack", secret: "https://hooks.slack.com/T/B/x" }),
    "digests.0.secret",
  ),
  post("the same channel twice", withChannels(slack, slack), "digests.1"),
  post(
    "21 channels",
    withChannels(
      ...Array.from({ length: 21 }, (_, index) => ({ channel: "slack", secret: `SLACK_${index}` })),
    ),
    "digests",
  ),
  post("email to nobody", withChannels({ ...email, to: [] }), "digests.0.to"),
  post("email to 51 people", withChannels({ ...email, to: addresses(51) }), "digests.0.to"),
  post("email to a non-address", withChannels({ ...email, to: ["ada"] }), "digests.0.to.0"),
  post("email via an unknown service", withChannels({ ...email, via: "sendgrid" }), "digests.0.via"),
  post(
    "email without a sender address",
    withChannels({ ...email, from: { name: "Agendas" } }),
    "digests.0.from.email",
  ),
  post(
    "a 200-character sender name",
    withChannels({ ...email, from: { email: "a@example.com", name: "x".repeat(200) } }),
    "digests.0.from.name",
  ),

  // Secret names the Worker uses itself
  post(
    "ADMIN_TOKEN as a webhook",
    withChannels({ channel: "slack", secret: "ADMIN_TOKEN" }),
    "digests.0.secret",
  ),
  post(
    "NOTION_TOKEN as a webhook",
    withChannels({ channel: "webhook", secret: "NOTION_TOKEN" }),
    "digests.0.secret",
  ),
  post(
    "the Google key as a webhook",
    withChannels({ channel: "teams", secret: "GOOGLE_SERVICE_ACCOUNT_KEY" }),
    "digests.0.secret",
  ),
  post(
    "the database as an email binding",
    withChannels({ ...email, via: "cloudflare", secret: "DB" }),
    "digests.0.secret",
  ),
  post("a setting as an SMTP URL", withChannels({ ...email, secret: "LOG_LEVEL" }), "digests.0.secret"),
  post(
    "the Notion base URL as a webhook",
    withChannels({ channel: "discord", secret: "NOTION_API_BASE_URL" }),
    "digests.0.secret",
  ),
  post(
    "a signing secret as a channel",
    withChannels({ channel: "google-chat", secret: "HR_TOOL_URL_SIGNING_SECRET" }),
    "digests.0.secret",
  ),
  post(
    "a 101-character secret name",
    withChannels({ channel: "slack", secret: "S".repeat(101) }),
    "digests.0.secret",
  ),

  // People
  post("empty manager name", pair({ manager: { ...valid.manager, name: " " } }), "manager.name"),
  post("report email without a domain", pair({ report: { ...valid.report, email: "bo" } }), "report.email"),
  post(
    "Notion user id that is not a UUID",
    pair({ manager: { ...valid.manager, notionUserId: "abc" } }),
    "manager.notionUserId",
  ),
  post(
    "a 300-character email",
    pair({ manager: { ...valid.manager, email: `${"a".repeat(288)}@example.com` } }),
    "manager.email",
  ),

  // Sizes
  post("a 200 KB body", paddedPair(200 * 1024), "body", 413),
  post("a 200 KB body without a Content-Length", chunked(200 * 1024), "body", 413),
  {
    name: "a 9 MB import",
    method: "POST",
    path: "/pairs/import",
    body: `[${" ".repeat(9 * 1024 * 1024)}]`,
    status: 413,
    problem: "body",
  },
  post(
    "a pair over 64 KB as stored",
    withChannels(
      ...Array.from({ length: 20 }, (_, index) => ({
        ...email,
        secret: `SMTP_${index}`,
        to: addresses(50, 70),
      })),
    ),
    "body",
  ),
  {
    name: "an import of 10,001 pairs",
    method: "POST",
    path: "/pairs/import",
    body: { pairs: Array.from({ length: 10_001 }, () => 0) },
    status: 400,
    problem: "pairs",
  },

  // Bulk import
  {
    name: "import of an empty list",
    method: "POST",
    path: "/pairs/import",
    body: [],
    status: 400,
    problem: "pairs",
  },
  {
    name: "import of no pairs",
    method: "POST",
    path: "/pairs/import",
    body: { pairs: [] },
    status: 400,
    problem: "pairs",
  },
  {
    name: "import with an unknown wrapper field",
    method: "POST",
    path: "/pairs/import",
    body: { pairs: [valid], replace: true },
    status: 400,
    problem: "replace",
  },
  {
    name: "import with pair instead of pairs",
    method: "POST",
    path: "/pairs/import",
    body: { pair: [valid] },
    status: 400,
    problem: "pair",
  },
  {
    name: "import of a string",
    method: "POST",
    path: "/pairs/import",
    body: '"pairs"',
    status: 400,
    problem: "body",
  },
  {
    name: "import where the second pair is bad",
    method: "POST",
    path: "/pairs/import",
    body: [
      pairInput({ id: "bad-import-1" }),
      pair({ id: "bad-import-2", schedule: { ...schedule, timeZone: "Etc/GMT-1" } }),
    ],
    status: 400,
    problem: "pairs[1].schedule.timeZone",
  },
  {
    name: "import with a misspelt field",
    method: "POST",
    path: "/pairs/import",
    body: [pair({ id: "bad-import-3", digest: [slack] })],
    status: 400,
    problem: "pairs[0].digest",
  },
  {
    name: "import naming one id twice",
    method: "POST",
    path: "/pairs/import",
    body: [pairInput({ id: "bad-import-4" }), pairInput({ id: "bad-import-4" })],
    status: 400,
    problem: "pairs[1].id",
  },

  // Run bodies
  {
    name: "dryrun in lower case",
    method: "POST",
    path: "/run",
    body: { dryrun: true },
    status: 400,
    problem: "dryrun",
  },
  {
    name: "at past a Date's range",
    method: "POST",
    path: "/run",
    body: { at: 8.64e15 + 1 },
    status: 400,
    problem: "at",
  },
  {
    name: "at as an extended-year ISO string",
    method: "POST",
    path: "/run",
    body: { at: "+275760-09-14T00:00:00.001Z" },
    status: 400,
    problem: "at",
  },
  {
    name: "at in year 10000",
    method: "POST",
    path: "/run",
    body: { at: 253402300800000 },
    status: 400,
    problem: "at",
  },
  { name: "at before 1970", method: "POST", path: "/run", body: { at: -1 }, status: 400, problem: "at" },
  { name: "fractional at", method: "POST", path: "/run", body: { at: 1.5 }, status: 400, problem: "at" },
  {
    name: "at in words",
    method: "POST",
    path: "/run",
    body: { at: "yesterday" },
    status: 400,
    problem: "at",
  },
  {
    name: "at in month 13",
    method: "POST",
    path: "/run",
    body: { at: "2026-13-01T00:00:00Z" },
    status: 400,
    problem: "at",
  },
  {
    name: "dryRun as a string",
    method: "POST",
    path: "/run",
    body: { dryRun: "yes" },
    status: 400,
    problem: "dryRun",
  },
  {
    name: "empty pairId",
    method: "POST",
    path: "/run",
    body: { pairId: "" },
    status: 400,
    problem: "pairId",
  },
  {
    name: "unknown pairId",
    method: "POST",
    path: "/run",
    body: { pairId: "nobody-here" },
    status: 404,
    problem: "pairId",
  },

  // Deliveries
  {
    name: "unknown status filter",
    method: "GET",
    path: "/deliveries?status=lost",
    status: 400,
    problem: "status",
  },
  { name: "limit 0", method: "GET", path: "/deliveries?limit=0", status: 400, problem: "limit" },
  { name: "limit 501", method: "GET", path: "/deliveries?limit=501", status: 400, problem: "limit" },
  { name: "misspelt query", method: "GET", path: "/deliveries?stat=failed", status: 400, problem: "stat" },
  {
    name: "includeDelivered as a string",
    method: "POST",
    path: "/deliveries/dlv_missing/resend",
    body: { includeDelivered: "yes" },
    status: 400,
    problem: "includeDelivered",
  },
  {
    name: "unknown resend field",
    method: "POST",
    path: "/deliveries/dlv_missing/resend",
    body: { force: true },
    status: 400,
    problem: "force",
  },
  {
    name: "resend of an unknown delivery",
    method: "POST",
    path: "/deliveries/dlv_missing/resend",
    body: {},
    status: 404,
    problem: "id",
  },

  // Roll-ups
  {
    name: "roll-up for a non-address",
    method: "PUT",
    path: "/rollups/not-an-email",
    body: rollup,
    status: 400,
    problem: "email",
  },
  {
    name: "roll-up for another manager",
    method: "PUT",
    path: "/rollups/zoe.bad@example.com",
    body: rollup,
    status: 400,
    problem: "manager.email",
  },
  {
    name: "unknown manager field",
    method: "PUT",
    path: ROLLUP,
    body: { ...rollup, manager: { ...rollup.manager, title: "CTO" } },
    status: 400,
    problem: "manager.title",
  },
  {
    name: "unknown roll-up field",
    method: "PUT",
    path: ROLLUP,
    body: { ...rollup, every: "week" },
    status: 400,
    problem: "every",
  },
  {
    name: "roll-up without channels",
    method: "PUT",
    path: ROLLUP,
    body: { ...rollup, channels: [] },
    status: 400,
    problem: "channels",
  },
  {
    name: "roll-up weekday abbreviated",
    method: "PUT",
    path: ROLLUP,
    body: { ...rollup, weekday: "mon" },
    status: 400,
    problem: "weekday",
  },
  {
    name: "roll-up at a fixed offset",
    method: "PUT",
    path: ROLLUP,
    body: { ...rollup, timeZone: "Etc/GMT+1" },
    status: 400,
    problem: "timeZone",
  },
  {
    name: "roll-up to the admin token",
    method: "PUT",
    path: ROLLUP,
    body: { ...rollup, channels: [{ channel: "slack", secret: "ADMIN_TOKEN" }] },
    status: 400,
    problem: "channels.0.secret",
  },
  {
    name: "roll-up with 21 channels",
    method: "PUT",
    path: ROLLUP,
    body: {
      ...rollup,
      channels: Array.from({ length: 21 }, (_, index) => ({ channel: "slack", secret: `S_${index}` })),
    },
    status: 400,
    problem: "channels",
  },
  {
    name: "removing an unknown roll-up",
    method: "DELETE",
    path: "/rollups/zoe.bad@example.com",
    status: 404,
    problem: "email",
  },

  // Listing pairs
  { name: "page of 0", method: "GET", path: "/pairs?limit=0", status: 400, problem: "limit" },
  { name: "page of 501", method: "GET", path: "/pairs?limit=501", status: 400, problem: "limit" },
  { name: "page size in words", method: "GET", path: "/pairs?limit=ten", status: 400, problem: "limit" },
  {
    name: "a forged cursor",
    method: "GET",
    path: "/pairs?cursor=not-a-cursor",
    status: 400,
    problem: "cursor",
  },
  { name: "page instead of cursor", method: "GET", path: "/pairs?page=2", status: 400, problem: "page" },

  // Methods and unknown things
  { name: "PATCH a pair", method: "PATCH", path: `/pairs/${BASE}`, body: {}, status: 405, problem: "method" },
  { name: "PUT the pair list", method: "PUT", path: "/pairs", body: [valid], status: 405, problem: "method" },
  { name: "GET run", method: "GET", path: "/run", status: 405, problem: "method" },
  { name: "DELETE run", method: "DELETE", path: "/run", status: 405, problem: "method" },
  {
    name: "DELETE a delivery",
    method: "DELETE",
    path: "/deliveries/dlv_missing",
    status: 405,
    problem: "method",
  },
  {
    name: "meetings of an unknown pair",
    method: "GET",
    path: "/pairs/nobody-here/meetings",
    status: 404,
    problem: "id",
  },
  {
    name: "deleting an unknown pair",
    method: "DELETE",
    path: "/pairs/nobody-here",
    status: 404,
    problem: "id",
  },
  { name: "an unknown route", method: "GET", path: "/pair", status: 404, problem: "GET /admin/pair" },
];

describe("the admin API refuses bad input and stores nothing", () => {
  beforeAll(async () => {
    const created = await send({ ...post("base", pairInput({ id: BASE }), ""), status: 201 });
    expect(created.status).toBe(201);
  });

  it("has a row for each of at least 80 bad inputs, each named once", () => {
    expect(rows.length).toBeGreaterThanOrEqual(80);
    expect(new Set(rows.map((row) => row.name)).size).toBe(rows.length);
  });

  it.each(rows)("$name: $status at $problem", async (row) => {
    const before = await snapshot();
    const response = await send(row);
    const text = await response.text();
    expect(response.status, text).toBe(row.status);
    const body = JSON.parse(text) as { problems?: string[] };
    expect(
      body.problems?.some((line) => line.startsWith(row.problem)),
      text,
    ).toBe(true);
    expect(await snapshot()).toEqual(before);
  });
});
