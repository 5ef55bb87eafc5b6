// One pair never sees another's agenda: the admin API refuses two pairs whose agendas would live in one
// place without being told apart (create, update, import), and a tick skips pairs stored that way before
// the rule existed, with the reason on their meetings, while the Notion destination checks the ids it
// resolves at run time. Runs the real Worker in workerd against the Notion emulator.
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { date, notionControl, title } from "../../emulators/notion/control";
import type { Pair, PairInput } from "../../src/config/pair";
import { pairSchema } from "../../src/config/pair";
import { PairStore } from "../../src/store/pairs";
import { pairInput } from "../support/pairs";
import { admin, envFor, tick } from "../support/worker";

const emu = notionControl(inject("notionUrl"));

// Tuesdays 10:00 in Berlin, agendas 24 hours ahead: due from Monday 2026-12-07 09:00Z for 2026-12-08.
const DUE = Date.parse("2026-12-07T09:05:00Z");
const MEETING_DATE = "2026-12-08";
const SCHEMA = { Name: { type: "title" }, Date: { type: "date" }, Pair: { type: "rich_text" } } as const;

interface ProblemBody {
  error?: string;
  problems?: string[];
}

interface MeetingView {
  key: string;
  date: string;
  status: string;
  agendaUrl: string | null;
  error: string | null;
}

async function workspace() {
  const { token } = await emu.createIntegration({ requestsPerSecond: null });
  return { token, testEnv: envFor(inject("notionUrl"), token) };
}

async function agendaDatabase(token: string) {
  return emu.seedDatabase(token, { title: "Shared 1:1s", properties: SCHEMA });
}

function notionPair(id: string, destination: Record<string, unknown>): PairInput {
  return pairInput({ id, destination: { kind: "notion", ...destination } as PairInput["destination"] });
}

/** Stores pairs as an older version did, without asking the admin API (which now refuses them). */
async function storeDirectly(...inputs: PairInput[]): Promise<void> {
  const pairs: Pair[] = inputs.map((input) => pairSchema.parse(input));
  await new PairStore(env.DB).upsert(pairs, "2026-11-01T00:00:00.000Z");
}

async function meetingsOf(testEnv: Env, pairId: string): Promise<MeetingView[]> {
  const response = await admin(testEnv, `/pairs/${pairId}/meetings`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { meetings: MeetingView[] }).meetings;
}

async function refusal(response: Response): Promise<ProblemBody> {
  return (await response.json()) as ProblemBody;
}

