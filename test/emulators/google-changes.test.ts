// The Google emulator's Drive changes API (changes.getStartPageToken, changes.list) and files.delete, driven
// over fetch from workerd: what each write records, who sees it, paging, parameters and field masks as
// Drive's discovery document defines them (the emulator checks every answer against it: no violations).
import { importPKCS8, SignJWT } from "jose";
import { afterEach, describe, expect, inject, it } from "vitest";
import {
  type DriveChangeList,
  type DriveFile,
  type DriveStartPageToken,
  googleControl,
  type ServiceAccountSpec,
} from "../../emulators/google/control";

const url = inject("googleUrl");
const emu = googleControl(url);

interface GoogleError {
  error: { code: number; message: string; errors: Array<{ reason: string; location?: string }> };
}

interface Answer<T> {
  status: number;
  body: T;
}

const principals: string[] = [];

afterEach(async () => {
  for (const principal of principals.splice(0)) expect(await emu.violations(principal)).toEqual([]);
});

function unique(name: string): string {
  return `${name}-${crypto.randomUUID().slice(0, 8)}`;
}

/** A fresh service account (acting as `sub` when given) and a fetch helper that sends its token. */
async function connect(spec: ServiceAccountSpec = {}, sub?: string) {
  const key = await emu.createServiceAccount({ name: unique("changes"), ...spec });
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({
    scope: "https://www.googleapis.com/auth/documents https://www.googleapis.com/auth/drive",
  })
    .setProtectedHeader({ alg: "RS256", kid: key.private_key_id, typ: "JWT" })
    .setIssuer(key.client_email)
    .setAudience(key.token_uri)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600);
  if (sub !== undefined) jwt.setSubject(sub);
  const assertion = await jwt.sign(await importPKCS8(key.private_key, "RS256"));
  const granted = await fetch(key.token_uri, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
      assertion,
    }).toString(),
  });
  expect(granted.status).toBe(200);
  const { access_token: token } = (await granted.json()) as { access_token: string };
  const email = key.client_email;
  principals.push(sub ?? email);
  async function api<T>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text === "" ? undefined : JSON.parse(text)) as T };
  }
  const startToken = async (query = ""): Promise<string> => {
    const answer = await api<DriveStartPageToken>("GET", `/drive/v3/changes/startPageToken${query}`);
    expect(answer.status).toBe(200);
    expect(answer.body.kind).toBe("drive#startPageToken");
    expect(answer.body.startPageToken).toMatch(/^\d+$/);
    return answer.body.startPageToken ?? "";
  };
  const list = (pageToken: string, query = "") =>
    api<DriveChangeList>("GET", `/drive/v3/changes?pageToken=${encodeURIComponent(pageToken)}${query}`);
  return { email, api, startToken, list };
}

const para = (text: string) => [{ insertText: { location: { index: 1 }, text } }];

