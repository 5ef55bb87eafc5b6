// The doctor and set-up routes through the real Worker against the emulators: GET /admin/doctor over the
// stored pairs (and its dry run), POST /admin/setup/notion-database then POST /admin/setup/check of a pair
// that uses the new database (all ok), the refusals with their fixes, and GET /admin/setup/google.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { googleControl } from "../../emulators/google/control";
import { notionControl } from "../../emulators/notion/control";
import type { PairInput } from "../../src/config/pair";
import { admin, envFor, googleEnvFor, testClock } from "../support/worker";

const notionUrl = inject("notionUrl");
const notion = notionControl(notionUrl);
const google = googleControl(inject("googleUrl"));
/** Monday 2026-12-07 08:00Z: the next Tuesday-10:00-in-Berlin meeting is the 8th, its agenda due at 09:00Z. */
const NOW = Date.parse("2026-12-07T08:00:00Z");
const HOOK_VALUE = "https://hooks.slack.com/services/T1/B1/doctor-secret-value";

interface Result {
  status: "ok" | "problem" | "skipped";
  summary: string;
  fixes: string[];
}
interface Row {
  pairId: string;
  destination: Result;
  properties: Result;
  channels: Result;
  nextMeeting: { date: string; startsAt: string } | null;
  dryRun?: { outcomes?: { status: string; key: string }[]; error?: string };
}
interface Report {
  checkedAt: string;
  ok: boolean;
  pairs: Row[];
}

let token = "";
let testEnv: Env;
let pageId = "";

function pair(
  id: string,
  destination: PairInput["destination"],
  digests: PairInput["digests"] = [],
): PairInput {
  return {
    id,
    manager: { name: "Ada Manager", email: "ada@example.com" },
    report: { name: "Bo Report", email: "bo@example.com" },
    schedule: { timeZone: "Europe/Berlin", time: "10:00", cadence: { kind: "weekly", weekday: "tuesday" } },
    destination,
    digests,
  };
}

beforeAll(async () => {
  ({ token } = await notion.createIntegration({ requestsPerSecond: null }));
  testEnv = {
    ...envFor(notionUrl, token),
    DOCTOR_SLACK_URL: HOOK_VALUE,
    DOCTOR_CHAT_URL: "not a url",
  } as Env;
  ({ id: pageId } = await notion.seedPage(token, { parent: { workspace: true }, title: "Team space" }));
  testClock.set(NOW);
});

