// Owns the shape of a pair's Google Docs destination as a person writes it (admin API, bulk import), and
// the normalisation of Google ids: people paste the address bar as often as the bare id, so both are
// accepted and everything past this gate sees the bare id.
import * as z from "zod";
import { MAX_EMAIL_LENGTH, MAX_ID_INPUT_LENGTH } from "../../domain/limits";

// Drive ids are URL-safe base64-ish strings: document ids are about 44 characters, folder ids about 33,
// a shared drive's root folder id about 19. The bounds leave room without accepting prose.
const GOOGLE_ID = /^[A-Za-z0-9_-]{10,200}$/;
const DOCUMENT_URL = /^https:\/\/docs\.google\.com\/document\/(?:u\/\d+\/)?d\/([A-Za-z0-9_-]+)(?:[/?#].*)?$/;
const FOLDER_URL =
  /^https:\/\/drive\.google\.com\/(?:drive\/(?:u\/\d+\/)?folders\/|open\?id=)([A-Za-z0-9_-]+)(?:[/?#&].*)?$/;

/** The bare id of a Google Doc given its id or its address (`https://docs.google.com/document/d/<id>/edit`). */
export function normalizeDocumentId(value: string): string | null {
  const trimmed = value.trim();
  const id = DOCUMENT_URL.exec(trimmed)?.[1] ?? trimmed;
  return GOOGLE_ID.test(id) ? id : null;
}

/** The bare id of a Drive folder given its id or its address (`https://drive.google.com/drive/folders/<id>`). */
export function normalizeFolderId(value: string): string | null {
  const trimmed = value.trim();
  const id = FOLDER_URL.exec(trimmed)?.[1] ?? trimmed;
  return GOOGLE_ID.test(id) ? id : null;
}

function googleId(field: string, what: string, normalize: (value: string) => string | null, example: string) {
  return z
    .string({ error: `${field} must be a string` })
    .max(MAX_ID_INPUT_LENGTH, { error: `${field} must be ${what}: its id or its address`, abort: true })
    .transform((value, ctx) => {
      const id = normalize(value);
      if (id === null) {
        ctx.addIssue({
          code: "custom",
          message: `${field} must be ${what}: its id (letters, digits, - and _) or its address, like ${example}`,
        });
        return z.NEVER;
      }
      return id;
    });
}

const impersonate = z
  .string({ error: "impersonate must be the email address of a Google Workspace user" })
  .max(MAX_EMAIL_LENGTH, { error: "impersonate must be the email address of a Google Workspace user" })
  .pipe(z.email({ error: "impersonate must be the email address of a Google Workspace user" }))
  .optional();

const kind = z.literal("google-docs", { error: 'kind must be "google-docs"' });

/** One Google Doc for the pair; each meeting is a new dated section at the top, or a new tab. */
const runningDocSchema = z.strictObject({
  kind,
  mode: z.literal("running-doc"),
  documentId: googleId(
    "documentId",
    "a Google Doc",
    normalizeDocumentId,
    "https://docs.google.com/document/d/<id>/edit",
  ),
  /** A new document tab per meeting instead of a new section at the top of the document. */
  tabPerMeeting: z.boolean({ error: "tabPerMeeting must be true or false" }).default(false),
  /** Act as this Workspace user (domain-wide delegation) instead of as the service account. */
  impersonate,
});

/** A Google Doc per meeting in a Drive folder, copied from a template Doc or written from the template. */
const docPerMeetingSchema = z.strictObject({
  kind,
  mode: z.literal("doc-per-meeting"),
  folderId: googleId(
    "folderId",
    "a Google Drive folder",
    normalizeFolderId,
    "https://drive.google.com/drive/folders/<id>",
  ),
  /** A Google Doc whose copy becomes each agenda, its `{{placeholders}}` filled in. */
  templateDocumentId: googleId(
    "templateDocumentId",
    "a Google Doc",
    normalizeDocumentId,
    "https://docs.google.com/document/d/<id>/edit",
  ).optional(),
  impersonate,
});

/**
 * A pair's Google Docs destination. `impersonate` needs domain-wide delegation for the service account;
 * without it the service account itself edits, so the document or folder must be shared with it.
 */
export const googleDocsDestinationSchema = z.discriminatedUnion(
  "mode",
  [runningDocSchema, docPerMeetingSchema],
  {
    error: (issue) =>
      issue.code === "invalid_union" ? 'mode must be "running-doc" or "doc-per-meeting"' : undefined,
  },
);

/** A parsed Google Docs destination: ids bare, defaults applied. */
export type GoogleDocsDestinationConfig = z.output<typeof googleDocsDestinationSchema>;
/** A Google Docs destination as a person writes it. */
export type GoogleDocsDestinationInput = z.input<typeof googleDocsDestinationSchema>;
/** The running-doc form, parsed. */
export type RunningDocConfig = z.output<typeof runningDocSchema>;
/** The doc-per-meeting form, parsed. */
export type DocPerMeetingConfig = z.output<typeof docPerMeetingSchema>;