describe("Drive changes.getStartPageToken and changes.list", () => {
  it("lists nothing when nothing changed, then one change per edited file (its latest), as Drive's default fields show it", async () => {
    const client = await connect();
    const person = `${unique("ada")}@example.com`;
    const doc = await emu.createDocument({ title: "Ada / Bo", owner: person, sharedWith: [client.email] });
    const other = await emu.createDocument({
      title: "Not changed",
      owner: person,
      sharedWith: [client.email],
    });
    const start = await client.startToken();

    const quiet = await client.list(start);
    expect(quiet.status).toBe(200);
    expect(quiet.body).toEqual({ kind: "drive#changeList", newStartPageToken: start, changes: [] });

    await emu.batchUpdateAs(person, doc.documentId, para("Ticked in the editor\n"));
    await emu.batchUpdateAs(person, doc.documentId, para("And again\n"));
    const edited = await client.list(start);
    expect(edited.status).toBe(200);
    expect(edited.body.nextPageToken).toBeUndefined();
    expect(edited.body.changes).toEqual([
      {
        kind: "drive#change",
        changeType: "file",
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        removed: false,
        fileId: doc.documentId,
        file: {
          kind: "drive#file",
          id: doc.documentId,
          name: "Ada / Bo",
          mimeType: "application/vnd.google-apps.document",
        },
      },
    ]);
    expect(edited.body.changes?.map((c) => c.fileId)).not.toContain(other.documentId);
    const next = edited.body.newStartPageToken ?? "";
    expect(Number(next)).toBeGreaterThan(Number(start));
    expect((await client.list(next)).body.changes).toEqual([]);
    expect(await client.startToken()).toBe(next);
  });

  it("records the caller's own writes (Docs batchUpdate, files.create, files.update) and selects fields by the mask", async () => {
    const client = await connect();
    const drive = await emu.createFolder({
      name: unique("Team"),
      sharedDrive: true,
      sharedWith: [client.email],
    });
    const doc = await emu.createDocument({ title: "Agenda", parents: [drive.id] });
    const start = await client.startToken();
    const all = "&supportsAllDrives=true&includeItemsFromAllDrives=true";

    expect(
      (await client.api("POST", `/v1/documents/${doc.documentId}:batchUpdate`, { requests: para("x\n") }))
        .status,
    ).toBe(200);
    const created = await client.api<DriveFile>("POST", "/drive/v3/files?supportsAllDrives=true", {
      name: "Made by the app",
      mimeType: "application/vnd.google-apps.document",
      parents: [drive.id],
    });
    expect(created.status).toBe(200);
    const masked = await client.list(
      start,
      `${all}&fields=${encodeURIComponent("nextPageToken,newStartPageToken,changes(fileId,removed)")}`,
    );
    expect(masked.status).toBe(200);
    expect(masked.body).toEqual({
      newStartPageToken: expect.stringMatching(/^\d+$/),
      changes: [
        { fileId: doc.documentId, removed: false },
        { fileId: created.body.id, removed: false },
      ],
    });

    const middle = masked.body.newStartPageToken ?? "";
    const renamed = await client.api("PATCH", `/drive/v3/files/${created.body.id}?supportsAllDrives=true`, {
      name: "Renamed",
    });
    expect(renamed.status).toBe(200);
    const after = await client.list(
      middle,
      `${all}&fields=${encodeURIComponent("changes(fileId,file(name,driveId))")}`,
    );
    expect(after.body).toEqual({
      changes: [{ fileId: created.body.id, file: { name: "Renamed", driveId: drive.id } }],
    });

    const bad = await client.list(middle, `${all}&fields=changes(fileId,revision)`);
    expect(bad.status).toBe(400);
    expect(await emu.clearViolations(client.email)).toEqual([
      expect.stringContaining("fields names what ChangeList does not have"),
    ]);
  });

  it("shows a change only to those who can see the file, and shared-drive files only with includeItemsFromAllDrives", async () => {
    const client = await connect();
    const stranger = await connect();
    const person = `${unique("bo")}@example.com`;
    const mine = await emu.createDocument({
      title: "Shared with me",
      owner: person,
      sharedWith: [client.email],
    });
    const theirs = await emu.createDocument({
      title: "Shared with them",
      owner: person,
      sharedWith: [stranger.email],
    });
    const drive = await emu.createFolder({
      name: unique("Team"),
      owner: person,
      sharedDrive: true,
      sharedWith: [client.email],
    });
    const inDrive = await emu.createDocument({ title: "In a shared drive", parents: [drive.id] });
    const start = await client.startToken();
    for (const id of [mine.documentId, theirs.documentId, inDrive.documentId]) {
      await emu.batchUpdateAs(person, id, para("edit\n"));
    }

    const ids = (answer: Answer<DriveChangeList>) => answer.body.changes?.map((c) => c.fileId);
    expect(ids(await client.list(start))).toEqual([mine.documentId]);
    expect(ids(await client.list(start, "&supportsAllDrives=true&includeItemsFromAllDrives=true"))).toEqual([
      mine.documentId,
      inDrive.documentId,
    ]);
    expect(ids(await client.list(start, `&supportsAllDrives=true&driveId=${drive.id}`))).toEqual([
      inDrive.documentId,
    ]);
    expect(ids(await stranger.list(start))).toEqual([theirs.documentId]);

    const refused = await client.list(start, "&includeItemsFromAllDrives=true");
    expect(refused.status).toBe(400);
    expect((refused.body as unknown as GoogleError).error.errors[0]?.location).toBe(
      "includeItemsFromAllDrives",
    );
  });

  it("follows pages of pageSize changes with nextPageToken, and ends with newStartPageToken", async () => {
    const client = await connect();
    const person = `${unique("cy")}@example.com`;
    const docs = [];
    for (const title of ["One", "Two", "Three"]) {
      docs.push(await emu.createDocument({ title, owner: person, sharedWith: [client.email] }));
    }
    const start = await client.startToken();
    for (const doc of docs) await emu.batchUpdateAs(person, doc.documentId, para("edit\n"));

    const first = await client.list(start, "&pageSize=2");
    expect(first.body.changes?.map((c) => c.fileId)).toEqual([docs[0]?.documentId, docs[1]?.documentId]);
    expect(first.body.newStartPageToken).toBeUndefined();
    const token = first.body.nextPageToken ?? "";
    expect(token).toMatch(/^\d+$/);
    const second = await client.list(token, "&pageSize=2");
    expect(second.body.changes?.map((c) => c.fileId)).toEqual([docs[2]?.documentId]);
    expect(second.body.nextPageToken).toBeUndefined();
    expect(second.body.newStartPageToken).toBe(await client.startToken());
  });

  it("says removed (no file) to whoever lost the file: unshared or deleted; includeRemoved=false leaves those out; trash is a change", async () => {
    const client = await connect({ storageQuota: true });
    const person = `${unique("di")}@example.com`;
    await emu.createUser({ email: person });
    const shared = await emu.createDocument({
      title: "Unshared later",
      owner: person,
      sharedWith: [client.email],
    });
    const trashed = await emu.createDocument({
      title: "Trashed later",
      owner: person,
      sharedWith: [client.email],
    });
    const own = await client.api<DriveFile>("POST", "/drive/v3/files", {
      name: "Mine to delete",
      mimeType: "application/vnd.google-apps.document",
    });
    expect(own.status).toBe(200);
    const start = await client.startToken();

    await emu.unshare(shared.documentId, client.email);
    await emu.trash(trashed.documentId);
    const deleted = await client.api<undefined>("DELETE", `/drive/v3/files/${own.body.id}`);
    expect(deleted).toEqual({ status: 204, body: undefined });
    expect((await client.api<GoogleError>("GET", `/drive/v3/files/${own.body.id}`)).status).toBe(404);

    const listed = await client.list(
      start,
      `&fields=${encodeURIComponent("changes(fileId,removed,file(trashed))")}`,
    );
    expect(listed.body.changes).toEqual([
      { fileId: shared.documentId, removed: true },
      { fileId: trashed.documentId, removed: false, file: { trashed: true } },
      { fileId: own.body.id, removed: true },
    ]);
    const kept = await client.list(start, "&includeRemoved=false&fields=changes(fileId)");
    expect(kept.body.changes).toEqual([{ fileId: trashed.documentId }]);
    // The person who still has it sees the sharing change, not a removal.
    const owner = await connect({ domainWideDelegation: true }, person);
    const theirs = await owner.list(start, "&fields=changes(fileId,removed)");
    expect(theirs.body.changes).toEqual([
      { fileId: shared.documentId, removed: false },
      { fileId: trashed.documentId, removed: false },
    ]);
  });

  it("answers Drive's 400 for a missing or unknown pageToken and a pageSize out of range", async () => {
    const client = await connect();
    const missing = await client.api<GoogleError>("GET", "/drive/v3/changes");
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({
      message: "Required parameter: pageToken",
      errors: [{ reason: "required", location: "pageToken" }],
    });
    expect(await emu.clearViolations(client.email)).toEqual([
      expect.stringContaining("query parameter pageToken is required by drive.changes.list"),
    ]);
    for (const token of ["abc", "0", "999999999999"]) {
      const unknown = await client.list(token);
      expect(unknown.status).toBe(400);
      expect((unknown.body as unknown as GoogleError).error.errors[0]?.location).toBe("pageToken");
    }
    const start = await client.startToken();
    for (const size of ["0", "1001"])
      expect((await client.list(start, `&pageSize=${size}`)).status).toBe(400);
    await emu.clearViolations(client.email);
  });
});
