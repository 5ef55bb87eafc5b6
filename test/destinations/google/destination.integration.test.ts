// The Google Docs destination against the Google emulator, over HTTP from workerd: locate, readOpenItems
// and create in both modes with the calls each agenda costs (running doc ≤ 2, doc per meeting ≤ 4), a
// document people edited between runs (text above, headings renamed), a Done chip set as a person sets
// it, shared drives and impersonation, and every request we send checked by the emulator against
// Google's discovery documents.
import { afterEach, describe, expect, inject, it } from "vitest";
import {
  type DocsDocument,
  type DocsRequest,
  type DocsStructuralElement,
  googleControl,
  type ServiceAccountKey,
} from "../../../emulators/google/control";
import { createGoogleClient } from "../../../src/destinations/google/api/client";
import {
  type GoogleDocsDestinationInput,
  googleDocsDestinationSchema,
} from "../../../src/destinations/google/config";
import { createGoogleDocsDestination } from "../../../src/destinations/google/destination";
import type { Destination } from "../../../src/destinations/types";
import { plainText } from "../../../src/domain/agenda";
import { describeDestinationContract } from "../contract";
import { agendaWith, meeting, prepare } from "./harness";
import { text, todo } from "./support";

const url = inject("googleUrl");
const emu = googleControl(url);

const owner = {
  kind: "mention",
  text: "Ada Manager",
  mention: { type: "user", userId: "ada@example.com" },
} as const;
const due = { kind: "mention", text: "2026-12-04", mention: { type: "date", start: "2026-12-04" } } as const;
const ACTIONS = [
  todo([
    text("Draft the "),
    text("Q1 plan", { style: { bold: true }, link: "https://example.com/q1" }),
    text(" "),
    owner,
    text(" "),
    due,
  ]),
  todo([text("Prepare the demo")], [todo([text("Write the script")])]),
  todo([text("Book the room")]),
];

function unique(name: string): string {
  return `${name}-${crypto.randomUUID().slice(0, 8)}`;
}

/** A fresh service account (own calls, quotas and violations) and a run's client for it. */
async function account(spec: Parameters<typeof emu.createServiceAccount>[0] = {}) {
  const key: ServiceAccountKey = await emu.createServiceAccount({ name: unique("agendas"), ...spec });
  const sa = key.client_email;
  const newClient = () =>
    createGoogleClient({
      serviceAccountKey: JSON.stringify(key),
      tokenUrl: emu.tokenUrl,
      docsBaseUrl: url,
      driveBaseUrl: url,
    });
  let client = newClient();
  const accounts = [sa];
  touched.push(sa);
  return {
    key,
    sa,
    newRun() {
      client = newClient();
    },
    destination(input: GoogleDocsDestinationInput, pairId = "ada-bo"): Destination {
      return createGoogleDocsDestination({
        client,
        config: googleDocsDestinationSchema.parse(input),
        pairId,
      });
    },
    /** The emulator's count of this run's calls, token requests left out. */
    async calls(principal = sa): Promise<Record<string, number>> {
      const { "POST /token": _token, ...rest } = await emu.calls(principal);
      return rest;
    },
    async resetCalls(principal = sa) {
      await emu.resetCalls(principal);
    },
    accounts,
  };
}

const touched: string[] = [];
afterEach(async () => {
  // Every request we sent must fit Google's discovery documents, as the emulator checks them.
  for (const principal of touched.splice(0)) expect(await emu.violations(principal)).toEqual([]);
});

function paragraphs(content: readonly DocsStructuralElement[]) {
  return content.flatMap((element) =>
    element.paragraph === undefined ? [] : [{ element, paragraph: element.paragraph }],
  );
}

function textOf(paragraph: NonNullable<DocsStructuralElement["paragraph"]>): string {
  return paragraph.elements.map((element) => element.textRun?.content ?? "\ue907").join("");
}

function firstTabContent(doc: DocsDocument): DocsStructuralElement[] {
  return doc.tabs?.[0]?.documentTab?.body?.content ?? [];
}