describe("a tick with pairs stored before sharing was refused", () => {
  it("never lets a second pair on the same data source take the first pair's agenda as its own", async () => {
    const { token, testEnv } = await workspace();
    const db = await agendaDatabase(token);
    await storeDirectly(notionPair("twin-first", { dataSourceId: db.dataSourceId }));
    await tick(testEnv, DUE);
    const [first] = await meetingsOf(testEnv, "twin-first");
    expect(first?.status).toBe("created");
    const firstUrl = first?.agendaUrl ?? "";
    expect(firstUrl).not.toBe("");

    // A second pair lands on the same data source, with no pair property, and meets the same day.
    await storeDirectly(notionPair("twin-second", { dataSourceId: db.dataSourceId }));
    await tick(testEnv, DUE + 15 * 60 * 1000);

    const [second] = await meetingsOf(testEnv, "twin-second");
    expect(second?.date).toBe(MEETING_DATE);
    expect(second?.agendaUrl).not.toBe(firstUrl);
    expect(second?.status).toBe("failed");
    expect(second?.error).toContain(
      `data source ${db.dataSourceId} already holds the agendas of pair "twin-first"`,
    );
    expect(second?.error).toContain("pairProperty");
    // Nothing was written for the second pair, and the first pair's page is still the only one.
    expect((await emu.pages(db.dataSourceId)).map((page) => page.url)).toEqual([firstUrl]);
  });

  it("skips only the pairs in conflict: a pair with a data source of its own still runs", async () => {
    const { token, testEnv } = await workspace();
    const shared = await agendaDatabase(token);
    const own = await agendaDatabase(token);
    await storeDirectly(
      notionPair("skip-a", { dataSourceId: shared.dataSourceId }),
      notionPair("skip-b", { dataSourceId: shared.dataSourceId }),
      notionPair("skip-alone", { dataSourceId: own.dataSourceId }),
    );
    await tick(testEnv, DUE);
    for (const id of ["skip-a", "skip-b"]) {
      const [meeting] = await meetingsOf(testEnv, id);
      expect(meeting?.status).toBe("failed");
      expect(meeting?.error).toContain("give both pairs a pairProperty");
    }
    expect((await meetingsOf(testEnv, "skip-alone"))[0]?.status).toBe("created");
    expect(await emu.pages(shared.dataSourceId)).toEqual([]);
  });

  it("reports the pairs it skipped in a run's answer", async () => {
    const { token, testEnv } = await workspace();
    const db = await agendaDatabase(token);
    await storeDirectly(
      notionPair("report-a", { dataSourceId: db.dataSourceId }),
      notionPair("report-b", { dataSourceId: db.dataSourceId, pairProperty: { name: "Pair" } }),
    );
    const response = await admin(testEnv, "/run", {
      method: "POST",
      body: { at: DUE, pairId: "report-b", dryRun: true },
    });
    const body = (await response.json()) as { sharedPairs: { id: string; problems: string[] }[] };
    expect(body.sharedPairs).toEqual([
      {
        id: "report-b",
        problems: [
          `destination.dataSourceId: data source ${db.dataSourceId} already holds the agendas of pair "report-a"; give both pairs a pairProperty to share it`,
        ],
      },
    ]);
  });

  it("finds at run time a database id and a data source id that lead to the same data source", async () => {
    const { token, testEnv } = await workspace();
    const db = await emu.seedDatabase(token, {
      title: "Aliased 1:1s",
      properties: SCHEMA,
      // An agenda of one of them, already there.
      pages: [{ properties: { Name: title("1:1"), Date: date(MEETING_DATE) } }],
    });
    // Different ids as given, so the admin API cannot tell they are one place.
    const byDatabase = notionPair("alias-db", { databaseId: db.databaseId });
    const bySource = notionPair("alias-ds", { dataSourceId: db.dataSourceId });
    expect((await admin(testEnv, "/pairs", { method: "POST", body: byDatabase })).status).toBe(201);
    expect((await admin(testEnv, "/pairs", { method: "POST", body: bySource })).status).toBe(201);

    await tick(testEnv, DUE);
    const [viaDatabase] = await meetingsOf(testEnv, "alias-db");
    const [viaSource] = await meetingsOf(testEnv, "alias-ds");
    expect(viaDatabase?.status).toBe("failed");
    expect(viaDatabase?.error).toContain('already holds the agendas of pair "alias-ds"');
    expect(viaSource?.status).toBe("failed");
    expect(viaSource?.error).toContain('already holds the agendas of pair "alias-db"');
    expect(await emu.pages(db.dataSourceId)).toHaveLength(1);
  });

  it("lets pairs marked by a pair property share a data source, each with its own agenda", async () => {
    const { token, testEnv } = await workspace();
    const db = await agendaDatabase(token);
    for (const id of ["marked-a", "marked-b"]) {
      const input = notionPair(id, { dataSourceId: db.dataSourceId, pairProperty: { name: "Pair" } });
      expect((await admin(testEnv, "/pairs", { method: "POST", body: input })).status).toBe(201);
    }
    await tick(testEnv, DUE);
    const [a] = await meetingsOf(testEnv, "marked-a");
    const [b] = await meetingsOf(testEnv, "marked-b");
    expect(a?.status).toBe("created");
    expect(b?.status).toBe("created");
    expect(a?.agendaUrl).not.toBe(b?.agendaUrl);
    expect(await emu.pages(db.dataSourceId)).toHaveLength(2);
  });
});

