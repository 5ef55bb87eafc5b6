// The admin API guards its routes with a bearer token and refuses bad pairs by field, storing nothing.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { pairInput } from "../support/pairs";

const TOKEN = "test-admin-token";

function admin(path: string, init: RequestInit & { token?: string | null } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = init.token === undefined ? TOKEN : init.token;
  if (token !== null) headers.set("Authorization", `Bearer ${token}`);
  if (init.body !== undefined) headers.set("Content-Type", "application/json");
  return exports.default.fetch(new Request(`https://agendas.test/admin${path}`, { ...init, headers }));
}

async function problems(response: Response): Promise<string[]> {
  const body = (await response.json()) as { problems?: string[] };
  return body.problems ?? [];
}

describe("admin API security", () => {
  it("refuses a request without a token", async () => {
    const response = await admin("/pairs", { token: null });
    expect(response.status).toBe(401);
    expect(response.headers.get("WWW-Authenticate")).toContain("Bearer");
  });

  it("refuses a wrong token, including one that shares a prefix with the right one", async () => {
    expect((await admin("/pairs", { token: "wrong" })).status).toBe(401);
    expect((await admin("/pairs", { token: `${TOKEN}x` })).status).toBe(401);
  });

  it("never echoes the token it was given", async () => {
    const response = await admin("/pairs", { token: "sk-very-secret-guess" });
    expect(await response.text()).not.toContain("sk-very-secret-guess");
  });

  it("answers health without a token", async () => {
    const response = await exports.default.fetch(new Request("https://agendas.test/health"));
    expect(response.status).toBe(200);
  });
});

describe("admin API pairs", () => {
  it("creates, reads, updates, lists and deletes a pair", async () => {
    const created = await admin("/pairs", {
      method: "POST",
      body: JSON.stringify(pairInput({ id: "crud" })),
    });
    expect(created.status).toBe(201);
    expect(
      (await admin("/pairs", { method: "POST", body: JSON.stringify(pairInput({ id: "crud" })) })).status,
    ).toBe(409);

    const read = (await (await admin("/pairs/crud")).json()) as {
      pair: { template: string };
      nextMeeting: unknown;
    };
    expect(read.pair.template).toBe("weekly");
    expect(read.nextMeeting).not.toBeNull();

    const updated = await admin("/pairs/crud", {
      method: "PUT",
      body: JSON.stringify(pairInput({ id: "crud", template: "employee-led" })),
    });
    expect(updated.status).toBe(200);
    const list = (await (await admin("/pairs")).json()) as {
      pairs: { id: string; pair: { template: string } }[];
    };
    expect(list.pairs.find((entry) => entry.id === "crud")?.pair.template).toBe("employee-led");

    expect((await admin("/pairs/crud", { method: "DELETE" })).status).toBe(204);
    expect((await admin("/pairs/crud")).status).toBe(404);
  });

  it("refuses bad config with messages that name the field, and stores nothing", async () => {
    const bad = pairInput({
      id: "bad",
      schedule: { timeZone: "Europe/Berln", time: "10:00", cadence: { kind: "weekly", weekday: "tuesday" } },
      destination: { kind: "notion", dataSourceId: "not-an-id" },
    });
    const response = await admin("/pairs", { method: "POST", body: JSON.stringify(bad) });
    expect(response.status).toBe(400);
    const found = await problems(response);
    expect(found.some((line) => line.startsWith("schedule.timeZone") && line.includes("Europe/Berln"))).toBe(
      true,
    );
    expect(found.some((line) => line.startsWith("destination.dataSourceId"))).toBe(true);
    expect((await admin("/pairs/bad")).status).toBe(404);
  });

  it("refuses a pair without a destination", async () => {
    const { destination: _omitted, ...withoutDestination } = pairInput({ id: "nodest" });
    const response = await admin("/pairs", { method: "POST", body: JSON.stringify(withoutDestination) });
    expect(response.status).toBe(400);
    expect((await problems(response)).some((line) => line.startsWith("destination"))).toBe(true);
  });

  it("refuses an impossible skip date and an unknown template", async () => {
    const input = pairInput({ id: "dates", template: "quarterly" as "weekly" });
    const schedule = { ...input.schedule, skipDates: ["2026-02-30"] };
    const response = await admin("/pairs", { method: "POST", body: JSON.stringify({ ...input, schedule }) });
    const found = await problems(response);
    expect(found.some((line) => line.startsWith("schedule.skipDates.0"))).toBe(true);
    expect(found.some((line) => line.startsWith("template"))).toBe(true);
  });

  it("imports many pairs at once, or none when any is invalid", async () => {
    const good = [pairInput({ id: "bulk-1" }), pairInput({ id: "bulk-2" })];
    const refused = await admin("/pairs/import", {
      method: "POST",
      body: JSON.stringify({
        pairs: [...good, { ...pairInput({ id: "bulk-3" }), report: { name: "", email: "x" } }],
      }),
    });
    expect(refused.status).toBe(400);
    const found = await problems(refused);
    expect(found.some((line) => line.startsWith("pairs[2].report.email"))).toBe(true);
    expect((await admin("/pairs/bulk-1")).status).toBe(404);

    const accepted = await admin("/pairs/import", { method: "POST", body: JSON.stringify({ pairs: good }) });
    expect(await accepted.json()).toEqual({ imported: ["bulk-1", "bulk-2"] });
    expect((await admin("/pairs/bulk-2")).status).toBe(200);
  });

  it("answers invalid JSON with a 400 that says so", async () => {
    const response = await admin("/pairs", { method: "POST", body: "{not json" });
    expect(response.status).toBe(400);
    expect(await problems(response)).toEqual(["body: is not valid JSON"]);
  });
});