/** A person renames the first paragraph whose text contains `from` (its whole text becomes `to`). */
async function rename(editor: string, documentId: string, from: string, to: string) {
  const doc = await emu.document(documentId);
  const found = paragraphs(firstTabContent(doc)).find(({ paragraph }) => textOf(paragraph).includes(from));
  if (found === undefined) throw new Error(`no paragraph with "${from}"`);
  const start = found.element.startIndex ?? 0;
  const end = (found.element.endIndex ?? 0) - 1;
  const requests: DocsRequest[] = [
    { deleteContentRange: { range: { startIndex: start, endIndex: end } } },
    { insertText: { location: { index: start }, text: to } },
  ];
  await emu.batchUpdateAs(editor, documentId, requests);
}

describe("running doc against the emulator", () => {
  it("happy: two meetings, each in one get and one batchUpdate; a Done chip is not carried", async () => {
    const me = await account();
    const doc = await emu.createDocument({ title: "Ada / Bo 1:1", sharedWith: [me.sa], content: [] });
    const input = { kind: "google-docs", mode: "running-doc", documentId: doc.documentId } as const;

    await prepare(me.destination(input), "2026-12-01", (d) => agendaWith(d, ACTIONS));
    expect(await me.calls()).toEqual({ "GET /v1/documents/:id": 1, "POST /v1/documents/:id:batchUpdate": 1 });
    await emu.setDropdown(doc.documentId, { paragraphContaining: "Book the room" }, "Done");

    await me.resetCalls();
    me.newRun();
    const second = await prepare(me.destination(input), "2026-12-08");
    expect(await me.calls()).toEqual({ "GET /v1/documents/:id": 1, "POST /v1/documents/:id:batchUpdate": 1 });
    expect(second.carried.map((item) => item.text)).toEqual([
      "Draft the Q1 plan Ada Manager 2026-12-04",
      "Prepare the demo",
    ]);
    expect(second.carried[0]).toMatchObject({ ownerUserId: "ada@example.com", dueDate: "2026-12-04" });

    const view = await emu.view(doc.documentId);
    expect(view.indexOf("1:1 · 2026-12-08")).toBeLessThan(view.indexOf("1:1 · 2026-12-01"));
    expect(view).toContain("Mark an item done with its status chip (or strike it through).");
  });

  it("still works after a person wrote above the sections and renamed the headings", async () => {
    const me = await account();
    const editor = (await emu.createUser({ email: `${unique("editor")}@example.com`, name: "Eddie" })).email;
    const doc = await emu.createDocument({
      title: "Ada / Bo 1:1",
      owner: editor,
      sharedWith: [me.sa],
      content: [{ paragraph: "" }],
    });
    const input = { kind: "google-docs", mode: "running-doc", documentId: doc.documentId } as const;
    await prepare(me.destination(input), "2026-12-01", (d) => agendaWith(d, ACTIONS));

    await emu.batchUpdateAs(editor, doc.documentId, [
      { insertText: { location: { index: 1 }, text: "Team notes — read me first\nMore notes\n" } },
    ]);
    await rename(editor, doc.documentId, "1:1 · 2026-12-01", "Monday catch-up (moved from Tuesday)");
    await rename(editor, doc.documentId, "Action items", "✅ Next steps:");

    await me.resetCalls();
    me.newRun();
    const destination = me.destination(input);
    const located = await destination.locate(meeting("2026-12-08"));
    expect(located.previous?.date).toBe("2026-12-01");
    const open = await destination.readOpenItems(located.previous ?? { id: "", url: "", date: "" }, [
      "actions",
    ]);
    expect(open.actions.map((item) => plainText(item.text))).toEqual([
      "Draft the Q1 plan Ada Manager 2026-12-04",
      "Prepare the demo",
      "Book the room",
    ]);
    expect(
      open.actions[1]?.children.map((child) => (child.kind === "todo" ? plainText(child.text) : child.kind)),
    ).toEqual(["Write the script"]);
    await destination.create(meeting("2026-12-08"), {
      agenda: agendaWith("2026-12-08"),
      carried: { actions: [], discussion: [], parked: [] },
      placeholders: {},
    });
    expect(await me.calls()).toEqual({ "GET /v1/documents/:id": 1, "POST /v1/documents/:id:batchUpdate": 1 });
    const view = await emu.view(doc.documentId);
    expect(view.indexOf("Team notes")).toBeLessThan(view.indexOf("1:1 · 2026-12-08"));
    expect(view.indexOf("1:1 · 2026-12-08")).toBeLessThan(view.indexOf("Monday catch-up"));
    // Found again by its named range, under its new name.
    expect((await me.destination(input).locate(meeting("2026-12-08"))).existing?.date).toBe("2026-12-08");
  });

  it("a tab per meeting costs three calls (Google names the tab), and is found again", async () => {
    const me = await account();
    const doc = await emu.createDocument({ title: "Ada / Bo 1:1", sharedWith: [me.sa], content: [] });
    const input = {
      kind: "google-docs",
      mode: "running-doc",
      documentId: doc.documentId,
      tabPerMeeting: true,
    } as const;
    const first = await prepare(me.destination(input), "2026-12-01", (d) => agendaWith(d, ACTIONS));
    expect(await me.calls()).toEqual({ "GET /v1/documents/:id": 1, "POST /v1/documents/:id:batchUpdate": 2 });
    expect(first.created?.url).toMatch(/\?tab=/);
    me.newRun();
    const second = await prepare(me.destination(input), "2026-12-08");
    expect(second.carried).toHaveLength(3);
    const titles = ((await emu.document(doc.documentId)).tabs ?? []).map((tab) => tab.tabProperties?.title);
    expect(titles.slice(0, 2)).toEqual(["1:1 · 2026-12-08", "1:1 · 2026-12-01"]);
  });

  it("waits out a 429 (Retry-After) on the write and retries a 502 on the read", async () => {
    const me = await account();
    const doc = await emu.createDocument({ title: "Ada / Bo 1:1", sharedWith: [me.sa], content: [] });
    await emu.addFault({ principal: me.sa, method: "GET", path: "/v1/documents/:id", status: 502 });
    await emu.addFault({
      principal: me.sa,
      path: "/v1/documents/:id:batchUpdate",
      status: 429,
      retryAfter: 1,
    });
    const result = await prepare(
      me.destination({ kind: "google-docs", mode: "running-doc", documentId: doc.documentId }),
      "2026-12-01",
    );
    expect(result.created).not.toBeNull();
    expect(await me.calls()).toEqual({ "GET /v1/documents/:id": 2, "POST /v1/documents/:id:batchUpdate": 2 });
    expect((await emu.view(doc.documentId)).match(/1:1 · 2026-12-01/g)).toHaveLength(1);
  });

  it("a write whose answer is lost is not sent again; the next run finds what it wrote", async () => {
    const me = await account();
    const doc = await emu.createDocument({ title: "Ada / Bo 1:1", sharedWith: [me.sa], content: [] });
    const input = { kind: "google-docs", mode: "running-doc", documentId: doc.documentId } as const;
    await emu.addFault({ principal: me.sa, path: "/v1/documents/:id:batchUpdate", drop: "after" });
    const error = await prepare(me.destination(input), "2026-12-01").catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      retryable: true,
      message: expect.stringMatching(/Could not reach Google/),
    });
    expect((await me.calls())["POST /v1/documents/:id:batchUpdate"]).toBe(1);
    me.newRun();
    const again = await prepare(me.destination(input), "2026-12-01");
    expect(again.found?.date).toBe("2026-12-01");
    expect((await emu.view(doc.documentId)).match(/1:1 · 2026-12-01/g)).toHaveLength(1);
  });

  it("fetches a new token once when Google says the cached one expired", async () => {
    const me = await account();
    const doc = await emu.createDocument({ title: "Ada / Bo 1:1", sharedWith: [me.sa], content: [] });
    const destination = me.destination({
      kind: "google-docs",
      mode: "running-doc",
      documentId: doc.documentId,
    });
    await destination.locate(meeting("2026-12-01"));
    await emu.expireTokens(me.sa);
    await destination.locate(meeting("2026-12-01"));
    expect((await emu.calls(me.sa))["POST /token"]).toBe(2);
  });

  it("names the document and the service account when it is not shared", async () => {
    const me = await account();
    const doc = await emu.createDocument({ title: "Private", content: [] });
    const error = await me
      .destination({ kind: "google-docs", mode: "running-doc", documentId: doc.documentId })
      .locate(meeting("2026-12-01"))
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toBe(
      `Google document ${doc.documentId} was not found or is not shared with ${me.sa}`,
    );
  });
});

