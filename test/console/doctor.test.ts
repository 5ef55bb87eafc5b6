// The console's doctor page through the real Worker against the Notion emulator: a healthy pair shows
// ok in every check, a pair whose database is not shared with the integration shows the problem and,
// below the table, its fix; each row links to its pair's preview; no secret's value is on the page; and
// without a session the page sends to sign-in.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { notionControl } from "../../emulators/notion/control";
import type { PairInput } from "../../src/config/pair";
import { ADMIN_TOKEN, admin, envFor, testClock } from "../support/worker";
import { consoleFetch, page, signIn } from "./support";

const notionUrl = inject("notionUrl");
const notion = notionControl(notionUrl);
/** Monday 2026-12-07 08:00Z: the next Tuesday-10:00-in-Berlin meeting is the 8th. */
const NOW = Date.parse("2026-12-07T08:00:00Z");
const HOOK_VALUE = "https://hooks.slack.com/services/T1/B1/console-doctor-secret";

let token = "";
let testEnv: Env;

function pair(id: string, dataSourceId: string, digests: PairInput["digests"] = []): PairInput {
  return {
    id,
    manager: { name: "Ada Manager", email: "ada@example.com" },
    report: { name: "Bo Report", email: "bo@example.com" },
    schedule: { timeZone: "Europe/Berlin", time: "10:00", cadence: { kind: "weekly", weekday: "tuesday" } },
    destination: { kind: "notion", dataSourceId },
    digests,
  };
}

/** The table row whose header cell links to `id`, its entities decoded. */
function rowOf(html: string, id: string): string {
  const row = html
    .split("<tr>")
    .find((each) => each.includes(`<th scope="row"><a href="/console/pairs/${id}"`));
  if (row === undefined) throw new Error(`no row for ${id}`);
  return decode(row.split("</tr>")[0] ?? "");
}

function decode(html: string): string {
  return html
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

beforeAll(async () => {
  ({ token } = await notion.createIntegration({ requestsPerSecond: null }));
  testEnv = { ...envFor(notionUrl, token), CONSOLE_DOCTOR_SLACK_URL: HOOK_VALUE } as Env;
  testClock.set(NOW);
  const shared = await notion.seedDatabase(token, {
    title: "Console doctor agendas",
    properties: { Name: { type: "title" }, Date: { type: "date" } },
  });
  const unshared = await notion.seedDatabase(undefined, {
    title: "Console doctor unshared",
    properties: { Name: { type: "title" }, Date: { type: "date" } },
  });
  for (const input of [
    pair("doctor-page-healthy", shared.dataSourceId, [
      { channel: "slack", secret: "CONSOLE_DOCTOR_SLACK_URL" },
    ]),
    pair("doctor-page-unshared", unshared.dataSourceId),
  ]) {
    expect((await admin(testEnv, "/pairs", { method: "POST", body: input })).status).toBe(201);
  }
});

describe("the console's doctor page", () => {
  it("shows a healthy pair ok and another's problem with its fix, never a secret", async () => {
    const cookie = await signIn(testEnv);
    const html = await page("/console/doctor", cookie, testEnv);
    expect(html).not.toContain(HOOK_VALUE);
    expect(html).not.toContain(token);
    expect(html).not.toContain(ADMIN_TOKEN);
    expect(html.match(/<main/g)).toHaveLength(1);
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html).toContain('<a href="/console/doctor" aria-current="page">Doctor</a>');
    expect(html).toContain("<caption>Set-up checks of every pair</caption>");
    expect(html).toContain("1 of 2 pairs need a fix");

    const healthy = rowOf(html, "doctor-page-healthy");
    expect(healthy.match(/<span class="status-ok">OK<\/span>/g)).toHaveLength(3);
    expect(healthy).toContain("1 ready: slack:CONSOLE_DOCTOR_SLACK_URL");
    expect(healthy).toContain("2026-12-08 (2026-12-08T10:00:00+01:00)");
    expect(healthy).toContain('href="/console/pairs/doctor-page-healthy/preview"');

    const broken = rowOf(html, "doctor-page-unshared");
    expect(broken).toMatch(/<span class="status-bad">Problem<\/span>: [^<]*not found or is not shared/);
    expect(broken).toContain('<span class="muted">Skipped</span>');
    expect(broken).toContain('href="/console/pairs/doctor-page-unshared/preview"');

    const fixes = decode(html.split("<h2>Fixes</h2>")[1] ?? "");
    expect(fixes).toContain(
      '<h3><a href="/console/pairs/doctor-page-unshared">doctor-page-unshared</a></h3>',
    );
    expect(fixes).not.toContain("doctor-page-healthy");
    expect(fixes).toMatch(/<li>Destination: [^<]*Connections[^<]*<\/li>/);
  });

  it("sends a request without a session to sign-in", async () => {
    const response = await consoleFetch("/console/doctor", { env: testEnv });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe(
      `/console/sign-in?next=${encodeURIComponent("/console/doctor")}`,
    );
  });
});
