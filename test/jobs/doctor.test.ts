// The doctor's checks of one pair, through the real destinations against the emulators: a healthy Notion
// pair, a database not shared with the integration, a missing property, a property of the wrong type, a
// Google doc not shared with the service account, and digest channels whose secrets are missing or hold
// the wrong kind of value (never printed). Pairs that share a place are looked at once per run.
import { describe, expect, inject, it } from "vitest";
import { googleControl } from "../../emulators/google/control";
import { notionControl, type PropertySpec } from "../../emulators/notion/control";
import { type Pair, type PairInput, pairSchema } from "../../src/config/pair";
import { parseEnv } from "../../src/env";
import { checkPair, type PairCheckRow, runMemo } from "../../src/jobs/doctor";
import { createRuntime } from "../../src/runtime";
import { envFor, googleEnvFor } from "../support/worker";

const notionUrl = inject("notionUrl");
const googleUrl = inject("googleUrl");
const notion = notionControl(notionUrl);
const google = googleControl(googleUrl);
/** Monday 2026-12-07 08:00Z: the next Tuesday-10:00-in-Berlin meeting is the 8th. */
const NOW = Date.parse("2026-12-07T08:00:00Z");

function pairOf(id: string, destination: PairInput["destination"], digests: PairInput["digests"] = []): Pair {
  return pairSchema.parse({
    id,
    manager: { name: "Ada Manager", email: "ada@example.com" },
    report: { name: "Bo Report", email: "bo@example.com" },
    schedule: { timeZone: "Europe/Berlin", time: "10:00", cadence: { kind: "weekly", weekday: "tuesday" } },
    destination,
    digests,
  });
}

function runtimeFor(testEnv: Env) {
  return createRuntime(parseEnv(testEnv), { clock: () => NOW, inlineWork: true });
}

async function notionSetUp(properties: Record<string, PropertySpec>, share = true) {
  const { token } = await notion.createIntegration({ requestsPerSecond: null });
  const db = await notion.seedDatabase(share ? token : undefined, { title: "1:1s", properties });
  return { token, db, runtime: runtimeFor(envFor(notionUrl, token)) };
}

function everything(row: PairCheckRow): string {
  return JSON.stringify(row);
}

describe("the doctor's checks of a Notion pair", () => {
  it("finds a healthy pair ok, with its next meeting", async () => {
    const { db, runtime } = await notionSetUp({
      Name: { type: "title" },
      Date: { type: "date" },
      Pair: { type: "rich_text" },
    });
    const row = await checkPair(
      runtime,
      pairOf("doc-healthy", { kind: "notion", databaseId: db.databaseId, pairProperty: { name: "Pair" } }),
    );
    expect(row.destination.status, everything(row)).toBe("ok");
    expect(row.properties.status, everything(row)).toBe("ok");
    expect(row.properties.summary).toContain("Pair (rich_text)");
    expect(row.channels.status).toBe("ok");
    expect(row.nextMeeting).toEqual({ date: "2026-12-08", startsAt: "2026-12-08T10:00:00+01:00" });
  });

  it("says to share a database the integration cannot see, and skips its properties", async () => {
    const { db, runtime } = await notionSetUp({ Name: { type: "title" }, Date: { type: "date" } }, false);
    const row = await checkPair(
      runtime,
      pairOf("doc-unshared", { kind: "notion", dataSourceId: db.dataSourceId }),
    );
    expect(row.destination.status).toBe("problem");
    expect(row.destination.summary).toMatch(/not found or is not shared/);
    expect(row.destination.fixes.join(" ")).toMatch(/Connections.*NOTION_TOKEN/);
    expect(row.properties.status).toBe("skipped");
  });

  it("names a missing property and one of the wrong type", async () => {
    const { db, runtime } = await notionSetUp({ Name: { type: "title" }, When: { type: "rich_text" } });
    const missing = await checkPair(
      runtime,
      pairOf("doc-missing", { kind: "notion", dataSourceId: db.dataSourceId }),
    );
    expect(missing.destination.status).toBe("ok");
    expect(missing.properties.status).toBe("problem");
    expect(missing.properties.summary).toContain('no property "Date"');
    expect(missing.properties.fixes.join(" ")).toContain('Add a date property named "Date"');

    const wrongType = await checkPair(
      runtime,
      pairOf("doc-wrong-type", { kind: "notion", dataSourceId: db.dataSourceId, dateProperty: "When" }),
    );
    expect(wrongType.properties.status).toBe("problem");
    expect(wrongType.properties.summary).toContain('property "When" is a rich_text property, not date');
  });

  it("says which secret to set when the pair's token secret is missing", async () => {
    const { db, runtime } = await notionSetUp({ Name: { type: "title" }, Date: { type: "date" } });
    const row = await checkPair(
      runtime,
      pairOf("doc-no-token", {
        kind: "notion",
        dataSourceId: db.dataSourceId,
        tokenSecret: "SALES_NOTION_TOKEN",
      }),
    );
    expect(row.destination.status).toBe("problem");
    expect(row.destination.fixes).toEqual([
      "Set SALES_NOTION_TOKEN to the Notion integration's token: wrangler secret put SALES_NOTION_TOKEN.",
    ]);
    expect(row.properties.status).toBe("skipped");
  });

  it("names the capabilities an integration that may not read lacks", async () => {
    const { token } = await notion.createIntegration({
      requestsPerSecond: null,
      capabilities: ["insert", "update"],
    });
    const db = await notion.seedDatabase(token, {
      title: "Write only",
      properties: { Name: { type: "title" }, Date: { type: "date" } },
    });
    const row = await checkPair(
      runtimeFor(envFor(notionUrl, token)),
      pairOf("doc-write-only", { kind: "notion", databaseId: db.databaseId }),
    );
    expect(row.destination.status).toBe("problem");
    expect(row.destination.fixes).toEqual([
      "Give the integration the Read content, Insert content and Update content capabilities (Notion → Settings → Integrations).",
    ]);
  });

  it("looks at a place several pairs share once per run", async () => {
    const { token, db, runtime } = await notionSetUp({
      Name: { type: "title" },
      Date: { type: "date" },
      Pair: { type: "rich_text" },
    });
    await notion.resetCalls(token);
    const memo = runMemo();
    for (const id of ["doc-share-a", "doc-share-b", "doc-share-c"]) {
      const row = await checkPair(
        runtime,
        pairOf(id, { kind: "notion", dataSourceId: db.dataSourceId, pairProperty: { name: "Pair" } }),
        { memo },
      );
      expect(row.properties.status).toBe("ok");
    }
    expect(await notion.calls(token)).toEqual({ "GET /v1/data_sources/:id": 1 });
  });
});