describe("doc per meeting against the emulator", () => {
  it("happy: a template copied into a shared drive in four calls (one more to name items people typed), placeholders filled, items carried under its heading", async () => {
    const me = await account();
    const drive = await emu.createFolder({ name: unique("1:1s"), sharedDrive: true, sharedWith: [me.sa] });
    const folder = await emu.createFolder({ name: "Ada / Bo", parent: drive.id });
    const template = await emu.createDocument({
      title: "1:1 template",
      parents: [drive.id],
      content: [
        { heading: "{{report.name}} / {{manager.name}}", level: 1 },
        { heading: "Discussion points", level: 2 },
        { bullet: "Topic:" },
        { heading: "Action items", level: 2 },
        { bullet: "New item (owner, due date)" },
        { heading: "Notes", level: 2 },
        { paragraph: "" },
      ],
    });
    const input = {
      kind: "google-docs",
      mode: "doc-per-meeting",
      folderId: folder.id,
      templateDocumentId: template.documentId,
    } as const;

    const first = await prepare(me.destination(input), "2026-12-01");
    expect(await me.calls()).toEqual({
      "GET /drive/v3/files": 1,
      "GET /v1/documents/:id": 1, // the template, read once per run
      "POST /drive/v3/files/:id/copy": 1,
      "POST /v1/documents/:id:batchUpdate": 1,
    });
    const firstId = first.created?.id ?? "";
    expect(await emu.view(firstId)).toContain("Bo Chen / Ada Lovelace");
    // People add items in the agenda, one with chips.
    await emu.batchUpdateAs(me.sa, firstId, []);
    const seeded = await emu.document(firstId);
    const newItem = paragraphs(firstTabContent(seeded)).find(({ paragraph }) =>
      textOf(paragraph).startsWith("New item"),
    );
    await emu.batchUpdateAs(me.sa, firstId, [
      { insertText: { location: { index: newItem?.element.startIndex ?? 0 }, text: "Call the vendor\n" } },
    ]);

    await me.resetCalls();
    me.newRun();
    const second = await prepare(me.destination(input), "2026-12-08");
    expect(await me.calls()).toEqual({
      "GET /drive/v3/files": 1,
      "GET /v1/documents/:id": 2, // the previous agenda, and the template once per run
      "POST /drive/v3/files/:id/copy": 1,
      // The fill, and the named range of the item a person typed in the previous agenda.
      "POST /v1/documents/:id:batchUpdate": 2,
    });
    expect(second.carried.map((item) => item.text)).toEqual(["Call the vendor"]);
    // The item and its copy are named alike in both documents, by the ids the ledger records.
    const itemRanges = async (id: string) =>
      Object.keys((await emu.document(id)).tabs?.[0]?.documentTab?.namedRanges ?? {}).filter((name) =>
        name.startsWith("oneonone.item."),
      );
    expect(await itemRanges(firstId)).toEqual([`oneonone.item.${second.carried[0]?.block.id}`]);
    expect(await itemRanges(second.created?.id ?? "")).toHaveLength(1);
    const file = await emu.file(second.created?.id ?? "", { app: me.sa });
    expect(file.appProperties).toEqual({
      oneOnOnePair: "ada-bo",
      oneOnOneDate: "2026-12-08",
      oneOnOneFinish: "namedRange",
    });
    // The completion mark, written in the batchUpdate that filled it, spans the whole agenda.
    const marked = (await emu.document(second.created?.id ?? "")).tabs?.[0]?.documentTab?.namedRanges;
    const mark = marked?.["one-on-one:ada-bo/2026-12-08"]?.namedRanges?.[0]?.ranges?.[0];
    const body = firstTabContent(await emu.document(second.created?.id ?? ""));
    // (Its start moves past a placeholder replaced at the very top: text put at a range's start is outside.)
    expect(mark?.startIndex).toBeLessThan(20);
    expect(mark?.endIndex).toBe((body.at(-1)?.endIndex ?? 0) - 1);
    const view = await emu.view(second.created?.id ?? "");
    expect(view).toContain("Call the vendor ↻ open since 2026-12-01 · carried 1×");
    expect(view.indexOf("Action items")).toBeLessThan(view.indexOf("Call the vendor"));
    expect(view.indexOf("Call the vendor")).toBeLessThan(view.indexOf("Notes"));

    const again = await me.destination(input).locate(meeting("2026-12-08"));
    expect(again.existing?.id).toBe(second.created?.id);
    expect(again.previous?.id).toBe(firstId);
  });

  it("without a template, a new document per meeting, as an impersonated user in My Drive", async () => {
    const me = await account({ domainWideDelegation: true });
    const user = (await emu.createUser({ email: `${unique("ada")}@example.com`, name: "Ada" })).email;
    touched.push(user);
    const folder = await emu.createFolder({ name: "1:1s", owner: user });
    const input = {
      kind: "google-docs",
      mode: "doc-per-meeting",
      folderId: folder.id,
      impersonate: user,
    } as const;
    await prepare(me.destination(input), "2026-12-01", (d) => agendaWith(d, ACTIONS));
    me.newRun();
    await emu.resetCalls(user);
    const second = await prepare(me.destination(input), "2026-12-08");
    const calls = await me.calls(user);
    expect(calls).toEqual({
      "GET /drive/v3/files": 1,
      "GET /v1/documents/:id": 1,
      "POST /drive/v3/files": 1,
      // The fill, and the named ranges of the first agenda's items (written, not carried: unnamed).
      "POST /v1/documents/:id:batchUpdate": 2,
    });
    expect(second.carried).toHaveLength(3);
    // The week after, every open item is a named copy: four calls.
    me.newRun();
    await emu.resetCalls(user);
    await prepare(me.destination(input), "2026-12-15");
    const steady = await me.calls(user);
    expect(Object.values(steady).reduce((sum, n) => sum + n, 0)).toBe(4);
  });

  it("makes the agenda when the previous document refuses the names of its items (shared read-only)", async () => {
    const me = await account({ domainWideDelegation: true });
    const user = (await emu.createUser({ email: `${unique("ada")}@example.com`, name: "Ada" })).email;
    touched.push(user);
    const folder = await emu.createFolder({ name: "1:1s", owner: user });
    const input = {
      kind: "google-docs",
      mode: "doc-per-meeting",
      folderId: folder.id,
      impersonate: user,
    } as const;
    const first = await prepare(me.destination(input), "2026-12-01", (d) => agendaWith(d, ACTIONS));
    const firstId = first.created?.id ?? "";
    await emu.addFault({
      principal: user,
      method: "POST",
      path: `/v1/documents/${firstId}:batchUpdate`,
      status: 403,
    });
    me.newRun();
    const second = await prepare(me.destination(input), "2026-12-08");
    expect(second.created?.id).toBeDefined();
    expect(second.carried).toHaveLength(3);
    // Its items keep the ids made from their words: the ledger's ids are what a later read gives them.
    const reread = await me
      .destination(input)
      .readOpenItems({ id: firstId, url: "", date: "2026-12-01" }, ["actions"]);
    expect(reread.actions.map((item) => item.id)).toEqual(second.carried.map((item) => item.block.id));
  });

  it("a service account cannot own a new document in My Drive: the message says what to do", async () => {
    const me = await account();
    const folder = await emu.createFolder({ name: "1:1s", sharedWith: [me.sa] });
    const error = await prepare(
      me.destination({ kind: "google-docs", mode: "doc-per-meeting", folderId: folder.id }),
      "2026-12-01",
    ).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/no Drive storage of its own.*shared drive.*impersonate/);
  });
});

