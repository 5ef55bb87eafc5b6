// The contract every destination (Notion, Google Docs) fulfils for the jobs.
// Jobs speak only this interface; each destination folder owns its vendor's API.
import type { Agenda, Block, CarryRole } from "../domain/agenda";
import type { SourceItem, SyncAction } from "../domain/sync";

/** One meeting, as a destination needs to know it. */
export interface MeetingRef {
  pairId: string;
  /** `pairId/YYYY-MM-DD`, stable across retries. */
  key: string;
  /** Local date of the meeting in the pair's time zone, `YYYY-MM-DD`. */
  date: string;
  /** What D1 already knows; absent when it knows nothing (a dry run, the first agenda of a pair). */
  known?: {
    /** The agenda the Worker created for the pair's latest earlier meeting. */
    previous: AgendaRef | null;
    /** True when an earlier attempt at this meeting may have written something (its answer lost). */
    earlierAttempt: boolean;
  };
}

/** An agenda that exists in a destination. */
export interface AgendaRef {
  id: string;
  url: string;
  /** The meeting date the agenda belongs to, `YYYY-MM-DD`. */
  date: string;
  /** Its heading or title as people see it, when the destination read it (hand-made notes name themselves). */
  title?: string;
  /**
   * True when people made it by hand and the Worker took it over: the pair's first agenda found no earlier
   * agenda the Worker made, so it carries from the notes the team already kept.
   */
  takenOver?: boolean;
}

/** The answer to "is this meeting's agenda already there, and which agenda came before it?". */
export interface Located {
  existing: AgendaRef | null;
  previous: AgendaRef | null;
}

/** Open to-dos (with their nested children loaded) of an earlier agenda, per carried section. */
export type OpenItems = Record<CarryRole, Extract<Block, { kind: "todo" }>[]>;

/**
 * What an earlier agenda holds for the next meeting: its open to-dos, and how many top-level to-dos under
 * the same headings are done (the digest's "closed since the last meeting"), of which `closedWithinWeek`
 * carry no carry mark: they were closed in the meeting interval they first appeared in (the roll-up's
 * "closed within a week").
 */
export type ReadItems = OpenItems & { closed: number; closedWithinWeek: number };

/** Everything a destination may need to write one meeting's agenda. */
export interface AgendaDraft {
  /** The rendered template with the carried items already in place: what most destinations write. */
  agenda: Agenda;
  /**
   * The carried items as written (with their marks), per section, and the template's placeholder values
   * (`report.name` → "Bo Chen"): for destinations that fill a document template of their own instead.
   */
  carried: OpenItems;
  placeholders: Readonly<Record<string, string>>;
}

export interface Destination {
  /** Finds this meeting's agenda (find-before-create) and the latest earlier one, in as few calls as possible. */
  locate(meeting: MeetingRef): Promise<Located>;
  /**
   * Reads the unchecked to-dos under the carried sections' headings of an earlier agenda (the parking
   * lot's among them when `roles` names it), and counts the done ones.
   */
  readOpenItems(agenda: AgendaRef, roles: readonly CarryRole[]): Promise<ReadItems>;
  /** Writes a new agenda for the meeting and returns where it is. */
  create(meeting: MeetingRef, draft: AgendaDraft): Promise<AgendaRef>;
  /**
   * Live sync (optional: a destination without it is not synced). Every top-level to-do under the carried
   * sections' headings of an agenda, checked or not, with its block id, in reading order. Sub-items are
   * loaded only for the open to-dos `withChildren` names: the ones a pass may add to the next agenda.
   */
  readSyncItems?(
    agenda: AgendaRef,
    roles: readonly CarryRole[],
    withChildren?: (todoId: string) => boolean,
  ): Promise<SourceItem[]>;
  /**
   * Live sync: applies a pass's actions to the new agenda, in order. Never deletes or moves a block.
   */
  applySync?(agenda: AgendaRef, actions: readonly SyncAction[]): Promise<SyncApplied>;
  /**
   * Live sync's change detection: where this destination's agendas are watched. Pairs whose watches
   * share a `scope` share one look per tick (one Notion data source query, one Drive changes page), so a
   * tick's cost grows with the places agendas live, not with the pairs.
   */
  changeWatch?(): Promise<ChangeWatch>;
  /**
   * The set-up check (the doctor): whether the pair's credentials reach the place its agendas live, and
   * whether that place is as the pair needs it. Reads only: it never creates or changes an agenda. Reads
   * go through `memo`, so pairs that share a place are looked at once per doctor run.
   */
  check?(memo: CheckMemo): Promise<DestinationCheck>;
}

/** How a check came out: fine, a problem a person fixes, or not run because an earlier check failed. */
type CheckStatus = "ok" | "problem" | "skipped";

export interface CheckResult {
  status: CheckStatus;
  summary: string;
  /** What a person does about it, one sentence each; empty when there is nothing to do. */
  fixes: string[];
}

/** What a destination says about itself (see `Destination.check`). */
export interface DestinationCheck {
  /** Reachable with the pair's credentials (Notion token, Google account). */
  destination: CheckResult;
  /** The place as the pair needs it: Notion properties and one data source; Google files shared, editable. */
  properties: CheckResult;
}

/** One answer per key for the length of a doctor run; a failed load is remembered too (same answer). */
export type CheckMemo = <T>(key: string, load: () => Promise<T>) => Promise<T>;

export function checkOk(summary: string): CheckResult {
  return { status: "ok", summary, fixes: [] };
}

export function checkProblem(summary: string, fixes: string[]): CheckResult {
  return { status: "problem", summary, fixes };
}

export function checkSkipped(summary: string): CheckResult {
  return { status: "skipped", summary, fixes: [] };
}

/** One place agendas live, watched for changes (see `Destination.changeWatch`). */
export interface ChangeWatch {
  /** Equal for destinations watched by the same look: `notion:<data source id>`, `google:<account>`. */
  scope: string;
  /**
   * What changed since `cursor` (the one the previous look returned; null when none did). It may say an
   * agenda changed when it did not (a pass that finds nothing to do costs two reads), never the reverse:
   * a first look that cannot see the past says every agenda changed.
   */
  changedSince(cursor: string | null): Promise<ChangeLook>;
}

export interface ChangeLook {
  /** Whether the agenda (`AgendaRef.id`) may have changed since the cursor. */
  changed(agendaId: string): boolean;
  /** Where the next look starts; stored by the caller only once what this look found is recorded. */
  cursor: string;
  /** Vendor calls the look made, for the tick's report and the bench. */
  calls: number;
}

/** What `applySync` did, for the ledger. */
export interface SyncApplied {
  /** The block of each item added, by item id. */
  added: Map<string, string>;
  /** Item ids of actions left undone because the destination cannot write them whole (a rewrite too long). */
  skipped: Set<string>;
}

/**
 * A failure a person must fix (missing database, unshared page, wrong property) or a vendor outage.
 * `message` is safe to store and show: it never holds a token or a raw upstream body.
 */
export class DestinationError extends Error {
  constructor(
    message: string,
    /** Retrying later may help (rate limit, 5xx, timeout); false when only a person can fix it. */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "DestinationError";
  }
}
