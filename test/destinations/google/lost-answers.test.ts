// Nothing half-made is ever taken as the agenda. For each Google mode (running doc, tab per meeting, doc
// per meeting with and without a template) the emulator applies each writing call in turn and then drops
// the connection (the run never hears, as when it dies right after the call); the next run must end with
// exactly one finished agenda for the meeting, its placeholders filled and every open item carried once.
import { afterEach, describe, expect, inject, it } from "vitest";
import {
  type BlockSpec,
  googleControl,
  type Role,
  type ServiceAccountKey,
} from "../../../emulators/google/control";
import { createGoogleClient, type GoogleClient } from "../../../src/destinations/google/api/client";
import {
  type GoogleDocsDestinationInput,
  googleDocsDestinationSchema,
} from "../../../src/destinations/google/config";
import { createGoogleDocsDestination } from "../../../src/destinations/google/destination";
import type { Destination } from "../../../src/destinations/types";
import { agendaWith, meeting, PAIR, prepare } from "./harness";
import { text, todo } from "./support";

const url = inject("googleUrl");
const emu = googleControl(url);

const BATCH = { method: "POST", path: "/v1/documents/:id:batchUpdate" } as const;
/**
 * A new document's fill, when the previous agenda holds items people typed: the batchUpdate before it
 * names those items in the previous agenda (live sync follows them by their named ranges).
 */
const FILL = { ...BATCH, skip: 1 } as const;
const COPY = { method: "POST", path: "/drive/v3/files/:id/copy" } as const;
const CREATE = { method: "POST", path: "/drive/v3/files" } as const;

const ITEMS = ["Call the vendor", "Prepare the demo", "Book the room"];
const BEFORE = "2026-12-01";
const DATE = "2026-12-08";

function unique(name: string): string {
  return `${name}-${crypto.randomUUID().slice(0, 8)}`;
}

const touched: string[] = [];
afterEach(async () => {
  // Every request we sent, recovery included, must fit Google's discovery documents.
  for (const principal of touched.splice(0)) expect(await emu.violations(principal)).toEqual([]);
});

/** A fresh service account and a run's client for it; `newRun` starts the next cron tick. */
async function account() {
  const key: ServiceAccountKey = await emu.createServiceAccount({ name: unique("lost") });
  const sa = key.client_email;
  touched.push(sa);
  const newClient = (): GoogleClient =>
    createGoogleClient({
      serviceAccountKey: JSON.stringify(key),
      tokenUrl: emu.tokenUrl,
      docsBaseUrl: url,
      driveBaseUrl: url,
    });
  let client = newClient();
  return {
    sa,
    newRun() {
      client = newClient();
    },
    destination(input: GoogleDocsDestinationInput): Destination {
      return createGoogleDocsDestination({
        client,
        config: googleDocsDestinationSchema.parse(input),
        pairId: PAIR,
      });
    },
    /** The pair's agendas for a date in the folder, not trashed, as Drive lists them. */
    async agendasIn(folderId: string, date: string) {
      const list = await newClient()
        .as()
        .listFiles({
          q: `'${folderId}' in parents and trashed = false`,
          fields: "files(id,name,appProperties)",
          pageSize: 100,
        });
      return list.files.filter(
        (file) => file.appProperties?.oneOnOnePair === PAIR && file.appProperties.oneOnOneDate === date,
      );
    },
  };
}

type Account = Awaited<ReturnType<typeof account>>;

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/** Prepares the meeting with `fault` armed: the write happens, its answer never comes, the run fails. */
async function loseAnswer(
  me: Account,
  input: GoogleDocsDestinationInput,
  fault: { method: string; path: string; skip?: number },
) {
  await emu.addFault({ principal: me.sa, drop: "after", ...fault });
  const error = await prepare(me.destination(input), DATE).catch((caught: unknown) => caught);
  expect(error).toMatchObject({ retryable: true, message: expect.stringMatching(/Could not reach Google/) });
  expect(await emu.faults()).not.toContainEqual(
    expect.objectContaining({ spec: expect.objectContaining({ principal: me.sa }) }),
  );
}

/** The next runs: one prepares (finishing or replacing what was half made), the one after finds it. */
async function recover(me: Account, input: GoogleDocsDestinationInput) {
  me.newRun();
  const next = await prepare(me.destination(input), DATE);
  expect(next.created ?? next.found).not.toBeNull();
  me.newRun();
  const again = await me.destination(input).locate(meeting(DATE));
  expect(again.existing?.id).toBe((next.created ?? next.found)?.id);
  return next;
}

