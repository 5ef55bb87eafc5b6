// Live sync's change detection for Google Docs against the Google emulator's Drive change log: the first
// look says everything, a quiet look costs one changes.list and says nothing, a person's edit marks that
// document's agendas only, pages past 1,000 changes are followed, another account's documents are never
// seen, and a token Drive rejects starts afresh. Every request is checked against the discovery document.
import { afterEach, describe, expect, inject, it } from "vitest";
import { googleControl, type ServiceAccountSpec } from "../../../emulators/google/control";
import { createGoogleClient } from "../../../src/destinations/google/api/client";
import { CHANGES_PAGE_SIZE, documentIdOf } from "../../../src/destinations/google/changes";
import {
  type GoogleDocsDestinationInput,
  googleDocsDestinationSchema,
} from "../../../src/destinations/google/config";
import { createGoogleDocsDestination } from "../../../src/destinations/google/destination";
import type { AgendaRef, ChangeWatch, Destination } from "../../../src/destinations/types";
import { DestinationError } from "../../../src/destinations/types";
import { agendaWith, prepare } from "./harness";
import { text, todo } from "./support";

const url = inject("googleUrl");
const emu = googleControl(url);
// The looks' `nowMs` is unused by Drive (page tokens, not times), so any fixed instant does.

function unique(name: string): string {
  return `${name}-${crypto.randomUUID().slice(0, 8)}`;
}

const touched: string[] = [];
afterEach(async () => {
  for (const principal of touched.splice(0)) expect(await emu.violations(principal)).toEqual([]);
});

/** A fresh service account and a run's client for it (acting as `impersonate` when given). */
async function account(spec: ServiceAccountSpec = {}) {
  const key = await emu.createServiceAccount({ name: unique("watch"), ...spec });
  const client = createGoogleClient({
    serviceAccountKey: JSON.stringify(key),
    tokenUrl: emu.tokenUrl,
    docsBaseUrl: url,
    driveBaseUrl: url,
  });
  touched.push(key.client_email);
  return {
    sa: key.client_email,
    client,
    destination(input: GoogleDocsDestinationInput, pairId = "ada-bo"): Destination {
      return createGoogleDocsDestination({
        client,
        config: googleDocsDestinationSchema.parse(input),
        pairId,
      });
    },
    /** The emulator's count of the account's Drive change calls. */
    async changeCalls(principal = key.client_email): Promise<Record<string, number>> {
      const counts = await emu.calls(principal);
      return Object.fromEntries(Object.entries(counts).filter(([endpoint]) => endpoint.includes("changes")));
    },
    resetCalls: (principal = key.client_email) => emu.resetCalls(principal),
  };
}

async function watchOf(destination: Destination): Promise<ChangeWatch> {
  const watch = await destination.changeWatch?.();
  if (watch === undefined) throw new Error("the Google destination has no change watch");
  return watch;
}

const edit = (text: string) => [{ insertText: { location: { index: 1 }, text } }];

/** Two meetings of one pair, each its own document in a shared-drive folder: the previous and the new. */
async function docPerMeetingPair(me: Awaited<ReturnType<typeof account>>) {
  const drive = await emu.createFolder({ name: unique("1:1s"), sharedDrive: true, sharedWith: [me.sa] });
  const destination = me.destination({ kind: "google-docs", mode: "doc-per-meeting", folderId: drive.id });
  const actions = [todo([text("Book the room")]), todo([text("Send the notes")])];
  const previous = (await prepare(destination, "2026-12-01", (d) => agendaWith(d, actions))).created;
  const next = (await prepare(destination, "2026-12-08")).created;
  if (previous === null || next === null) throw new Error("the agendas were not made");
  return { drive, destination, previous, next };
}

