// The sharing rule on its own: which pairs may keep their agendas in one place, per destination kind,
// and the check a Notion destination makes with the ids it resolved at run time.
import { describe, expect, it } from "vitest";
import { destinationSchema } from "../../src/destinations/config";
import type { PlacedPair } from "../../src/destinations/sharing";
import { incomingConflicts, SharingIndex, sharingConflicts } from "../../src/destinations/sharing";

const SOURCE = "11111111-1111-4111-8111-111111111111";
const DATABASE = "22222222-2222-4222-8222-222222222222";
const DOCUMENT = "1DoCuMeNtDoCuMeNtDoCuMeNtDoCuMeNt0123456789";
const FOLDER = "1FoLdErFoLdErFoLdErFoLdErFoLdEr00";

function placed(id: string, destination: Record<string, unknown>): PlacedPair {
  return { id, destination: destinationSchema.parse(destination) };
}

const notion = (id: string, extra: Record<string, unknown> = {}) =>
  placed(id, { kind: "notion", dataSourceId: SOURCE, ...extra });

describe("sharing a Notion data source", () => {
  it("refuses two pairs without a pair property, on each of them", () => {
    expect(sharingConflicts([notion("a"), notion("b")])).toEqual(
      new Map([
        [
          "a",
          [
            `destination.dataSourceId: data source ${SOURCE} already holds the agendas of pair "b"; give both pairs a pairProperty to share it`,
          ],
        ],
        [
          "b",
          [
            `destination.dataSourceId: data source ${SOURCE} already holds the agendas of pair "a"; give both pairs a pairProperty to share it`,
          ],
        ],
      ]),
    );
  });

  it("refuses one pair with a pair property beside one without: the one without sees every page", () => {
    const conflicts = sharingConflicts([notion("a", { pairProperty: { name: "Pair" } }), notion("b")]);
    expect([...conflicts.keys()]).toEqual(["a", "b"]);
  });

  it("allows pairs whose pair property values differ, by default their ids", () => {
    const pairs = [
      notion("a", { pairProperty: { name: "Pair" } }),
      notion("b", { pairProperty: { name: "Pair" } }),
      notion("c", { pairProperty: { name: "Pair", type: "select", value: "Team C" } }),
    ];
    expect(sharingConflicts(pairs)).toEqual(new Map());
  });

  it("refuses two pairs that mark their pages with the same value, whatever its case", () => {
    const conflicts = sharingConflicts([
      notion("a", { pairProperty: { name: "Pair", value: "Ada" } }),
      notion("b", { pairProperty: { name: "Pair", value: " ada" } }),
    ]);
    expect(conflicts.get("b")).toEqual([
      `destination.pairProperty.value: pair "a" already marks its agendas in data source ${SOURCE} with Pair = "Ada"; give each pair its own value`,
    ]);
  });

  it("compares ids as given: a database id and a data source id are different places until run time", () => {
    expect(sharingConflicts([notion("a"), placed("b", { kind: "notion", databaseId: DATABASE })])).toEqual(
      new Map(),
    );
    const sameDatabase = sharingConflicts([
      placed("a", { kind: "notion", databaseId: DATABASE }),
      placed("b", { kind: "notion", databaseId: DATABASE.replaceAll("-", "") }),
    ]);
    expect(sameDatabase.get("b")?.[0]).toMatch(/^destination\.databaseId: database 22222222-/);
  });

  it("checks the ids a destination resolved at run time against every other pair", () => {
    const byDatabase = placed("a", { kind: "notion", databaseId: DATABASE });
    const bySource = notion("b");
    const index = new SharingIndex([byDatabase, bySource]);
    // The database turned out to hold the data source pair b names.
    expect(index.checkFor(byDatabase)?.({ dataSourceId: SOURCE, databaseId: DATABASE })).toBe(
      `data source ${SOURCE} already holds the agendas of pair "b"; give both pairs a pairProperty to share it`,
    );
    // Pair b learns the database from a page's parent.
    expect(index.checkFor(bySource)?.({ dataSourceId: SOURCE, databaseId: DATABASE })).toBe(
      `database ${DATABASE} already holds the agendas of pair "a"; give both pairs a pairProperty to share it`,
    );
    // Alone in its data source, a pair may write.
    const alone = new SharingIndex([bySource]);
    expect(alone.checkFor(bySource)?.({ dataSourceId: SOURCE, databaseId: DATABASE })).toBeNull();
  });
});

describe("sharing a Google document or folder", () => {
  const running = (id: string) =>
    placed(id, { kind: "google-docs", mode: "running-doc", documentId: DOCUMENT });
  const perMeeting = (id: string, templateDocumentId?: string) =>
    placed(id, {
      kind: "google-docs",
      mode: "doc-per-meeting",
      folderId: FOLDER,
      ...(templateDocumentId === undefined ? {} : { templateDocumentId }),
    });

  it("allows pairs in one running doc (sections are keyed by pair) and in one folder (documents are marked)", () => {
    expect(sharingConflicts([running("a"), running("b"), perMeeting("c"), perMeeting("d")])).toEqual(
      new Map(),
    );
    expect(new SharingIndex([running("a")]).checkFor(running("a"))).toBeUndefined();
  });

  it("refuses a running doc that is another pair's template, on both pairs", () => {
    const conflicts = sharingConflicts([running("a"), perMeeting("b", DOCUMENT)]);
    expect(conflicts.get("a")).toEqual([
      `destination.documentId: Google document ${DOCUMENT} is the template of pair "b"'s agendas; a running doc there would be copied into every agenda of theirs`,
    ]);
    expect(conflicts.get("b")?.[0]).toMatch(/^destination\.templateDocumentId: .* running doc of pair "a"/);
  });

  it("never compares a Notion place with a Google one", () => {
    expect(sharingConflicts([notion("a"), running("b"), perMeeting("c")])).toEqual(new Map());
  });
});

describe("pairs about to be written", () => {
  it("are checked beside the stored pairs they do not replace, and beside each other once", () => {
    const stored = [notion("kept"), placed("moved", { kind: "notion", databaseId: DATABASE })];
    const incoming = [
      placed("moved", { kind: "notion", dataSourceId: "33333333-3333-4333-8333-333333333333" }),
      placed("new", { kind: "notion", databaseId: DATABASE }),
      notion("late"),
    ];
    expect(incomingConflicts(incoming, stored, (index) => `pairs[${index}].`)).toEqual([
      `pairs[2].destination.dataSourceId: data source ${SOURCE} already holds the agendas of pair "kept"; give both pairs a pairProperty to share it`,
    ]);
  });

  it("report each conflict of an import on the later pair only", () => {
    expect(incomingConflicts([notion("a"), notion("b"), notion("c")], [])).toEqual([
      `destination.dataSourceId: data source ${SOURCE} already holds the agendas of pair "a"; give both pairs a pairProperty to share it`,
      `destination.dataSourceId: data source ${SOURCE} already holds the agendas of pair "a"; give both pairs a pairProperty to share it`,
      `destination.dataSourceId: data source ${SOURCE} already holds the agendas of pair "b"; give both pairs a pairProperty to share it`,
    ]);
  });
});