describeDestinationContract("Google Docs running doc (emulator)", async () => {
  const me = await account();
  const doc = await emu.createDocument({ title: "Contract", sharedWith: [me.sa], content: [] });
  return {
    destination: me.destination(
      { kind: "google-docs", mode: "running-doc", documentId: doc.documentId },
      "contract",
    ),
    neighbour: (pairId) =>
      me.destination({ kind: "google-docs", mode: "running-doc", documentId: doc.documentId }, pairId),
    owner: { userId: "ada@example.com", name: "Ada Manager" },
    async markDone(_ref, label) {
      await emu.setDropdown(doc.documentId, { paragraphContaining: label }, "Done");
    },
  };
});

describeDestinationContract("Google Docs doc per meeting (emulator)", async () => {
  const me = await account();
  const drive = await emu.createFolder({ name: unique("contract"), sharedDrive: true, sharedWith: [me.sa] });
  return {
    destination: me.destination(
      { kind: "google-docs", mode: "doc-per-meeting", folderId: drive.id },
      "contract",
    ),
    neighbour: (pairId) =>
      me.destination({ kind: "google-docs", mode: "doc-per-meeting", folderId: drive.id }, pairId),
    owner: { userId: "ada@example.com", name: "Ada Manager" },
    async markDone(ref, label) {
      await emu.setDropdown(ref.id, { paragraphContaining: label }, "Done");
    },
  };
});
