// Owns the doc-per-meeting mode: a Google Doc per meeting in a Drive folder (My Drive or a shared drive),
// marked with app properties (pair and meeting date) that only this app sees and people cannot rename
// away. Calls per agenda: `files.list` (locate), `documents.get` (the previous agenda's open items),
// `files.copy` of the template or `files.create`, and one `documents.batchUpdate` — four at most. A
// template document is read once per run and client, to know where its headings are: a copy has the
// same content, so the same indices. The template's own example items are not carried.
import type { CarryRole } from "../../domain/agenda";
import type { Logger } from "../../lib/log";
import { silentLogger } from "../../lib/log";
import type { AgendaDraft, AgendaRef, Destination, Located, MeetingRef, ReadItems } from "../types";
import { DestinationError } from "../types";
import type { DocsRequest, GoogleApi, GoogleClient } from "./client";
import type { DocPerMeetingConfig } from "./config";
import { documentTabs, documentUrl, paragraphsOf } from "./document";
import { type ErrorSubject, toDestinationError } from "./errors";
import { openItemsOf } from "./read";
import type { DocDocument, DriveFile } from "./schemas";
import { doneOptionIds } from "./status";
import { blankRequests, templateExamples, templateRequests, withoutExamples } from "./template";
import { blocksFromParagraphs } from "./to-model";

const GOOGLE_DOC = "application/vnd.google-apps.document";
const PAIR_PROPERTY = "oneOnOnePair";
const DATE_PROPERTY = "oneOnOneDate";
const FILE_FIELDS = "id,name,appProperties,webViewLink";
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Pages of `files.list` read at most (1,000 agendas each). */
const MAX_LIST_PAGES = 10;

/** One pair's folder of agendas. */
export interface DocPerMeetingOptions {
  client: GoogleClient;
  config: DocPerMeetingConfig;
  pairId: string;
  log?: Logger;
}

// A template is read once per run (per client) and acting user, whichever pairs use it. The client may
// outlive a run (it lives as long as the isolate), so a read is kept only briefly: a person who edits the
// template must not have their next agendas filled at the old template's indices.
const TEMPLATE_TTL_MS = 5 * 60 * 1000;
const templateCache = new WeakMap<GoogleClient, Map<string, { at: number; doc: Promise<DocDocument> }>>();

function readTemplate(client: GoogleClient, api: GoogleApi, templateId: string): Promise<DocDocument> {
  let cache = templateCache.get(client);
  if (cache === undefined) {
    cache = new Map();
    templateCache.set(client, cache);
  }
  const slot = `${api.actor}\n${templateId}`;
  const now = Date.now();
  const cached = cache.get(slot);
  if (cached !== undefined && now - cached.at < TEMPLATE_TTL_MS) return cached.doc;
  const pending = api.getDocument(templateId);
  cache.set(slot, { at: now, doc: pending });
  // A failed read is not remembered: the next pair or run asks again.
  pending.catch(() => cache.delete(slot));
  return pending;
}