/** One finished agenda's text: placeholders filled, each open item carried once. */
function expectFinished(view: string) {
  expect(view).not.toContain("{{");
  for (const item of ITEMS) expect(count(view, `${item} ↻ open since ${BEFORE}`)).toBe(1);
}

const TEMPLATE: BlockSpec[] = [
  { heading: "{{report.name}} / {{manager.name}}", level: 1 },
  { heading: "Discussion points", level: 2 },
  { bullet: "Topic:" },
  { heading: "Action items", level: 2 },
  { bullet: "New item (owner, due date)" },
  { heading: "Notes", level: 2 },
  { paragraph: "" },
];

/** A shared-drive folder with an earlier agenda holding the open items, and the destination's input. */
async function folderWithHistory(me: Account, withTemplate: boolean, role: Role = "writer") {
  const drive = await emu.createFolder({
    name: unique("1:1s"),
    sharedDrive: true,
    sharedWith: [{ principal: me.sa, role }],
  });
  const template = withTemplate
    ? await emu.createDocument({ title: "1:1 template", parents: [drive.id], content: TEMPLATE })
    : undefined;
  const input: GoogleDocsDestinationInput = {
    kind: "google-docs",
    mode: "doc-per-meeting",
    folderId: drive.id,
    ...(template === undefined ? {} : { templateDocumentId: template.documentId }),
  };
  const first = await prepare(me.destination(input), BEFORE, (d) =>
    agendaWith(
      d,
      ITEMS.map((item) => todo([text(item)])),
    ),
  );
  if (withTemplate) {
    // A template's agenda gets its items from people, typed under its action-items heading.
    const id = first.created?.id ?? "";
    const doc = await emu.document(id);
    const content = doc.tabs?.[0]?.documentTab?.body?.content ?? [];
    const example = content.find((element) =>
      element.paragraph?.elements.some((run) => run.textRun?.content?.startsWith("New item")),
    );
    await emu.batchUpdateAs(me.sa, id, [
      {
        insertText: { location: { index: example?.startIndex ?? 0 }, text: `${ITEMS.join("\n")}\n` },
      },
    ]);
  }
  return { folderId: drive.id, input };
}

async function expectOneAgenda(me: Account, folderId: string) {
  const agendas = await me.agendasIn(folderId, DATE);
  expect(agendas).toHaveLength(1);
  const view = await emu.view(agendas[0]?.id ?? "");
  expectFinished(view);
  return view;
}

describe("doc per meeting: a lost answer never leaves a half-made agenda", () => {
  for (const [name, fault] of [
    ["files.copy", COPY],
    ["documents.batchUpdate", FILL],
  ] as const) {
    it(`with a template, ${name}'s answer lost: the next run finishes the agenda once`, async () => {
      const me = await account();
      const { folderId, input } = await folderWithHistory(me, true);
      me.newRun();
      await loseAnswer(me, input, fault);
      const [bare] = await me.agendasIn(folderId, DATE);
      const next = await recover(me, input);
      const view = await expectOneAgenda(me, folderId);
      expect(view).toContain("Bo Chen / Ada Lovelace");
      // A bare copy is finished where it is, not copied again; a filled one is found.
      expect((next.created ?? next.found)?.id).toBe(bare?.id);
    });
  }

  for (const [name, fault] of [
    ["files.create", CREATE],
    ["documents.batchUpdate", FILL],
  ] as const) {
    it(`without a template, ${name}'s answer lost: the next run writes the agenda once`, async () => {
      const me = await account();
      const { folderId, input } = await folderWithHistory(me, false);
      me.newRun();
      await loseAnswer(me, input, fault);
      const [bare] = await me.agendasIn(folderId, DATE);
      const next = await recover(me, input);
      const view = await expectOneAgenda(me, folderId);
      expect(view).toContain(`Bo's 1:1 with Ada · ${DATE}`);
      expect((next.created ?? next.found)?.id).toBe(bare?.id);
    });
  }

  it("a copy lost, then the write that finishes it lost too: the run after that converges", async () => {
    const me = await account();
    const { folderId, input } = await folderWithHistory(me, true);
    me.newRun();
    await loseAnswer(me, input, COPY);
    me.newRun();
    await loseAnswer(me, input, BATCH);
    await recover(me, input);
    await expectOneAgenda(me, folderId);
  });

  for (const [role, left] of [
    ["fileOrganizer", 0],
    ["writer", 1],
  ] as const) {
    it(`two copies lost in a row (${role}): one is finished, the other ${left === 0 ? "trashed" : "left, never taken"}`, async () => {
      const me = await account();
      const { folderId, input } = await folderWithHistory(me, true, role);
      me.newRun();
      await loseAnswer(me, input, COPY);
      // A run that copies again without looking first (it lost what its locate found).
      me.newRun();
      await emu.addFault({ principal: me.sa, drop: "after", ...COPY });
      const error = await me
        .destination(input)
        .create(meeting(DATE), {
          agenda: agendaWith(DATE),
          carried: { actions: [], discussion: [], parked: [] },
          placeholders: {},
        })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ retryable: true });
      expect(await me.agendasIn(folderId, DATE)).toHaveLength(2);
      const next = await recover(me, input);
      const agendas = await me.agendasIn(folderId, DATE);
      expect(agendas).toHaveLength(1 + left);
      expectFinished(await emu.view(next.created?.id ?? ""));
      for (const other of agendas.filter((file) => file.id !== next.created?.id)) {
        expect(await emu.view(other.id)).toContain("{{report.name}}");
      }
    });
  }

  it("an unfinished agenda of an earlier meeting is never read as the previous one", async () => {
    const me = await account();
    const { folderId, input } = await folderWithHistory(me, true);
    // A copy for a meeting in between whose answer was lost, and no run came back for it in time.
    me.newRun();
    await emu.addFault({ principal: me.sa, drop: "after", ...COPY });
    await prepare(me.destination(input), "2026-12-04").catch(() => undefined);
    me.newRun();
    const located = await me.destination(input).locate(meeting(DATE));
    expect(located.previous?.date).toBe(BEFORE);
    me.newRun();
    const next = await prepare(me.destination(input), DATE);
    expect(next.carried.map((item) => item.text)).toEqual(ITEMS);
    await expectOneAgenda(me, folderId);
  });
});