describe("the doctor's checks of a Google pair", () => {
  it("names the service account to share a document with, and finds a shared one editable", async () => {
    const suffix = crypto.randomUUID().slice(0, 8);
    const key = await google.createServiceAccount({ name: `doctor-${suffix}` });
    const runtime = runtimeFor(googleEnvFor(googleUrl, key));
    const owner = `owner-${suffix}@example.com`;
    await google.createUser({ email: owner, name: "Owner" });
    const unshared = await google.createDocument({ title: "Not shared", owner });
    const readOnly = await google.createDocument({
      title: "Read only",
      owner,
      sharedWith: [{ principal: key.client_email, role: "reader" }],
    });
    const shared = await google.createDocument({ title: "Shared", owner, sharedWith: [key.client_email] });
    // Google's document ids hold upper case, "_" and "-", which a pair id may not: the pair's own id is ours.
    const running = (documentId: string) =>
      pairOf(`doc-google-${crypto.randomUUID().slice(0, 8)}`, {
        kind: "google-docs",
        mode: "running-doc",
        documentId,
      });

    const notShared = await checkPair(runtime, running(unshared.documentId));
    expect(notShared.destination.status).toBe("ok");
    expect(notShared.properties.status).toBe("problem");
    expect(notShared.properties.fixes).toEqual([
      `Share Google document ${unshared.documentId} with ${key.client_email} as Editor (or check the id).`,
    ]);

    const viewer = await checkPair(runtime, running(readOnly.documentId));
    expect(viewer.properties.status).toBe("problem");
    expect(viewer.properties.summary).toContain("may not edit it");
    expect(viewer.properties.fixes[0]).toContain(key.client_email);

    const ok = await checkPair(runtime, running(shared.documentId));
    expect(ok.properties.status, everything(ok)).toBe("ok");
    expect(ok.properties.summary).toContain(`${key.client_email} can edit`);
  });
});

describe("the doctor's checks of a Google pair, a document per meeting", () => {
  it("needs a folder it may add to and a template it may copy", async () => {
    const suffix = crypto.randomUUID().slice(0, 8);
    const key = await google.createServiceAccount({ name: `doctor-folder-${suffix}` });
    const runtime = runtimeFor(googleEnvFor(googleUrl, key));
    const owner = `folder-owner-${suffix}@example.com`;
    await google.createUser({ email: owner, name: "Owner" });
    const viewOnly = await google.createFolder({
      name: "Agendas",
      owner,
      sharedWith: [{ principal: key.client_email, role: "reader" }],
    });
    const template = await google.createDocument({ title: "Template", owner });
    const row = await checkPair(
      runtime,
      pairOf("doc-folder", {
        kind: "google-docs",
        mode: "doc-per-meeting",
        folderId: viewOnly.id,
        templateDocumentId: template.documentId,
      }),
    );
    expect(row.properties.status).toBe("problem");
    expect(row.properties.summary).toContain(`may not add documents to it`);
    expect(row.properties.fixes).toEqual([
      `Share Google Drive folder ${viewOnly.id} with ${key.client_email} as Editor (Contributor or Content manager on a shared drive).`,
      `Share template Google document ${template.documentId} with ${key.client_email} as Viewer (or check the id).`,
    ]);
  });

  it("says the key is unusable when Google cannot be signed in to", async () => {
    const runtime = runtimeFor({
      ...googleEnvFor(googleUrl, { type: "service_account" }),
    });
    const row = await checkPair(
      runtime,
      pairOf("doc-bad-key", {
        kind: "google-docs",
        mode: "running-doc",
        documentId: "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdef",
      }),
    );
    expect(row.destination.status).toBe("problem");
    expect(row.destination.fixes[0]).toContain("wrangler secret put GOOGLE_SERVICE_ACCOUNT_KEY");
    expect(row.properties.status).toBe("skipped");
  });
});

