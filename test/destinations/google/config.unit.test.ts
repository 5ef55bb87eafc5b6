// A pair's Google Docs destination as a person writes it: both modes, ids or addresses, defaults, and
// refusals that name the field at fault.
import { describe, expect, it } from "vitest";
import {
  googleDocsDestinationSchema,
  normalizeDocumentId,
  normalizeFolderId,
} from "../../../src/destinations/google/config";

const DOC = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd";
const FOLDER = "0AbCdEfGhIjKlUk9PVA";

function issues(input: unknown): string[] {
  const parsed = googleDocsDestinationSchema.safeParse(input);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

describe("google-docs destination config", () => {
  it("happy: a running doc, with tabPerMeeting defaulting to false", () => {
    expect(
      googleDocsDestinationSchema.parse({ kind: "google-docs", mode: "running-doc", documentId: DOC }),
    ).toEqual({
      kind: "google-docs",
      mode: "running-doc",
      documentId: DOC,
      tabPerMeeting: false,
    });
  });

  it("happy: a doc per meeting with a template and an impersonated user", () => {
    expect(
      googleDocsDestinationSchema.parse({
        kind: "google-docs",
        mode: "doc-per-meeting",
        folderId: FOLDER,
        templateDocumentId: DOC,
        impersonate: "ada@example.com",
      }),
    ).toEqual({
      kind: "google-docs",
      mode: "doc-per-meeting",
      folderId: FOLDER,
      templateDocumentId: DOC,
      impersonate: "ada@example.com",
    });
  });

  it("accepts the addresses people copy from the browser", () => {
    expect(normalizeDocumentId(`https://docs.google.com/document/d/${DOC}/edit?tab=t.0#heading=h.1`)).toBe(
      DOC,
    );
    expect(normalizeDocumentId(`https://docs.google.com/document/u/1/d/${DOC}/edit`)).toBe(DOC);
    expect(normalizeFolderId(`https://drive.google.com/drive/folders/${FOLDER}?usp=sharing`)).toBe(FOLDER);
    expect(normalizeFolderId(`https://drive.google.com/drive/u/0/folders/${FOLDER}`)).toBe(FOLDER);
    expect(normalizeFolderId(` ${FOLDER} `)).toBe(FOLDER);
  });

  it("refuses bad ids naming the field", () => {
    expect(issues({ kind: "google-docs", mode: "running-doc", documentId: "not an id" })).toEqual([
      expect.stringMatching(/^documentId: documentId must be a Google Doc/),
    ]);
    expect(
      issues({ kind: "google-docs", mode: "running-doc", documentId: "https://example.com/d/x" }),
    ).toEqual([expect.stringMatching(/^documentId: /)]);
    expect(issues({ kind: "google-docs", mode: "doc-per-meeting", folderId: "short" })).toEqual([
      expect.stringMatching(/^folderId: folderId must be a Google Drive folder/),
    ]);
    expect(
      issues({ kind: "google-docs", mode: "doc-per-meeting", folderId: FOLDER, templateDocumentId: 42 }),
    ).toEqual(["templateDocumentId: templateDocumentId must be a string"]);
    expect(issues({ kind: "google-docs", mode: "running-doc" })).toEqual([
      "documentId: documentId must be a string",
    ]);
  });

  it("refuses a bad impersonation email naming the field", () => {
    expect(issues({ kind: "google-docs", mode: "running-doc", documentId: DOC, impersonate: "ada" })).toEqual(
      ["impersonate: impersonate must be the email address of a Google Workspace user"],
    );
  });

  it("refuses an unknown or missing mode, a wrong kind, and unknown keys", () => {
    expect(issues({ kind: "google-docs", mode: "folder", documentId: DOC })).toEqual([
      'mode: mode must be "running-doc" or "doc-per-meeting"',
    ]);
    expect(issues({ kind: "google-docs", documentId: DOC })).toEqual([
      'mode: mode must be "running-doc" or "doc-per-meeting"',
    ]);
    expect(issues({ kind: "notion", mode: "running-doc", documentId: DOC })).toEqual([
      'kind: kind must be "google-docs"',
    ]);
    expect(issues({ kind: "google-docs", mode: "running-doc", documentId: DOC, folderId: FOLDER })).toEqual([
      ': Unrecognized key: "folderId"',
    ]);
    expect(
      issues({ kind: "google-docs", mode: "doc-per-meeting", folderId: FOLDER, tabPerMeeting: true }),
    ).toEqual([': Unrecognized key: "tabPerMeeting"']);
    expect(
      issues({ kind: "google-docs", mode: "running-doc", documentId: DOC, tabPerMeeting: "yes" }),
    ).toEqual(["tabPerMeeting: tabPerMeeting must be true or false"]);
  });
});