/** A Drive query string literal. */
function quoted(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/** The doc-per-meeting destination; see the file header. */
export function createDocPerMeetingDestination(options: DocPerMeetingOptions): Destination {
  const { client, config, pairId } = options;
  const log = options.log ?? silentLogger;
  const api = client.as(config.impersonate);
  const folderSubject: ErrorSubject = { kind: "folder", id: config.folderId, actor: api.actor };

  const call = async <T>(subject: ErrorSubject, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw toDestinationError(error, subject);
    }
  };

  const templateSubjectOf = (id: string): ErrorSubject => ({
    kind: "template",
    id,
    actor: api.actor,
    folderId: config.folderId,
  });

  const refOf = (file: DriveFile, date: string): AgendaRef => ({
    id: file.id,
    url: documentUrl(file.id),
    date,
  });

  /** Moves a document whose content could not be written to the trash, so the next run starts over. */
  const discard = async (file: DriveFile, failure: DestinationError): Promise<DestinationError> => {
    try {
      await api.trashFile(file.id);
      return new DestinationError(
        `${failure.message}; the incomplete agenda was moved to the trash`,
        failure.retryable,
      );
    } catch {
      log.warn("google.discard_failed", { fileId: file.id });
      return new DestinationError(
        `${failure.message}; the incomplete agenda ${documentUrl(file.id)} could not be moved to the trash: delete it, then run again`,
        false,
      );
    }
  };

  const fill = async (file: DriveFile, requests: DocsRequest[]): Promise<void> => {
    if (requests.length === 0) return;
    try {
      await api.batchUpdate(file.id, { requests });
    } catch (error) {
      throw await discard(
        file,
        toDestinationError(error, { kind: "document", id: file.id, actor: api.actor }),
      );
    }
  };

  return {
    /** One `files.list` (per 1,000 of the pair's agendas in the folder). */
    async locate(meeting: MeetingRef): Promise<Located> {
      const q = [
        `${quoted(config.folderId)} in parents`,
        "trashed = false",
        `mimeType = ${quoted(GOOGLE_DOC)}`,
        `appProperties has { key=${quoted(PAIR_PROPERTY)} and value=${quoted(pairId)} }`,
      ].join(" and ");
      let existing: AgendaRef | null = null;
      let previous: AgendaRef | null = null;
      let pageToken: string | undefined;
      for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
        const list = await call(folderSubject, () =>
          api.listFiles({
            q,
            fields: `nextPageToken,incompleteSearch,files(${FILE_FIELDS})`,
            pageSize: 1000,
            ...(pageToken === undefined ? {} : { pageToken }),
          }),
        );
        if (list.incompleteSearch === true) log.warn("google.list_incomplete", { folderId: config.folderId });
        for (const file of list.files) {
          // The query asked for this pair's documents; a document is taken only if it says so itself.
          if (file.appProperties?.[PAIR_PROPERTY] !== pairId) continue;
          const date = file.appProperties?.[DATE_PROPERTY];
          if (date === undefined || !DATE.test(date) || date > meeting.date) continue;
          if (date === meeting.date) existing ??= refOf(file, date);
          else if (previous === null || date > previous.date) previous = refOf(file, date);
        }
        pageToken = list.nextPageToken;
        if (pageToken === undefined) break;
      }
      return { existing, previous };
    },

    /** One `documents.get` of the earlier agenda. */
    async readOpenItems(agenda: AgendaRef, roles: readonly CarryRole[]): Promise<ReadItems> {
      const doc = await call({ kind: "document", id: agenda.id, actor: api.actor }, () =>
        api.getDocument(agenda.id),
      );
      const blocks = documentTabs(doc).flatMap((tab) =>
        blocksFromParagraphs(paragraphsOf(tab.content), {
          lists: tab.lists,
          doneOptionIds: doneOptionIds(tab.dropdownDefinitions),
        }),
      );
      const open = openItemsOf(blocks, roles);
      const templateId = config.templateDocumentId;
      if (templateId === undefined) return open;
      // The same read `create` needs, once per run: it costs this agenda no extra call.
      const template = await call(templateSubjectOf(templateId), () => readTemplate(client, api, templateId));
      return withoutExamples(open, templateExamples(template));
    },

    /**
     * With a template: `files.copy` and one `documents.batchUpdate` (the template itself read once per
     * run). Without: `files.create` and one `documents.batchUpdate`.
     */
    async create(meeting: MeetingRef, draft: AgendaDraft): Promise<AgendaRef> {
      const metadata = {
        name: draft.agenda.title === "" ? `1:1 · ${meeting.date}` : draft.agenda.title,
        parents: [config.folderId],
        appProperties: { [PAIR_PROPERTY]: pairId, [DATE_PROPERTY]: meeting.date },
      };
      const templateId = config.templateDocumentId;
      if (templateId === undefined) {
        const file = await call(folderSubject, () =>
          api.createFile({ ...metadata, mimeType: GOOGLE_DOC }, FILE_FIELDS),
        );
        await fill(file, blankRequests(draft.agenda));
        return refOf(file, meeting.date);
      }
      const templateSubject = templateSubjectOf(templateId);
      const template = await call(templateSubject, () => readTemplate(client, api, templateId));
      const requests = templateRequests(template, draft);
      const file = await call(templateSubject, () => api.copyFile(templateId, metadata, FILE_FIELDS));
      await fill(file, requests);
      return refOf(file, meeting.date);
    },
  };
}
