// Owns the Google side of the set-up check (the doctor): whether the service account (or the user it
// acts as) gets a token, and can open and edit the pair's document, or add to its folder and copy its
// template. One Drive `files.get` with `capabilities` per file, nothing written; every fix names the
// address to share with.
import * as z from "zod";
import type { CheckMemo, CheckResult, DestinationCheck } from "../types";
import { checkOk, checkProblem, checkSkipped } from "../types";
import type { GoogleApi } from "./api/client";
import {
  GoogleApiError,
  GoogleAuthError,
  isRateLimited,
  parseResponse,
  toDestinationError,
} from "./api/errors";
import type { GoogleDocsDestinationConfig } from "./config";

const DOCUMENT = "application/vnd.google-apps.document";
const FOLDER = "application/vnd.google-apps.folder";
const FIELDS = "id,name,mimeType,trashed,capabilities(canEdit,canAddChildren,canCopy)";

const fileSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  mimeType: z.string().optional(),
  trashed: z.boolean().optional(),
  capabilities: z
    .looseObject({
      canEdit: z.boolean().optional(),
      canAddChildren: z.boolean().optional(),
      canCopy: z.boolean().optional(),
    })
    .optional(),
});
type CheckedFile = z.output<typeof fileSchema>;

/** One file the pair needs, and what it must be able to do with it. */
interface Need {
  kind: "document" | "folder" | "template";
  id: string;
  /** What the account must be able to do, as Drive's capabilities say it. */
  can: "canEdit" | "canAddChildren" | "canCopy";
  role: string;
}

function needsOf(config: GoogleDocsDestinationConfig): Need[] {
  if (config.mode === "running-doc") {
    return [{ kind: "document", id: config.documentId, can: "canEdit", role: "Editor" }];
  }
  return [
    {
      kind: "folder",
      id: config.folderId,
      can: "canAddChildren",
      role: "Editor (Contributor or Content manager on a shared drive)",
    },
    ...(config.templateDocumentId === undefined
      ? []
      : [
          {
            kind: "template" as const,
            id: config.templateDocumentId,
            can: "canCopy" as const,
            role: "Viewer",
          },
        ]),
  ];
}

function nameOf(need: Need): string {
  const noun =
    need.kind === "folder"
      ? "Google Drive folder"
      : need.kind === "template"
        ? "template Google document"
        : "Google document";
  return `${noun} ${need.id}`;
}

function authFixes(error: GoogleAuthError, impersonate: string | undefined): string[] {
  switch (error.problem) {
    case "key":
      return [
        "Set GOOGLE_SERVICE_ACCOUNT_KEY to the service account's JSON key: wrangler secret put GOOGLE_SERVICE_ACCOUNT_KEY < key.json.",
      ];
    case "delegation":
      return [
        impersonate === undefined
          ? "Check the service account's key in the Google Cloud console."
          : `Allow the service account domain-wide delegation for the Docs and Drive scopes in the Workspace admin console, or remove impersonate (${impersonate}) and share the files with the service account.`,
      ];
    case "grant":
      return [
        "Check that the service account and its key still exist and are enabled in the Google Cloud console.",
      ];
    case "unavailable":
      return ["Run the check again later; Google did not answer."];
  }
}

/** Whether the file lets the account do what the pair needs; a problem names the address to share with. */
function judge(need: Need, file: CheckedFile, actor: string): CheckResult | null {
  const name = nameOf(need);
  if (file.trashed === true)
    return checkProblem(`${name} is in the trash`, [`Restore ${name} from Drive's trash.`]);
  const wanted = need.kind === "folder" ? FOLDER : DOCUMENT;
  if (file.mimeType !== undefined && file.mimeType !== wanted) {
    return checkProblem(
      `${name} is not a ${need.kind === "folder" ? "folder" : "Google Doc"} (${file.mimeType})`,
      [`Name a ${need.kind === "folder" ? "Drive folder" : "Google Doc"} in the pair's destination.`],
    );
  }
  if (file.capabilities?.[need.can] !== true) {
    const may = need.kind === "folder" ? "add documents to" : need.kind === "template" ? "copy" : "edit";
    return checkProblem(`${actor} can open ${name} but may not ${may} it`, [
      `Share ${name} with ${actor} as ${need.role}.`,
    ]);
  }
  return null;
}

/** The set-up check of one pair's Google Docs destination; see the file header. */
export async function checkGoogleDestination(
  api: GoogleApi,
  config: GoogleDocsDestinationConfig,
  memo: CheckMemo,
): Promise<DestinationCheck> {
  const actor = api.actor;
  const problems: CheckResult[] = [];
  const seen: string[] = [];
  for (const need of needsOf(config)) {
    let file: CheckedFile;
    try {
      file = await memo(`google:${actor}:file:${need.id}`, async () =>
        parseResponse(fileSchema, await api.getFile(need.id, FIELDS), "file"),
      );
    } catch (error) {
      if (error instanceof GoogleAuthError) {
        return {
          destination: checkProblem(error.message, authFixes(error, config.impersonate)),
          properties: checkSkipped("not checked: no access token for Google"),
        };
      }
      const failure = toDestinationError(error, { kind: need.kind, id: need.id, actor });
      const notShared =
        error instanceof GoogleApiError &&
        !isRateLimited(error) &&
        (error.httpStatus === 404 || error.httpStatus === 403);
      problems.push(
        checkProblem(
          failure.message,
          notShared
            ? [`Share ${nameOf(need)} with ${actor} as ${need.role} (or check the id).`]
            : [failure.retryable ? "Run the check again later; Google did not answer." : failure.message],
        ),
      );
      continue;
    }
    const problem = judge(need, file, actor);
    if (problem !== null) problems.push(problem);
    else seen.push(`${nameOf(need)}${file.name === undefined ? "" : ` ("${file.name}")`}`);
  }
  const destination = checkOk(`Google accepts the service account, acting as ${actor}`);
  if (problems.length > 0) {
    return {
      destination,
      properties: checkProblem(
        problems.map((problem) => problem.summary).join("; "),
        problems.flatMap((problem) => problem.fixes),
      ),
    };
  }
  const can =
    config.mode === "running-doc"
      ? "can edit"
      : config.templateDocumentId === undefined
        ? "can add to"
        : "can add to and copy";
  return { destination, properties: checkOk(`${actor} ${can} ${seen.join(" and ")}`) };
}