describe("admin API roll-ups", () => {
  const rollup = {
    manager: { name: "Ada Lovelace", email: "ada.rollup@example.com" },
    weekday: "monday",
    time: "08:30",
    timeZone: "Europe/Berlin",
    channels: [{ channel: "slack", secret: "ADA_SLACK_URL" }],
  };

  it("sets up, reads, changes and removes a manager's roll-up", async () => {
    const path = "/rollups/Ada.Rollup@example.com";
    const created = await admin(path, { method: "PUT", body: JSON.stringify(rollup) });
    expect(created.status).toBe(201);
    const changed = await admin(path, { method: "PUT", body: JSON.stringify({ ...rollup, time: "09:00" }) });
    expect(changed.status).toBe(200);
    const read = (await (await admin(path)).json()) as {
      rollup: { time: string };
      nextRollupAt: string;
      deliveries: unknown[];
    };
    expect(read.rollup.time).toBe("09:00");
    expect(read.nextRollupAt).toMatch(/T09:00:00\+0[12]:00$/);
    expect(read.deliveries).toEqual([]);
    const listed = (await (await admin("/rollups")).json()) as { rollups: { managerEmail: string }[] };
    expect(listed.rollups.map((entry) => entry.managerEmail)).toContain("ada.rollup@example.com");
    expect((await admin(path, { method: "DELETE" })).status).toBe(204);
    expect((await admin(path)).status).toBe(404);
  });

  it("refuses a roll-up by field: a secret value, a bad zone, another manager's email", async () => {
    const bad = {
      ...rollup,
      timeZone: "Europe/Berln",
      channels: [{ channel: "slack", secret: "https://hooks.slack.com/services/T0/B0/secret" }],
    };
    const refused = await admin("/rollups/ada.rollup@example.com", {
      method: "PUT",
      body: JSON.stringify(bad),
    });
    expect(refused.status).toBe(400);
    const listed = await problems(refused);
    expect(listed).toContainEqual(expect.stringMatching(/^timeZone: unknown time zone/));
    expect(listed).toContainEqual(expect.stringMatching(/^channels\.0\.secret: must be the NAME/));
    expect(listed.join("\n")).not.toContain("hooks.slack.com");

    const other = await admin("/rollups/someone@example.com", {
      method: "PUT",
      body: JSON.stringify(rollup),
    });
    expect(other.status).toBe(400);
    expect(await problems(other)).toEqual([
      'manager.email: "ada.rollup@example.com" differs from the URL\'s "someone@example.com"',
    ]);
    expect((await admin("/rollups/not-an-email")).status).toBe(400);
  });
});

describe("admin API deliveries", () => {
  it("answers an unknown delivery with 404 and a bad status filter with 400", async () => {
    expect((await admin("/deliveries/dlv_missing")).status).toBe(404);
    expect((await admin("/deliveries/dlv_missing/resend", { method: "POST" })).status).toBe(404);
    const bad = await admin("/deliveries?status=lost");
    expect(bad.status).toBe(400);
    expect((await problems(bad))[0]).toMatch(/^status: /);
  });

  it("refuses a pair whose digest channel holds a secret's value instead of its name", async () => {
    const response = await admin("/pairs", {
      method: "POST",
      body: JSON.stringify({
        ...pairInput({ id: "leaky" }),
        digests: [{ channel: "discord", secret: "https://discord.com/api/webhooks/1/token" }],
      }),
    });
    expect(response.status).toBe(400);
    const listed = await problems(response);
    expect(listed).toEqual([expect.stringMatching(/^digests\.0\.secret: must be the NAME/)]);
    expect(listed.join("\n")).not.toContain("discord.com");
  });
});
