// Owns live sync's change detection for Google Docs: one Drive change log per acting account (the service
// account, or the Workspace user it impersonates), read from the page token the previous look ended at.
// Every pair whose agendas that account reaches shares the look, so a tick costs one `changes.list` per
// account (one more per 1,000 changes), whatever the number of pairs.
import type { ChangeLook, ChangeWatch } from "../types";
import type { GoogleApi, GoogleClient } from "./api/client";
import { GoogleApiError, toDestinationError } from "./api/errors";

/** Drive's largest page. */
export const CHANGES_PAGE_SIZE = 1000;
/** Only what a look needs: which files, and where the next page or look starts. */
export const CHANGES_FIELDS = "nextPageToken,newStartPageToken,changes(fileId,removed)";
/**
 * Past this many pages (a bulk import, a first look after a long pause) reading on costs more than a pass
 * over every agenda: the look says everything changed and starts afresh from now.
 */
export const MAX_CHANGE_PAGES = 10;

/**
 * The Google document an agenda lives in: a running doc's agenda ids are `<documentId>#<section>`, a
 * doc-per-meeting agenda's id is its document's.
 */
export function documentIdOf(agendaId: string): string {
  const hash = agendaId.indexOf("#");
  return hash === -1 ? agendaId : agendaId.slice(0, hash);
}

/** Who a look reads the change log of: the service account, and the user it acts as when it impersonates. */
export function googleWatchScope(
  serviceAccountEmail: string | null,
  impersonate: string | undefined,
): string {
  const account = serviceAccountEmail ?? "(unreadable service-account key)";
  return impersonate === undefined ? `google:${account}` : `google:${account}/${impersonate.toLowerCase()}`;
}

/** Drive discards page tokens it no longer knows ("should be discarded, and pagination restarted"). */
function isRejectedToken(error: unknown): boolean {
  return (
    error instanceof GoogleApiError &&
    (error.httpStatus === 400 || error.httpStatus === 404 || error.httpStatus === 410)
  );
}

const everything = (cursor: string, calls: number): ChangeLook => ({ changed: () => true, cursor, calls });

/** The change watch of one acting account; see the file header. */
export function createDriveChangeWatch(client: GoogleClient, impersonate?: string): ChangeWatch {
  const api: GoogleApi = client.as(impersonate);
  const subject = { kind: "changes", id: api.actor, actor: api.actor } as const;

  const look = async (cursor: string | null): Promise<ChangeLook> => {
    let calls = 0;
    const restart = async (): Promise<ChangeLook> => {
      calls += 1;
      return everything(await api.getStartPageToken(), calls);
    };
    // A first look cannot see what changed before it: every agenda may have.
    if (cursor === null) return restart();
    const changed = new Set<string>();
    let pageToken = cursor;
    for (let page = 0; page < MAX_CHANGE_PAGES; page++) {
      calls += 1;
      let list: Awaited<ReturnType<GoogleApi["listChanges"]>>;
      try {
        list = await api.listChanges({ pageToken, fields: CHANGES_FIELDS, pageSize: CHANGES_PAGE_SIZE });
      } catch (error) {
        if (isRejectedToken(error)) return restart();
        throw error;
      }
      // A removal counts too: an agenda deleted or no longer shared is one a pass must find out about.
      for (const change of list.changes) changed.add(change.fileId);
      if (list.newStartPageToken !== undefined) {
        return {
          changed: (agendaId) => changed.has(documentIdOf(agendaId)),
          cursor: list.newStartPageToken,
          calls,
        };
      }
      pageToken = list.nextPageToken ?? pageToken;
    }
    return restart();
  };

  return {
    scope: googleWatchScope(client.serviceAccountEmail, impersonate),
    async changedSince(cursor) {
      try {
        return await look(cursor);
      } catch (error) {
        throw toDestinationError(error, subject);
      }
    },
  };
}
