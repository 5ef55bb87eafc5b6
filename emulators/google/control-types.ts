// Shapes of the Google emulator's control API, shared by the server (Node) and the fetch client (Node or workerd).
import type { CallCounts, CommonFaultSpec, FaultInfoOf } from "../common/control-types";
import type { DocsDateFormat, DocsTimeFormat } from "./wire-types";

/** A service-account JSON key exactly as the Cloud console downloads it; `token_uri` points at the emulator. */
export interface ServiceAccountKey {
  type: "service_account";
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
  auth_provider_x509_cert_url: string;
  client_x509_cert_url: string;
  universe_domain: string;
}

/** Per-minute request budgets; null switches one off. Google's defaults: Docs 300 reads and 60 writes, Drive 12,000. */
export interface QuotaSpec {
  docsReadsPerMinute?: number | null;
  docsWritesPerMinute?: number | null;
  driveRequestsPerMinute?: number | null;
}

export interface ServiceAccountSpec {
  /** The part of client_email before "@"; random otherwise. */
  name?: string;
  projectId?: string;
  /** May impersonate users (`sub` in the assertion), as a Workspace admin can allow. */
  domainWideDelegation?: boolean;
  /**
   * Service accounts have no Drive storage since 2025: they cannot own files, so they can only create
   * or copy into shared drives (or impersonate). `true` models an old account that still has a quota.
   */
  storageQuota?: boolean;
  quota?: QuotaSpec;
}

export interface UserSpec {
  email: string;
  name?: string;
}

export interface UserInfo {
  email: string;
  name: string;
}

export type Role = "reader" | "commenter" | "writer" | "fileOrganizer" | "organizer" | "owner";

/** A principal (service-account or user email), as a writer, or with a role. */
export type ShareSpec = string | { principal: string; role?: Role };

export interface FolderSpec {
  name: string;
  /** Creates a shared drive named `name`; its root is the returned folder (id = driveId). */
  sharedDrive?: boolean;
  /** A folder (or shared drive) to create this one in; the owner's My Drive otherwise. */
  parent?: string;
  /** Owner of a My Drive folder; the emulator's admin user otherwise. */
  owner?: string;
  sharedWith?: ShareSpec[];
}

export interface FolderInfo {
  id: string;
  name: string;
  driveId?: string;
}

export interface TextSpec {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  link?: string;
}

/** A person chip. */
export interface PersonSpec {
  person: string;
  name?: string;
}

/** A date chip; `date` is YYYY-MM-DD (midnight UTC) or an ISO timestamp. */
export interface DateSpec {
  date: string;
  format?: DocsDateFormat;
  timeFormat?: DocsTimeFormat;
  timeZone?: string;
  locale?: string;
}

/** A dropdown chip; equal option lists (and title) in one tab share a definition. */
export interface DropdownSpec {
  dropdown: string[];
  selected?: string;
  title?: string;
}

export type InlineSpec = string | TextSpec | PersonSpec | DateSpec | DropdownSpec;
export type Inlines = string | InlineSpec[];

interface ListItemSpec {
  level?: number;
  /** Nested one level deeper. */
  children?: BlockSpec[];
}

export type BlockSpec =
  | { title: Inlines }
  | { heading: Inlines; level?: 1 | 2 | 3 | 4 | 5 | 6 }
  | { paragraph: Inlines }
  | ({ bullet: Inlines } & ListItemSpec)
  | ({ numbered: Inlines } & ListItemSpec)
  /** Docs does not expose a checkbox's state; ticking one strikes its text through, so `checked` does that. */
  | ({ checkbox: Inlines; checked?: boolean } & ListItemSpec)
  | { namedRange: string; content: BlockSpec[] };

export interface TabSpec {
  title?: string;
  iconEmoji?: string;
  content: BlockSpec[];
  children?: TabSpec[];
}

export interface DocumentSpec {
  title: string;
  /** One folder (or shared drive) id; the owner's My Drive otherwise. */
  parents?: string[];
  owner?: string;
  sharedWith?: ShareSpec[];
  /** The first (only) tab's content; use `tabs` for several. */
  content?: BlockSpec[];
  tabs?: TabSpec[];
  /** Private app properties, per app: keyed by the service account whose app may read them. */
  appProperties?: Record<string, Record<string, string>>;
  description?: string;
  /** ISO time; lets a test build a history of earlier documents. */
  createdTime?: string;
}

export interface SeededDocument {
  documentId: string;
  title: string;
  revisionId: string;
  url: string;
  driveId?: string;
  tabs: Array<{ tabId: string; title: string }>;
  /** Named range name -> id (the first range of that name). */
  namedRanges: Record<string, string>;
  /** Dropdown definition title (or options joined by "/") -> id. */
  dropdownDefinitions: Record<string, string>;
}

export type DropdownTarget = (
  | { dropdownId: string }
  | { paragraphContaining: string; nth?: number }
  | { index: number }
) & { tabId?: string };

/** A fault (see CommonFaultSpec); a `status` answers with Google's error body for it (502 is Google's HTML page). */
export interface FaultSpec extends CommonFaultSpec {
  /** Match only requests by this principal (the service account, or the user it impersonates). */
  principal?: string;
  /** With `status`: the `errors[0].reason` Google gives, e.g. Drive's 403 `userRateLimitExceeded`. */
  reason?: string;
  /**
   * Answer with exactly this JSON (and `status`, 200 by default) without handling the request: an answer
   * that breaks the API's schema, for testing a client's checks. Google does not send such answers.
   */
  body?: unknown;
}

export type FaultInfo = FaultInfoOf<FaultSpec>;

/** Calls per endpoint, keyed like `POST /v1/documents/:id:batchUpdate`. */
export type { CallCounts };
