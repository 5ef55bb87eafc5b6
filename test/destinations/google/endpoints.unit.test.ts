// Each Google call's address: ids escaped, every Drive call across shared drives, the quota lane it
// spends, and whether it may be sent again after a lost answer (never a write that would do it twice).
import { describe, expect, it } from "vitest";
import {
  batchUpdateSpec,
  copyFileSpec,
  createFileSpec,
  ENDPOINTS,
  getDocumentSpec,
  getFileSpec,
  listChangesSpec,
  listFilesSpec,
  startPageTokenSpec,
  trashFileSpec,
  trimBase,
} from "../../../src/destinations/google/api/endpoints";

const target = { docsBase: "https://docs.test", driveBase: "https://drive.test", subject: "ada@example.com" };

function params(url: string): URLSearchParams {
  return new URL(url).searchParams;
}

describe("Google call specs", () => {
  it("reads a document with every tab, its id escaped, as a repeatable read", () => {
    const spec = getDocumentSpec(target, "a/b c");
    expect(spec.url).toBe("https://docs.test/v1/documents/a%2Fb%20c?includeTabsContent=true");
    expect(spec).toMatchObject({
      method: "GET",
      lane: "docsRead",
      repeatable: true,
      subject: "ada@example.com",
    });
    expect(spec.endpoint).toBe(ENDPOINTS.getDocument);
  });

  it("never repeats a batchUpdate, a copy or a create", () => {
    expect(batchUpdateSpec(target, "d1", { requests: [] })).toMatchObject({
      method: "POST",
      url: "https://docs.test/v1/documents/d1:batchUpdate",
      lane: "docsWrite",
      repeatable: false,
      body: { requests: [] },
    });
    expect(copyFileSpec(target, "t1", { name: "x" }, "id").repeatable).toBe(false);
    expect(createFileSpec(target, { name: "x" }, "id").repeatable).toBe(false);
    expect(copyFileSpec(target, "t1", { name: "x" }, "id").body).toEqual({ name: "x" });
  });

  it("lists files across shared drives, leaving out what is not given", () => {
    const spec = listFilesSpec(target, { q: "'f' in parents", fields: "files(id)", pageSize: 1000 });
    const search = params(spec.url);
    expect(new URL(spec.url).pathname).toBe("/drive/v3/files");
    expect(search.get("q")).toBe("'f' in parents");
    expect(search.get("corpora")).toBe("allDrives");
    expect(search.get("includeItemsFromAllDrives")).toBe("true");
    expect(search.get("supportsAllDrives")).toBe("true");
    expect(search.get("pageSize")).toBe("1000");
    expect(search.has("pageToken")).toBe(false);
    expect(spec).toMatchObject({ lane: "drive", repeatable: true, endpoint: ENDPOINTS.listFiles });
  });

  it("trashes with a PATCH that may be repeated (trashing twice is harmless)", () => {
    const spec = trashFileSpec(target, "f 1");
    expect(spec).toMatchObject({ method: "PATCH", repeatable: true, body: { trashed: true } });
    expect(new URL(spec.url).pathname).toBe("/drive/v3/files/f%201");
    expect(params(spec.url).get("fields")).toBe("id");
  });

  it("addresses files.get and the change log across shared drives", () => {
    expect(params(getFileSpec(target, "f1", "id,name").url).get("supportsAllDrives")).toBe("true");
    expect(new URL(startPageTokenSpec(target).url).pathname).toBe("/drive/v3/changes/startPageToken");
    const changes = listChangesSpec(target, { pageToken: "42", fields: "changes" });
    expect(params(changes.url).get("pageToken")).toBe("42");
    expect(params(changes.url).get("includeItemsFromAllDrives")).toBe("true");
    expect(changes.endpoint).toBe(ENDPOINTS.listChanges);
  });

  it("acts as the service account when there is no subject", () => {
    expect(getDocumentSpec({ ...target, subject: null }, "d").subject).toBeNull();
  });

  it("trims trailing slashes off a base URL", () => {
    expect(trimBase("http://127.0.0.1:9000//")).toBe("http://127.0.0.1:9000");
  });
});