describe("running doc: a lost answer never leaves a half-made section or tab", () => {
  async function runningDoc(me: Account, tabPerMeeting: boolean) {
    const doc = await emu.createDocument({ title: "Ada / Bo 1:1", sharedWith: [me.sa], content: [] });
    const input: GoogleDocsDestinationInput = {
      kind: "google-docs",
      mode: "running-doc",
      documentId: doc.documentId,
      tabPerMeeting,
    };
    await prepare(me.destination(input), BEFORE, (d) =>
      agendaWith(
        d,
        ITEMS.map((item) => todo([text(item)])),
      ),
    );
    return { documentId: doc.documentId, input };
  }

  it("a section's one batchUpdate lost: the next run finds the section, written once", async () => {
    const me = await account();
    const { documentId, input } = await runningDoc(me, false);
    me.newRun();
    await loseAnswer(me, input, BATCH);
    const next = await recover(me, input);
    expect(next.found?.date).toBe(DATE);
    const view = await emu.view(documentId);
    expect(count(view, `1:1 · ${DATE}`)).toBe(1);
    expectFinished(view);
  });

  for (const [name, skip] of [
    ["the new tab's (addDocumentTab)", 0],
    ["the tab's content", 1],
  ] as const) {
    it(`a tab per meeting, ${name} batchUpdate lost: one finished tab, no empty one left`, async () => {
      const me = await account();
      const { documentId, input } = await runningDoc(me, true);
      me.newRun();
      await loseAnswer(me, input, { ...BATCH, skip });
      await recover(me, input);
      const doc = await emu.document(documentId);
      const titles = (doc.tabs ?? []).map((tab) => tab.tabProperties?.title);
      expect(titles.filter((title) => title === `1:1 · ${DATE}`)).toHaveLength(1);
      const view = await emu.view(documentId);
      expectFinished(view);
      // No tab is left empty.
      for (const tab of doc.tabs ?? []) {
        const content = tab.documentTab?.body?.content ?? [];
        const words = content
          .flatMap((element) => element.paragraph?.elements ?? [])
          .map((run) => run.textRun?.content ?? "")
          .join("")
          .trim();
        if (tab.tabProperties?.title !== "Tab 1") expect(words).not.toBe("");
      }
    });
  }

  it("a tab added but its content lost twice over: the run after that converges on one tab", async () => {
    const me = await account();
    const { documentId, input } = await runningDoc(me, true);
    me.newRun();
    await loseAnswer(me, input, BATCH);
    me.newRun();
    await loseAnswer(me, input, BATCH);
    await recover(me, input);
    const doc = await emu.document(documentId);
    const titles = (doc.tabs ?? []).map((tab) => tab.tabProperties?.title);
    expect(titles.filter((title) => title === `1:1 · ${DATE}`)).toHaveLength(1);
    expectFinished(await emu.view(documentId));
  });
});
