// The console's pages over seeded data, through the real Worker: a pair that works (its agenda, what it
// carried, a digest that failed), one whose database is not shared (its reason and fix), one whose
// stored config no longer parses, a dead letter and a roll-up. Resend and replay through the forms change
// the stores as the admin API would; no page holds the admin token or any secret's value.
import { env } from "cloudflare:workers";
import { beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { bullet, date, heading, notionControl, paragraph, title, todo } from "../../emulators/notion/control";
import { receiversControl } from "../../emulators/receivers/control";
import type { PairInput } from "../../src/config/pair";
import { DeliveryStore } from "../../src/store/deliveries";
import {
  ADMIN_TOKEN,
  admin,
  DEAD_LETTER_QUEUE_NAME,
  envFor,
  queueBatch,
  testClock,
  tick,
  WORK_QUEUE_NAME,
} from "../support/worker";
import { consoleFetch, csrfOf, page, signIn } from "./support";

const emu = notionControl(inject("notionUrl"));
const receiversUrl = inject("receiversUrl");
const receivers = receiversControl(receiversUrl);

// Tuesday 10:00 in Berlin, prepared 24 hours ahead: due from Monday 2026-12-07 09:00Z.
const DUE_AT = Date.parse("2026-12-07T09:00:00Z");
const MEETING_DATE = "2026-12-08";
const RUN = crypto.randomUUID().slice(0, 8);
const HOOK = `console-${RUN}`;
const SLACK_URL = `${receiversUrl}/slack/${HOOK}`;
/** A receiver that accepts from the start: the replay test's, whatever the resend test did to HOOK. */
const LATE_SLACK_URL = `${receiversUrl}/slack/${HOOK}-late`;

let testEnv: Env;
let token: string;
let cookie: string;
let freshSource: string;

function pair(id: string, dataSourceId: string, extra: Partial<PairInput> = {}): PairInput {
  return {
    id,
    manager: { name: "Ada Manager", email: "ada@example.com" },
    report: { name: `Report ${id}`, email: `${id}@example.com` },
    schedule: { timeZone: "Europe/Berlin", time: "10:00", cadence: { kind: "weekly", weekday: "tuesday" } },
    destination: { kind: "notion", dataSourceId },
    ...extra,
  };
}

async function seededDatabase(label: string) {
  return emu.seedDatabase(token, {
    title: `1:1s ${label}`,
    properties: { Name: { type: "title" }, Date: { type: "date" } },
    pages: [
      {
        properties: { Name: title("1:1 2026-12-01"), Date: date("2026-12-01") },
        children: [
          heading(2, "Action items"),
          todo("Book the room"),
          todo("Send the <b>notes</b>", false, [bullet("with the slides")]),
          todo("Close the survey", true),
          heading(2, "Discussion"),
          paragraph("How was the offsite?"),
        ],
      },
    ],
  });
}

async function deliveryStatus(id: string): Promise<string | undefined> {
  return (await new DeliveryStore(env.DB).get(id))?.status;
}

beforeAll(async () => {
  token = (await emu.createIntegration({ requestsPerSecond: null })).token;
  const secrets: Record<string, string> = { DIGEST_SLACK_URL: SLACK_URL, ROLLUP_SLACK_URL: SLACK_URL };
  testEnv = { ...envFor(inject("notionUrl"), token), ...secrets };
  await receivers.behave(`slack/${HOOK}`, { status: 404, always: true, body: "no_service" });

  const works = await seededDatabase("works");
  const add = async (body: PairInput) =>
    expect((await admin(testEnv, "/pairs", { method: "POST", body })).status).toBe(201);
  await add(
    pair("works", works.dataSourceId, { digests: [{ channel: "slack", secret: "DIGEST_SLACK_URL" }] }),
  );
  // A data source the integration cannot see: its meeting fails with the reason.
  await add(pair("unshared", "2a3b4c5d-0000-4000-8000-00000000dead"));
  // A row an older version wrote that no longer parses.
  await env.DB.prepare("INSERT INTO pairs (id, config, created_at, updated_at) VALUES (?, ?, ?, ?)")
    .bind(
      "stale",
      JSON.stringify({ id: "stale", template: "weekly" }),
      "2026-11-01T00:00:00Z",
      "2026-11-01T00:00:00Z",
    )
    .run();
  await tick(testEnv, DUE_AT);

  // A pair added after the tick: its next agenda is not made yet, so the preview shows it fresh.
  const fresh = await seededDatabase("fresh");
  freshSource = fresh.dataSourceId;
  await add(pair("fresh", freshSource));

  const rollup = {
    manager: { name: "Ada Manager", email: "ada@example.com" },
    weekday: "friday",
    time: "16:00",
    timeZone: "Europe/Berlin",
    channels: [{ channel: "slack", secret: "ROLLUP_SLACK_URL" }],
  };
  expect((await admin(testEnv, "/rollups/ada@example.com", { method: "PUT", body: rollup })).status).toBe(
    201,
  );
});

beforeEach(async () => {
  testClock.set(DUE_AT + 60_000);
  cookie = await signIn(testEnv);
});

async function show(path: string): Promise<string> {
  const html = await page(path, cookie, testEnv);
  expect(html, `${path} holds no secret`).not.toContain(ADMIN_TOKEN);
  expect(html).not.toContain(token);
  expect(html).not.toContain(SLACK_URL);
  expect(html).not.toContain(LATE_SLACK_URL);
  expect(html).not.toContain(receiversUrl);
  expect(html.match(/<main/g)).toHaveLength(1);
  expect(html.match(/<h1>/g)).toHaveLength(1);
  return html;
}

/** The table row whose header cell holds `text`. */
function rowOf(html: string, text: string): string {
  const row = html.split("<tr>").find((each) => each.includes(text));
  if (row === undefined) throw new Error(`no row with ${text}`);
  return row;
}

describe("console pages", () => {
  it("lists pairs with their next meeting, last agenda and status", async () => {
    const html = await show("/console");
    expect(html).toContain("<caption>");
    expect(html).toContain('<th scope="col">Next meeting</th>');
    const works = rowOf(html, 'href="/console/pairs/works"');
    expect(works).toContain(`${MEETING_DATE} (2026-12-08T10:00:00+01:00)`);
    expect(works).toMatch(/<a href="[^"]+" rel="noreferrer">Agenda of 2026-12-08<\/a>/);
    expect(works).toContain(">OK<");
    expect(rowOf(html, 'href="/console/pairs/unshared"')).toContain(">Failing<");
    expect(rowOf(html, 'href="/console/pairs/stale"')).toContain(">Config invalid<");
    expect(rowOf(html, 'href="/console/pairs/fresh"')).toContain(">No agenda yet<");
  });

  it("shows a pair's meetings, what they carried and their digests, with secret names only", async () => {
    const html = await show("/console/pairs/works");
    expect(html).toContain("<code>DIGEST_SLACK_URL</code>");
    const meeting = rowOf(html, `<th scope="row">${MEETING_DATE}</th>`);
    expect(meeting).toContain("created");
    expect(meeting).toContain("1:1 2026-12-01");
    expect(html).toContain(`<caption>Carried into the agenda of ${MEETING_DATE}</caption>`);
    expect(rowOf(html, "Book the room")).toContain("Action items");
    // Escaped: an item's text is never markup.
    expect(html).toContain("Send the &lt;b&gt;notes&lt;/b&gt;");
    expect(html).not.toContain("Close the survey");
    expect(html).toContain(`<caption>Digests of ${MEETING_DATE}</caption>`);
    expect(html).toContain(">Preview</button>");
  });

  it("shows a failing pair's reason and its fix", async () => {
    const html = await show("/console/pairs/unshared");
    const meeting = rowOf(html, `<th scope="row">${MEETING_DATE}</th>`);
    expect(meeting).toContain("failed");
    expect(meeting).toContain("is not shared with the integration");
    expect(meeting).toContain("Share the database or page with the Notion integration");
  });

  it("lists failures across pairs: failed meetings and pairs whose config no longer parses", async () => {
    const html = await show("/console/failures");
    expect(rowOf(html, 'href="/console/pairs/unshared"')).toContain("is not shared with the integration");
    const stale = rowOf(html, 'href="/console/pairs/stale"');
    expect(stale).toContain("PUT /admin/pairs/");
    // Other tests of this file resend and add deliveries, in any order: the store says how many failed now.
    const failed = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM deliveries WHERE status = 'failed'",
    ).first<{
      n: number;
    }>();
    expect(html).toContain(`href="/console/deliveries?status=failed">${failed?.n} failed deliveries`);
  });

  it("resends a failed delivery through its form once the receiver is fixed", async () => {
    const html = await show("/console/deliveries?status=failed");
    const row = rowOf(html, "<code>DIGEST_SLACK_URL</code>");
    expect(row).toContain("slack");
    expect(row).toContain("HTTP 404");
    const id = /name="id" value="([^"]+)"/.exec(row)?.[1] ?? "";
    expect(await deliveryStatus(id)).toBe("failed");

    await receivers.behave(`slack/${HOOK}`, { status: 500, failNext: 0 });
    const response = await consoleFetch("/console/deliveries/resend", {
      cookie,
      env: testEnv,
      form: { _csrf: csrfOf(html), id, status: "failed" },
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/console/deliveries?status=failed&flash=resent");
    expect(await deliveryStatus(id)).toBe("delivered");
    const after = await show("/console/deliveries?status=failed&flash=resent");
    expect(after).toContain('role="status"');
    expect(after).not.toContain(id);

    // Without the session's _csrf nothing is reset.
    const refused = await consoleFetch("/console/deliveries/resend", {
      cookie,
      env: testEnv,
      form: { id, status: "delivered", includeDelivered: "true" },
    });
    expect(refused.status).toBe(403);
    expect(await deliveryStatus(id)).toBe("delivered");
  });

  it("replays a dead letter through its form once its secret is set", async () => {
    const { id } = await new DeliveryStore(env.DB).enqueue({
      meetingKey: `works/${MEETING_DATE}`,
      channelKey: "late-slack",
      channel: "slack",
      secretName: "LATE_SLACK_URL",
      payload: JSON.stringify({ text: "Agenda ready" }),
      pairId: "works",
      nowMs: DUE_AT,
    });
    const deliver = { kind: "deliver", deliveryId: id };
    await queueBatch(testEnv, WORK_QUEUE_NAME, [deliver], { clockMs: DUE_AT + 60_000 });
    await queueBatch(testEnv, DEAD_LETTER_QUEUE_NAME, [deliver], { attempts: 11, clockMs: DUE_AT + 60_000 });
    const subject = `delivery:${id}`;

    const html = await show("/console/dead-letters");
    const row = rowOf(html, subject);
    expect(row).toContain("LATE_SLACK_URL");
    expect(row).toContain("wrangler secret put LATE_SLACK_URL");

    const late: Record<string, string> = { LATE_SLACK_URL };
    const fixed = { ...testEnv, ...late };
    const response = await consoleFetch("/console/dead-letters/replay", {
      cookie,
      env: fixed,
      form: { _csrf: csrfOf(html), subject },
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/console/dead-letters?flash=replayed");
    expect(await deliveryStatus(id)).toBe("delivered");
    expect(await show("/console/dead-letters")).not.toContain(subject);

    const again = await consoleFetch("/console/dead-letters/replay", {
      cookie,
      env: fixed,
      form: { _csrf: csrfOf(html), subject },
    });
    expect(again.headers.get("Location")).toBe("/console/dead-letters?flash=replay-done");
  });

  it("shows the roll-ups with their next send and channels by secret name", async () => {
    const html = await show("/console/rollups");
    const row = rowOf(html, "ada@example.com");
    expect(row).toContain("fridays at 16:00 (Europe/Berlin)");
    expect(row).toContain("2026-12-11 15:00 UTC");
    expect(row).toContain("<code>ROLLUP_SLACK_URL</code>");
  });

  it("previews a pair's next agenda as it will look, writing nothing", async () => {
    const before = await emu.pages(freshSource);
    const html = await show("/console/pairs/fresh/preview");
    expect(html).toContain(`Preview: fresh, ${MEETING_DATE}`);
    expect(html).toContain('<article class="agenda"');
    expect(html).toMatch(/<h3>[^<]*Action items[^<]*<\/h3>/);
    expect(html).toContain('<span role="img" aria-label="to do">☐</span>');
    expect(html).toContain("Book the room");
    expect(html).toContain("with the slides");
    expect(html).toContain("It carries 2 open items.");
    expect(html).toContain("Send the &lt;b&gt;notes&lt;/b&gt;");
    expect(await emu.pages(freshSource)).toHaveLength(before.length);
    expect(
      (
        await env.DB.prepare("SELECT COUNT(*) AS n FROM meetings WHERE pair_id = 'fresh'").first<{
          n: number;
        }>()
      )?.n,
    ).toBe(0);
  });

  it("answers an unknown pair with a page that says so", async () => {
    const response = await consoleFetch("/console/pairs/nobody", { cookie, env: testEnv });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('role="alert"');
  });
});