describe("the doctor's checks of digest channels", () => {
  const SLACK_VALUE = "https://hooks.slack.com/services/T000/B000/not-for-printing";

  it("names a missing secret and one holding the wrong kind of value, never the value", async () => {
    const { db, token } = await notionSetUp({ Name: { type: "title" }, Date: { type: "date" } });
    const testEnv: Env = {
      ...envFor(notionUrl, token),
      DOC_SLACK_URL: SLACK_VALUE,
      DOC_DISCORD_URL: "whsec_c2VjcmV0LXZhbHVlLW5vdC1mb3ItcHJpbnRpbmc=",
      DOC_HOOK_URL: "http://127.0.0.1:9/hook",
      DOC_HOOK_URL_SIGNING_SECRET: "not-a-signing-secret-value",
    } as Env;
    const runtime = runtimeFor(testEnv);
    const row = await checkPair(
      runtime,
      pairOf("doc-channels", { kind: "notion", dataSourceId: db.dataSourceId }, [
        { channel: "slack", secret: "DOC_SLACK_URL" },
        { channel: "discord", secret: "DOC_DISCORD_URL" },
        { channel: "teams", secret: "DOC_TEAMS_URL" },
        { channel: "webhook", secret: "DOC_HOOK_URL" },
      ]),
    );
    expect(row.channels.status).toBe("problem");
    expect(row.channels.summary).not.toContain("digests.0");
    expect(row.channels.summary).toContain(
      "digests.1 (discord:DOC_DISCORD_URL): secret DOC_DISCORD_URL does not hold a URL",
    );
    expect(row.channels.summary).toContain(
      "digests.2 (teams:DOC_TEAMS_URL): secret DOC_TEAMS_URL is not set",
    );
    expect(row.channels.summary).toContain('DOC_HOOK_URL_SIGNING_SECRET must start with "whsec_"');
    expect(row.channels.fixes).toContain(
      "Set DOC_TEAMS_URL to the channel's webhook URL: wrangler secret put DOC_TEAMS_URL.",
    );
    const text = everything(row);
    for (const value of Object.values(testEnv)) {
      if (typeof value === "string" && value.length > 12 && /^(?:https?:|whsec_|not-a)/.test(value))
        expect(text).not.toContain(value);
    }
  });

  it("checks email channels: the send_email binding and the SMTP URL", async () => {
    const { db, token } = await notionSetUp({ Name: { type: "title" }, Date: { type: "date" } });
    const runtime = runtimeFor({
      ...envFor(notionUrl, token),
      DOC_SMTP_URL: "https://mail.example.com/not-smtp",
    } as Env);
    const from = { email: "digest@agendas.test" };
    const row = await checkPair(
      runtime,
      pairOf("doc-email", { kind: "notion", dataSourceId: db.dataSourceId }, [
        { channel: "email", via: "cloudflare", secret: "TEST_SEND_EMAIL", from },
        { channel: "email", via: "cloudflare", secret: "DOC_NO_BINDING", from },
        { channel: "email", via: "smtp", secret: "DOC_SMTP_URL", from },
      ]),
    );
    expect(row.channels.summary).not.toContain("TEST_SEND_EMAIL");
    expect(row.channels.summary).toContain(
      "digests.1 (email (cloudflare):DOC_NO_BINDING): binding DOC_NO_BINDING is not available to the Worker",
    );
    expect(row.channels.summary).toContain(
      "digests.2 (email (smtp):DOC_SMTP_URL): secret DOC_SMTP_URL is not a usable SMTP URL",
    );
    expect(JSON.stringify(row)).not.toContain("mail.example.com");
  });

  it("refuses a URL of another vendor where private hosts are not allowed", async () => {
    const { db, token } = await notionSetUp({ Name: { type: "title" }, Date: { type: "date" } });
    const runtime = runtimeFor({
      ...envFor(notionUrl, token),
      ALLOW_PRIVATE_DIGEST_HOSTS: "false",
      DOC_CHAT_URL: SLACK_VALUE,
    } as Env);
    const row = await checkPair(
      runtime,
      pairOf("doc-vendor", { kind: "notion", dataSourceId: db.dataSourceId }, [
        { channel: "google-chat", secret: "DOC_CHAT_URL" },
      ]),
    );
    expect(row.channels.summary).toContain(
      "secret DOC_CHAT_URL holds a URL that is not a Google Chat webhook",
    );
    expect(everything(row)).not.toContain(SLACK_VALUE);
  });
});