describe("Google change watch (Drive changes.list)", () => {
  it("first look: everything may have changed, for one changes.getStartPageToken", async () => {
    const me = await account();
    const { destination, previous, next } = await docPerMeetingPair(me);
    await me.resetCalls();
    const look = await (await watchOf(destination)).changedSince(null);
    expect(look.calls).toBe(1);
    expect(await me.changeCalls()).toEqual({ "GET /drive/v3/changes/startPageToken": 1 });
    expect(look.cursor).toMatch(/^\d+$/);
    expect([previous, next, { id: "any-other-document" }].map((ref) => look.changed(ref.id))).toEqual([
      true,
      true,
      true,
    ]);
  });

  it("no edits: nothing changed, one changes.list; a person's edit to the previous agenda marks that document only", async () => {
    const me = await account();
    const person = `${unique("ada")}@example.com`;
    const { drive, destination, previous, next } = await docPerMeetingPair(me);
    await emu.share(drive.id, person, "writer");
    const watch = await watchOf(destination);
    const first = await watch.changedSince(null);

    await me.resetCalls();
    const quiet = await watch.changedSince(first.cursor);
    expect(quiet.calls).toBe(1);
    expect(await me.changeCalls()).toEqual({ "GET /drive/v3/changes": 1 });
    expect([quiet.changed(previous.id), quiet.changed(next.id)]).toEqual([false, false]);
    expect(quiet.cursor).toBe(first.cursor);

    await emu.setDropdown(previous.id, { paragraphContaining: "Book the room" }, "Done", {
      principal: person,
    });
    const edited = await watch.changedSince(quiet.cursor);
    expect(edited.calls).toBe(1);
    expect([edited.changed(previous.id), edited.changed(next.id)]).toEqual([true, false]);
    expect(Number(edited.cursor)).toBeGreaterThan(Number(quiet.cursor));

    // Seen once: the next look starts past it.
    const after = await watch.changedSince(edited.cursor);
    expect([after.calls, after.changed(previous.id)]).toEqual([1, false]);
  });

  it("running doc: an edit marks every agenda in that document (ids `<documentId>#<section>`), not another pair's document", async () => {
    const me = await account();
    const person = `${unique("bo")}@example.com`;
    const ours = await emu.createDocument({
      title: "Ada / Bo 1:1",
      owner: person,
      sharedWith: [me.sa],
      content: [],
    });
    const theirs = await emu.createDocument({
      title: "Cy / Di 1:1",
      owner: person,
      sharedWith: [me.sa],
      content: [],
    });
    const input = { kind: "google-docs", mode: "running-doc", documentId: ours.documentId } as const;
    const made = (
      await prepare(me.destination(input), "2026-12-01", (d) => agendaWith(d, [todo([text("Ship it")])]))
    ).created;
    const other = (
      await prepare(me.destination({ ...input, documentId: theirs.documentId }, "cy-di"), "2026-12-01")
    ).created;
    if (made === null || other === null) throw new Error("the agendas were not made");
    expect(documentIdOf(made.id)).toBe(ours.documentId);
    expect(made.id).not.toBe(ours.documentId);

    const watch = await watchOf(me.destination(input));
    const start = await watch.changedSince(null);
    await emu.batchUpdateAs(person, ours.documentId, edit("A note above everything\n"));
    const look = await watch.changedSince(start.cursor);
    expect(look.calls).toBe(1);
    const headed: AgendaRef["id"] = `${ours.documentId}#heading=h.abc`;
    expect([look.changed(made.id), look.changed(headed), look.changed(other.id)]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it(`follows nextPageToken past ${CHANGES_PAGE_SIZE} changes: two pages, one look`, async () => {
    const me = await account({ quota: { driveRequestsPerMinute: null } });
    const person = `${unique("cy")}@example.com`;
    const folder = await emu.createFolder({ name: unique("Lots"), owner: person, sharedWith: [me.sa] });
    const watch = await watchOf(
      me.destination({ kind: "google-docs", mode: "doc-per-meeting", folderId: folder.id }),
    );
    const start = await watch.changedSince(null);
    const ids: string[] = [];
    for (let batch = 0; batch < 11; batch++) {
      const made = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          emu.createDocument({
            title: `Note ${batch * 100 + i}`,
            owner: person,
            parents: [folder.id],
            content: [],
          }),
        ),
      );
      ids.push(...made.map((doc) => doc.documentId));
    }
    const last = ids.at(-1) ?? "";
    await emu.batchUpdateAs(person, last, edit("late edit\n"));

    await me.resetCalls();
    const look = await watch.changedSince(start.cursor);
    expect(look.calls).toBe(2);
    expect(await me.changeCalls()).toEqual({ "GET /drive/v3/changes": 2 });
    expect(ids.every((id) => look.changed(id))).toBe(true);
    expect(look.changed("never-made-document")).toBe(false);
    const quiet = await watch.changedSince(look.cursor);
    expect([quiet.calls, quiet.changed(last)]).toEqual([1, false]);
  });

  it("another account's documents are not seen, and each acting account is its own scope", async () => {
    const me = await account();
    const them = await account({ domainWideDelegation: true });
    const person = (await emu.createUser({ email: `${unique("di")}@example.com` })).email;
    const mine = await emu.createDocument({ title: "Mine", owner: person, sharedWith: [me.sa], content: [] });
    const notMine = await emu.createDocument({ title: "Not mine", owner: person, content: [] });
    const input = (documentId: string, impersonate?: string): GoogleDocsDestinationInput => ({
      kind: "google-docs",
      mode: "running-doc",
      documentId,
      ...(impersonate === undefined ? {} : { impersonate }),
    });
    const watch = await watchOf(me.destination(input(mine.documentId)));
    const same = await watchOf(
      me.destination({ kind: "google-docs", mode: "doc-per-meeting", folderId: mine.documentId }),
    );
    const theirs = await watchOf(them.destination(input(notMine.documentId, person)));
    expect(watch.scope).toBe(`google:${me.sa}`);
    expect(same.scope).toBe(watch.scope);
    expect(theirs.scope).toBe(`google:${them.sa}/${person}`);

    const start = await watch.changedSince(null);
    const theirStart = await theirs.changedSince(null);
    await emu.batchUpdateAs(person, notMine.documentId, edit("private\n"));
    const look = await watch.changedSince(start.cursor);
    expect([look.calls, look.changed(notMine.documentId), look.changed(mine.documentId)]).toEqual([
      1,
      false,
      false,
    ]);
    // The owner, impersonated, sees it.
    const theirLook = await theirs.changedSince(theirStart.cursor);
    expect(theirLook.changed(notMine.documentId)).toBe(true);
    touched.push(person);
  });

  it("a page token Drive rejects is dropped: the look says everything and starts afresh (two calls)", async () => {
    const me = await account();
    const folder = await emu.createFolder({ name: unique("1:1s"), sharedDrive: true, sharedWith: [me.sa] });
    const watch = await watchOf(
      me.destination({ kind: "google-docs", mode: "doc-per-meeting", folderId: folder.id }),
    );
    await me.resetCalls();
    const look = await watch.changedSince("999999999999");
    expect(look.calls).toBe(2);
    expect(look.changed("anything")).toBe(true);
    expect(await me.changeCalls()).toEqual({
      "GET /drive/v3/changes": 1,
      "GET /drive/v3/changes/startPageToken": 1,
    });
    expect((await watch.changedSince(look.cursor)).changed("anything")).toBe(false);
  });

  it("a failure is the pair's DestinationError, naming the account and never a token", async () => {
    const me = await account();
    const folder = await emu.createFolder({ name: unique("1:1s"), sharedDrive: true, sharedWith: [me.sa] });
    const watch = await watchOf(
      me.destination({ kind: "google-docs", mode: "doc-per-meeting", folderId: folder.id }),
    );
    const start = await watch.changedSince(null);
    await emu.addFault({ principal: me.sa, path: "/drive/v3/changes", status: 403, times: 1 });
    const failed = await watch.changedSince(start.cursor).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(DestinationError);
    expect((failed as DestinationError).message).toContain(me.sa);
    expect((failed as DestinationError).message).not.toMatch(/ya29|Bearer/);
  });
});