async function createDatabase(body: unknown, env = testEnv) {
  const response = await admin(env, "/setup/notion-database", { method: "POST", body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("set-up routes", () => {
  it("creates a database under a shared page, and a pair that uses it checks out", async () => {
    const created = await createDatabase({ parentPageId: pageId.replaceAll("-", ""), title: "1:1 agendas" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const dataSourceId = String(created.body.dataSourceId);
    expect(created.body.databaseId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.url).toMatch(/^https:\/\/www\.notion\.so\//);

    const response = await admin(testEnv, "/setup/check", {
      method: "POST",
      body: { pair: pair("setup-new-db", { kind: "notion", dataSourceId, pairProperty: { name: "Pair" } }) },
    });
    expect(response.status).toBe(200);
    const row = (await response.json()) as Row;
    expect([row.destination.status, row.properties.status, row.channels.status], JSON.stringify(row)).toEqual(
      ["ok", "ok", "ok"],
    );
    expect(row.properties.summary).toContain("Name (title), Date (date), Pair (rich_text) present");
    expect(row.nextMeeting?.date).toBe("2026-12-08");
    // Nothing was stored: the check is of a pair set-up has not added yet.
    expect((await admin(testEnv, "/pairs/setup-new-db")).status).toBe(404);
    expect(await notion.violations(token)).toEqual([]);
  });

  it("says to share the page when the integration cannot see it", async () => {
    const { id: hidden } = await notion.seedPage(undefined, {
      parent: { workspace: true },
      title: "Private",
    });
    const created = await createDatabase({ parentPageId: hidden });
    expect(created.status).toBe(404);
    expect(created.body.error).toBe("page_not_shared");
    expect(String(created.body.fixes)).toMatch(
      /Connections and add the integration whose token is in NOTION_TOKEN/,
    );
  });

  it("names the capability an integration that may not insert content lacks", async () => {
    const readOnly = await notion.createIntegration({
      requestsPerSecond: null,
      capabilities: ["read", "update"],
    });
    const { id: page } = await notion.seedPage(readOnly.token, {
      parent: { workspace: true },
      title: "Read only",
    });
    const created = await createDatabase({ parentPageId: page }, envFor(notionUrl, readOnly.token));
    expect(created.status).toBe(403);
    expect(String(created.body.fixes)).toContain(
      "Read content, Insert content and Update content capabilities",
    );
  });

  it("refuses bad bodies with the field at fault", async () => {
    const bad = await createDatabase({ parentPageId: "not-an-id", tokenSecret: "ntn_123" });
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toEqual([
      "parentPageId: must be a Notion page id: 32 hex characters, with or without dashes",
      "tokenSecret: tokenSecret must be the NAME of a Worker secret (upper case), never the token itself",
    ]);
    const unset = await createDatabase({ parentPageId: pageId, tokenSecret: "OTHER_NOTION_TOKEN" });
    expect(unset.status).toBe(400);
    expect(unset.body.fixes).toEqual([
      "Set OTHER_NOTION_TOKEN to the Notion integration's token: wrangler secret put OTHER_NOTION_TOKEN.",
    ]);

    const invalidPair = await admin(testEnv, "/setup/check", {
      method: "POST",
      body: { pair: { id: "Bad Id" } },
    });
    expect(invalidPair.status).toBe(400);
    const body = (await invalidPair.json()) as { problems: string[] };
    expect(body.problems).toContain(
      "pair.id: must be 1-63 lower-case letters, digits or dashes, starting alphanumeric",
    );
  });

  it("names the service account to share Google files with, or null without a key", async () => {
    const key = await google.createServiceAccount({
      name: `doctor-setup-${crypto.randomUUID().slice(0, 8)}`,
    });
    const withKey = await admin(googleEnvFor(inject("googleUrl"), key), "/setup/google");
    expect(await withKey.json()).toEqual({ serviceAccountEmail: key.client_email });
    const withoutKey = await admin(testEnv, "/setup/google");
    expect(await withoutKey.json()).toEqual({ serviceAccountEmail: null });
  });
});

describe("GET /admin/doctor", () => {
  it("checks every stored pair, says what to fix, never prints a secret, and dry-runs on request", async () => {
    const created = await createDatabase({ parentPageId: pageId, title: "Doctor agendas" });
    const dataSourceId = String(created.body.dataSourceId);
    const unshared = await notion.seedDatabase(undefined, {
      title: "Unshared",
      properties: { Name: { type: "title" }, Date: { type: "date" } },
    });
    for (const input of [
      pair("doctor-healthy", { kind: "notion", dataSourceId, pairProperty: { name: "Pair" } }, [
        { channel: "slack", secret: "DOCTOR_SLACK_URL" },
      ]),
      pair("doctor-unshared", { kind: "notion", dataSourceId: unshared.dataSourceId }, [
        { channel: "google-chat", secret: "DOCTOR_CHAT_URL" },
      ]),
    ]) {
      expect((await admin(testEnv, "/pairs", { method: "POST", body: input })).status).toBe(201);
    }

    const response = await admin(testEnv, "/doctor");
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(HOOK_VALUE);
    expect(text).not.toContain(token);
    const report = JSON.parse(text) as Report;
    expect(report.ok).toBe(false);
    expect(report.checkedAt).toBe(new Date(NOW).toISOString());
    const rows = new Map(report.pairs.map((row) => [row.pairId, row]));
    const healthy = rows.get("doctor-healthy");
    expect(healthy?.destination.status).toBe("ok");
    expect(healthy?.properties.status).toBe("ok");
    expect(healthy?.channels).toEqual({
      status: "ok",
      summary: "1 ready: slack:DOCTOR_SLACK_URL",
      fixes: [],
    });
    expect(healthy?.nextMeeting).toEqual({ date: "2026-12-08", startsAt: "2026-12-08T10:00:00+01:00" });
    expect(healthy?.dryRun).toBeUndefined();
    const broken = rows.get("doctor-unshared");
    expect(broken?.destination.status).toBe("problem");
    expect(broken?.properties.status).toBe("skipped");
    expect(broken?.channels.summary).toBe(
      "digests.0 (google-chat:DOCTOR_CHAT_URL): secret DOCTOR_CHAT_URL does not hold a URL",
    );

    const dry = await admin(testEnv, "/doctor?dryRun=true");
    expect(dry.status).toBe(200);
    const dryReport = (await dry.json()) as Report;
    const dryHealthy = dryReport.pairs.find((row) => row.pairId === "doctor-healthy");
    expect(dryHealthy?.dryRun?.outcomes).toEqual([
      expect.objectContaining({ status: "dry-run", key: "doctor-healthy/2026-12-08" }),
    ]);
    // A dry run writes nothing: no agenda page, no meeting.
    expect(await notion.pages(dataSourceId)).toEqual([]);
    expect((await (await admin(testEnv, "/pairs/doctor-healthy/meetings")).json()) as unknown).toEqual({
      meetings: [],
    });

    const bad = await admin(testEnv, "/doctor?dryRun=yes");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: string[] }).problems).toEqual([
      'dryRun: must be "true" or "false"',
    ]);
  });
});
