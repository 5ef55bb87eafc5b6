// Missing or broken vendor credentials fail the pairs that need them, with a message naming the secret,
// and never the pairs of the other vendor; no secret appears in what is stored.
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { date, heading, notionControl, title, todo } from "../../emulators/notion/control";
import type { PairInput } from "../../src/config/pair";
import { admin, envFor, tick } from "../support/worker";

const notion = notionControl(inject("notionUrl"));
const DUE_AT = Date.parse("2026-12-07T09:00:00Z");

function pair(id: string, destination: PairInput["destination"]): PairInput {
  return {
    id,
    manager: { name: "Ada Manager", email: "ada@example.com" },
    report: { name: "Bo Report", email: "bo@example.com" },
    schedule: { timeZone: "Europe/Berlin", time: "10:00", cadence: { kind: "weekly", weekday: "tuesday" } },
    destination,
  };
}

async function outcome(pairId: string) {
  return env.DB.prepare("SELECT status, error FROM meetings WHERE pair_id = ?")
    .bind(pairId)
    .first<{ status: string; error: string | null }>();
}

describe("credentials", () => {
  it("fails Google pairs on a malformed key, names the secret, and still prepares the Notion pairs", async () => {
    const { token } = await notion.createIntegration({ requestsPerSecond: null });
    const db = await notion.seedDatabase(token, {
      title: "1:1s",
      properties: { Name: { type: "title" }, Date: { type: "date" } },
      pages: [
        {
          properties: { Name: title("1:1 2026-12-01"), Date: date("2026-12-01") },
          children: [heading(2, "Action items"), todo("Open item")],
        },
      ],
    });
    const brokenKey = '{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\\nnot-a-key\\n"}';
    const testEnv: Env = { ...envFor(inject("notionUrl"), token), GOOGLE_SERVICE_ACCOUNT_KEY: brokenKey };
    for (const input of [
      pair("cred-notion", { kind: "notion", dataSourceId: db.dataSourceId }),
      pair("cred-google", {
        kind: "google-docs",
        mode: "running-doc",
        documentId: "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdef",
      }),
    ]) {
      expect((await admin(testEnv, "/pairs", { method: "POST", body: input })).status).toBe(201);
    }
    await tick(testEnv, DUE_AT);

    expect((await outcome("cred-notion"))?.status).toBe("created");
    const google = await outcome("cred-google");
    expect(google?.status).toBe("failed");
    expect(google?.error).toMatch(/GOOGLE_SERVICE_ACCOUNT_KEY|service.account key/i);
    expect(google?.error).not.toContain("not-a-key");
  });

  it("fails Notion pairs with the secret to set when NOTION_TOKEN is missing", async () => {
    const { NOTION_TOKEN: _unset, ...rest } = envFor(inject("notionUrl"), "unused");
    const testEnv = rest as Env;
    const input = pair("cred-no-token", {
      kind: "notion",
      dataSourceId: "2a3b4c5d-0000-4000-8000-000000000009",
    });
    expect((await admin(testEnv, "/pairs", { method: "POST", body: input })).status).toBe(201);
    await tick(testEnv, DUE_AT);
    const row = await outcome("cred-no-token");
    expect(row?.status).toBe("failed");
    expect(row?.error).toContain("NOTION_TOKEN is not set");
  });

  it("writes each pair with the token of the integration it names, and fails one whose secret is missing", async () => {
    // Two integrations, each seeing only its own database (the emulator knows integrations by token).
    const integrations = await Promise.all(
      ["sales", "support"].map(async (team) => {
        const { token } = await notion.createIntegration({ name: `cred-${team}`, requestsPerSecond: null });
        const db = await notion.seedDatabase(token, {
          title: `${team} 1:1s`,
          properties: { Name: { type: "title" }, Date: { type: "date" } },
          pages: [
            {
              properties: { Name: title("1:1 2026-12-01"), Date: date("2026-12-01") },
              children: [heading(2, "Action items"), todo(`Open item of ${team}`)],
            },
          ],
        });
        return { token, db };
      }),
    );
    const [sales, support] = integrations;
    if (sales === undefined || support === undefined) throw new Error("two integrations expected");
    const defaultToken = await notion.createIntegration({ name: "cred-default", requestsPerSecond: null });
    const testEnv: Env = {
      ...envFor(inject("notionUrl"), defaultToken.token),
      NOTION_TOKEN_SALES: sales.token,
      NOTION_TOKEN_SUPPORT: support.token,
    } as Env;
    for (const input of [
      pair("cred-sales", {
        kind: "notion",
        dataSourceId: sales.db.dataSourceId,
        tokenSecret: "NOTION_TOKEN_SALES",
      }),
      pair("cred-support", {
        kind: "notion",
        dataSourceId: support.db.dataSourceId,
        tokenSecret: "NOTION_TOKEN_SUPPORT",
      }),
      pair("cred-unset", {
        kind: "notion",
        dataSourceId: "2a3b4c5d-0000-4000-8000-00000000000a",
        tokenSecret: "NOTION_TOKEN_MISSING",
      }),
    ]) {
      expect((await admin(testEnv, "/pairs", { method: "POST", body: input })).status).toBe(201);
    }
    await tick(testEnv, DUE_AT);

    expect((await outcome("cred-sales"))?.status).toBe("created");
    expect((await outcome("cred-support"))?.status).toBe("created");
    for (const { token, db } of integrations) {
      const calls = await notion.calls(token);
      expect(calls["POST /v1/pages"]).toBe(1);
      const pages = await notion.pages(db.dataSourceId);
      expect(pages).toHaveLength(2);
    }
    // The default integration wrote nothing: each pair wrote with its own. (It may read: live sync looks
    // at the data sources of this file's other pairs, which use it.)
    const defaultCalls = Object.keys(await notion.calls(defaultToken.token));
    expect(defaultCalls.filter((route) => route.startsWith("PATCH ") || route === "POST /v1/pages")).toEqual(
      [],
    );
    const unset = await outcome("cred-unset");
    expect(unset?.status).toBe("failed");
    expect(unset?.error).toBe("NOTION_TOKEN_MISSING is not set: wrangler secret put NOTION_TOKEN_MISSING");
    for (const { token } of integrations) expect(unset?.error).not.toContain(token);
  });
});
