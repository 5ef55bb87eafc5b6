// The admin API's edges, one defect each: what an admin writes is kept as written (a zone in its
// canonical spelling), lists come in pages, a wrong method says which are right, and an unexpected
// failure is logged with its reason, secrets redacted.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { parseEnv } from "../../src/env";
import { createRuntime } from "../../src/runtime";
import { pairInput } from "../support/pairs";

const TOKEN = "test-admin-token";

function admin(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return exports.default.fetch(
    new Request(`https://agendas.test${path}`, {
      method: init.method ?? "GET",
      headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    }),
  );
}

describe("what an admin writes is taken exactly", () => {
  it("refuses an email channel whose recipients are under a misspelt key, instead of mailing both people", async () => {
    const response = await admin("/admin/pairs", {
      method: "POST",
      body: pairInput({
        id: "edges-typo",
        digests: [
          {
            channel: "email",
            via: "smtp",
            secret: "DIGEST_SMTP_URL",
            from: { email: "agendas@example.com" },
            // @ts-expect-error: the typo under test
            To: ["ada@example.com"],
          },
        ],
      }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { problems: string[] }).problems).toEqual([
      "digests.0.To: unknown field; check its spelling and case",
    ]);
    expect((await admin("/admin/pairs/edges-typo")).status).toBe(404);
  });

  it("refuses a run body with dryrun misspelt, instead of running for real", async () => {
    const before = await env.DB.prepare("SELECT COUNT(*) AS n FROM meetings").first<{ n: number }>();
    const response = await admin("/admin/run", { method: "POST", body: { dryrun: true } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { problems: string[] }).problems).toEqual([
      "dryrun: unknown field; check its spelling and case",
    ]);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM meetings").first<{ n: number }>()).toEqual(before);
  });

  it("stores a time zone in its canonical spelling", async () => {
    const input = pairInput({ id: "edges-zone" });
    const created = await admin("/admin/pairs", {
      method: "POST",
      body: { ...input, schedule: { ...input.schedule, timeZone: "europe/berlin" } },
    });
    expect(created.status).toBe(201);
    const read = (await (await admin("/admin/pairs/edges-zone")).json()) as {
      pair: { schedule: { timeZone: string } };
    };
    expect(read.pair.schedule.timeZone).toBe("Europe/Berlin");
  });

  it("takes back a pair exactly as GET answered it", async () => {
    expect(
      (await admin("/admin/pairs", { method: "POST", body: pairInput({ id: "edges-round" }) })).status,
    ).toBe(201);
    const read = (await (await admin("/admin/pairs/edges-round")).json()) as {
      pair: Record<string, unknown>;
      nextMeeting: { date: string } | null;
    };
    expect(read.nextMeeting).not.toBeNull();
    const put = await admin("/admin/pairs/edges-round", { method: "PUT", body: read.pair });
    expect(put.status, await put.clone().text()).toBe(200);
  });

  it("takes a lead time of exactly one cron interval", async () => {
    const input = pairInput({ id: "edges-lead" });
    const created = await admin("/admin/pairs", {
      method: "POST",
      body: { ...input, schedule: { ...input.schedule, leadTime: { minutes: 15 } } },
    });
    expect(created.status).toBe(201);
  });

  it("answers an empty import and an impossible run time with 400 and the reason, not 500", async () => {
    for (const body of [[], { pairs: [] }]) {
      const response = await admin("/admin/pairs/import", { method: "POST", body });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { problems: string[] }).problems).toEqual([
        "pairs: lists no pairs; an import needs at least one",
      ]);
    }
    for (const at of [8.64e15 + 1, 1e300, "+275760-09-14T00:00:00.001Z", "2026-02-30T10:00:00Z"]) {
      const response = await admin("/admin/run", { method: "POST", body: { at } });
      expect(response.status, String(at)).toBe(400);
      expect(((await response.json()) as { problems: string[] }).problems[0]).toMatch(/^at: /);
    }
  });
});

describe("listing pairs", () => {
  it("pages by id with an opaque cursor, each pair once", async () => {
    const ids = ["edges-page-1", "edges-page-2", "edges-page-3", "edges-page-4", "edges-page-5"];
    const imported = await admin("/admin/pairs/import", {
      method: "POST",
      body: ids.map((id) => pairInput({ id })),
    });
    expect(imported.status).toBe(200);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? "?limit=2" : `?limit=2&cursor=${encodeURIComponent(cursor)}`;
      const page = (await (await admin(`/admin/pairs${query}`)).json()) as {
        pairs: { id: string }[];
        nextCursor: string | null;
      };
      expect(page.pairs.length).toBeLessThanOrEqual(2);
      expect(page.nextCursor ?? "").not.toContain("edges");
      seen.push(...page.pairs.map((entry) => entry.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 100);
    expect(cursor).toBeNull();
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => id.startsWith("edges-page-"))).toEqual(ids);
  });
});

describe("methods", () => {
  it("answers a wrong method on a known route with 405 and the allowed ones", async () => {
    const patch = await admin("/admin/pairs/anyone", { method: "PATCH", body: {} });
    expect(patch.status).toBe(405);
    expect(patch.headers.get("Allow")).toBe("DELETE, GET, HEAD, OPTIONS, PUT");

    const list = await admin("/admin/pairs", { method: "DELETE" });
    expect(list.status).toBe(405);
    expect(list.headers.get("Allow")).toBe("GET, HEAD, OPTIONS, POST");

    const health = await exports.default.fetch(
      new Request("https://agendas.test/health", { method: "POST" }),
    );
    expect(health.status).toBe(405);
    expect(health.headers.get("Allow")).toBe("GET, HEAD, OPTIONS");

    const options = await admin("/admin/run", { method: "OPTIONS" });
    expect(options.status).toBe(204);
    expect(options.headers.get("Allow")).toBe("OPTIONS, POST");
  });

  it("still answers an unknown path with 404", async () => {
    expect((await admin("/admin/pairs/a/b/c")).status).toBe(404);
  });
});

describe("unexpected errors", () => {
  it("are logged with their message, secrets redacted, and answered 500 without internals", async () => {
    const app = createApp((bindings) => {
      const runtime = createRuntime(parseEnv(bindings));
      runtime.pairs.page = async () => {
        throw new Error(`D1 refused the query for ${TOKEN}`);
      };
      return runtime;
    });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const response = await app.fetch(
        new Request("https://agendas.test/admin/pairs", { headers: { Authorization: `Bearer ${TOKEN}` } }),
        env,
      );
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain("D1 refused");
      const lines = logged.mock.calls.map((call) => String(call[0]));
      expect(lines).toContainEqual(expect.stringContaining("D1 refused the query for [redacted]"));
      expect(lines.join("\n")).not.toContain(TOKEN);
    } finally {
      logged.mockRestore();
    }
  });
});