describe("the admin API refuses pairs that would see each other's agendas", () => {
  const testEnv = envFor(inject("notionUrl"), "secret_unused");
  const post = (body: unknown) => admin(testEnv, "/pairs", { method: "POST", body });
  const put = (id: string, body: unknown) => admin(testEnv, `/pairs/${id}`, { method: "PUT", body });
  const importing = (pairs: unknown[]) =>
    admin(testEnv, "/pairs/import", { method: "POST", body: { pairs } });
  const exists = async (id: string) => (await admin(testEnv, `/pairs/${id}`)).status === 200;

  const SOURCE = "5a5a5a5a-0000-4000-8000-000000000001";
  const OTHER_SOURCE = "5a5a5a5a-0000-4000-8000-000000000002";
  const DATABASE = "5a5a5a5a-0000-4000-8000-0000000000d1";

  it("refuses a second pair on a data source at create, naming the path, the place and the other pair", async () => {
    expect((await post(notionPair("api-first", { dataSourceId: SOURCE }))).status).toBe(201);
    // Pasted without dashes, as Notion's address bar shows it: still the same data source.
    const response = await post(notionPair("api-second", { dataSourceId: SOURCE.replaceAll("-", "") }));
    expect(response.status).toBe(409);
    expect(await refusal(response)).toEqual({
      error: "destination_shared",
      problems: [
        `destination.dataSourceId: data source ${SOURCE} already holds the agendas of pair "api-first"; give both pairs a pairProperty to share it`,
      ],
    });
    expect(await exists("api-second")).toBe(false);
  });

  it("refuses a pair with a pair property beside one without, on the same database", async () => {
    expect((await post(notionPair("db-plain", { databaseId: DATABASE }))).status).toBe(201);
    const response = await post(
      notionPair("db-marked", { databaseId: DATABASE, pairProperty: { name: "Pair" } }),
    );
    expect(response.status).toBe(409);
    expect((await refusal(response)).problems).toEqual([
      `destination.databaseId: database ${DATABASE} already holds the agendas of pair "db-plain"; give both pairs a pairProperty to share it`,
    ]);
    expect(await exists("db-marked")).toBe(false);
  });

  it("accepts pairs that mark their pages apart, and refuses one that marks them like another", async () => {
    const marked = (id: string, value?: string) =>
      notionPair(id, {
        dataSourceId: OTHER_SOURCE,
        pairProperty: { name: "Pair", ...(value === undefined ? {} : { value }) },
      });
    expect((await post(marked("mark-one"))).status).toBe(201);
    expect((await post(marked("mark-two"))).status).toBe(201);
    // "Mark-One" is what Notion's text filter may match as mark-one's value.
    const response = await post(marked("mark-three", "Mark-One"));
    expect(response.status).toBe(409);
    expect((await refusal(response)).problems).toEqual([
      `destination.pairProperty.value: pair "mark-one" already marks its agendas in data source ${OTHER_SOURCE} with Pair = "mark-one"; give each pair its own value`,
    ]);
  });

  it("refuses moving a pair onto another's data source at update, and keeps the stored pair", async () => {
    const place = "5a5a5a5a-0000-4000-8000-000000000003";
    expect((await post(notionPair("move-owner", { dataSourceId: place }))).status).toBe(201);
    const mover = notionPair("move-mover", { dataSourceId: "5a5a5a5a-0000-4000-8000-000000000004" });
    expect((await post(mover)).status).toBe(201);
    // Updating a pair in place is not sharing with itself.
    expect((await put("move-owner", notionPair("move-owner", { dataSourceId: place }))).status).toBe(200);

    const response = await put("move-mover", notionPair("move-mover", { dataSourceId: place }));
    expect(response.status).toBe(409);
    expect((await refusal(response)).problems?.[0]).toMatch(
      /^destination\.dataSourceId: data source .* already holds the agendas of pair "move-owner"/,
    );
    const stored = (await (await admin(testEnv, "/pairs/move-mover")).json()) as { pair: Pair };
    expect(stored.pair.destination).toMatchObject({ dataSourceId: "5a5a5a5a-0000-4000-8000-000000000004" });
  });

  it("refuses an import whose pairs share, between them or with a stored pair it does not replace", async () => {
    const place = "5a5a5a5a-0000-4000-8000-000000000005";
    const within = await importing([
      notionPair("imp-a", { dataSourceId: place }),
      notionPair("imp-b", { dataSourceId: place }),
    ]);
    expect(within.status).toBe(409);
    expect((await refusal(within)).problems).toEqual([
      `pairs[1].destination.dataSourceId: data source ${place} already holds the agendas of pair "imp-a"; give both pairs a pairProperty to share it`,
    ]);
    expect(await exists("imp-a")).toBe(false);

    expect((await post(notionPair("imp-stored", { dataSourceId: place }))).status).toBe(201);
    const beside = await importing([
      notionPair("imp-c", { dataSourceId: "5a5a5a5a-0000-4000-8000-000000000006" }),
      notionPair("imp-d", { dataSourceId: place }),
    ]);
    expect(beside.status).toBe(409);
    expect((await refusal(beside)).problems?.[0]).toMatch(
      /^pairs\[1\]\.destination\.dataSourceId: .* of pair "imp-stored"/,
    );
    expect(await exists("imp-c")).toBe(false);

    // The import replaces the stored pair: it moves away, and another takes its place.
    const replacing = await importing([
      notionPair("imp-stored", { dataSourceId: "5a5a5a5a-0000-4000-8000-000000000007" }),
      notionPair("imp-e", { dataSourceId: place }),
    ]);
    expect(replacing.status).toBe(200);
  });

  it("lets Google pairs share a running doc or a folder, but not a running doc that is another's template", async () => {
    const documentId = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789shared";
    const folderId = "1FoLdErFoLdErFoLdErFoLdErFoLdEr00";
    const running = (id: string) =>
      pairInput({ id, destination: { kind: "google-docs", mode: "running-doc", documentId } });
    const perMeeting = (id: string, templateDocumentId?: string) =>
      pairInput({
        id,
        destination: {
          kind: "google-docs",
          mode: "doc-per-meeting",
          folderId,
          ...(templateDocumentId === undefined ? {} : { templateDocumentId }),
        },
      });
    expect((await post(running("gdoc-a"))).status).toBe(201);
    expect((await post(running("gdoc-b"))).status).toBe(201);
    expect((await post(perMeeting("gfolder-a"))).status).toBe(201);
    expect((await post(perMeeting("gfolder-b"))).status).toBe(201);

    const response = await post(perMeeting("gfolder-c", documentId));
    expect(response.status).toBe(409);
    expect((await refusal(response)).problems).toEqual([
      `destination.templateDocumentId: Google document ${documentId} is the running doc of pair "gdoc-a"; every agenda copied from it would hold their meetings`,
      `destination.templateDocumentId: Google document ${documentId} is the running doc of pair "gdoc-b"; every agenda copied from it would hold their meetings`,
    ]);
  });
});
