// The Google change watch's edges that the emulator cannot reach cheaply: a change log too long to read
// (more than MAX_CHANGE_PAGES pages) is given up for "everything changed", a 5xx is a retryable failure
// rather than a rejected token, and how agenda ids and acting accounts map to documents and scopes.
import { describe, expect, it } from "vitest";
import type { GoogleApi, GoogleClient } from "../../../src/destinations/google/api/client";
import { GoogleApiError } from "../../../src/destinations/google/api/errors";
import type { DriveChangeList } from "../../../src/destinations/google/api/schemas";
import {
  CHANGES_FIELDS,
  CHANGES_PAGE_SIZE,
  createDriveChangeWatch,
  documentIdOf,
  googleWatchScope,
  MAX_CHANGE_PAGES,
} from "../../../src/destinations/google/changes";
import { DestinationError } from "../../../src/destinations/types";

function unused(): never {
  throw new Error("not part of a change look");
}

/** A client whose `changes.list` is `listChanges` and whose start page tokens are "start-1", "start-2"… */
function clientWith(listChanges: GoogleApi["listChanges"]) {
  const asked: Array<Parameters<GoogleApi["listChanges"]>[0]> = [];
  let starts = 0;
  const api: GoogleApi = {
    actor: "agendas@project.iam.gserviceaccount.com",
    getDocument: unused,
    batchUpdate: unused,
    listFiles: unused,
    getFile: unused,
    copyFile: unused,
    createFile: unused,
    trashFile: unused,
    getStartPageToken: async () => {
      starts += 1;
      return `start-${starts}`;
    },
    listChanges: (params) => {
      asked.push(params);
      return listChanges(params);
    },
  };
  const client: GoogleClient = {
    serviceAccountEmail: "agendas@project.iam.gserviceaccount.com",
    as: () => api,
    calls: () => ({}),
  };
  return { client, asked, starts: () => starts };
}

describe("Google change watch", () => {
  it("asks for the largest page and only fileId/removed, from the cursor, then from each nextPageToken", async () => {
    const pages: Record<string, DriveChangeList> = {
      "7": { changes: [{ fileId: "doc-a" }], nextPageToken: "9" },
      "9": { changes: [{ fileId: "doc-b", removed: true }], newStartPageToken: "12" },
    };
    const fake = clientWith(async ({ pageToken }) => pages[pageToken] ?? unused());
    const look = await createDriveChangeWatch(fake.client).changedSince("7");
    expect(fake.asked).toEqual([
      { pageToken: "7", fields: CHANGES_FIELDS, pageSize: CHANGES_PAGE_SIZE },
      { pageToken: "9", fields: CHANGES_FIELDS, pageSize: CHANGES_PAGE_SIZE },
    ]);
    expect({ cursor: look.cursor, calls: look.calls }).toEqual({ cursor: "12", calls: 2 });
    expect(["doc-a#kix.1", "doc-b", "doc-c"].map((id) => look.changed(id))).toEqual([true, true, false]);
  });

  it(`gives up after ${MAX_CHANGE_PAGES} pages: everything may have changed, and the next look starts from now`, async () => {
    let n = 0;
    const fake = clientWith(async () => {
      n += 1;
      return { changes: [{ fileId: `doc-${n}` }], nextPageToken: String(n + 100) };
    });
    const look = await createDriveChangeWatch(fake.client).changedSince("1");
    expect(fake.asked).toHaveLength(MAX_CHANGE_PAGES);
    expect(fake.starts()).toBe(1);
    expect({ cursor: look.cursor, calls: look.calls }).toEqual({
      cursor: "start-1",
      calls: MAX_CHANGE_PAGES + 1,
    });
    expect(look.changed("never-listed")).toBe(true);
  });

  it("a 5xx is a retryable DestinationError, not a rejected token; a 400 is a rejected token", async () => {
    const unavailable = clientWith(async () => {
      throw new GoogleApiError("GET /drive/v3/changes", 503, "UNAVAILABLE", null, "try later");
    });
    const failed = await createDriveChangeWatch(unavailable.client)
      .changedSince("5")
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(DestinationError);
    expect(failed).toMatchObject({ retryable: true });
    expect(unavailable.starts()).toBe(0);

    const rejected = clientWith(async () => {
      throw new GoogleApiError("GET /drive/v3/changes", 400, null, "invalid", "Invalid Value");
    });
    const look = await createDriveChangeWatch(rejected.client).changedSince("5");
    expect({ cursor: look.cursor, calls: look.calls, any: look.changed("x") }).toEqual({
      cursor: "start-1",
      calls: 2,
      any: true,
    });
  });

  it("maps agenda ids to documents and acting accounts to scopes", () => {
    expect(documentIdOf("1AbCdEf")).toBe("1AbCdEf");
    expect(documentIdOf("1AbCdEf#kix.abc")).toBe("1AbCdEf");
    expect(documentIdOf("1AbCdEf#heading=h.1#x")).toBe("1AbCdEf");
    expect(googleWatchScope("sa@p.iam.gserviceaccount.com", undefined)).toBe(
      "google:sa@p.iam.gserviceaccount.com",
    );
    expect(googleWatchScope("sa@p.iam.gserviceaccount.com", "Ada@Example.com")).toBe(
      "google:sa@p.iam.gserviceaccount.com/ada@example.com",
    );
  });
});
