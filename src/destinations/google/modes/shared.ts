// Owns what both Google modes do alike: a call whose failure becomes a DestinationError naming what was
// being worked on, a write guarded by the revision it was computed on, and the ids of the open items
// a prepare run carries.
import type { ReadItems } from "../../types";
import { type ErrorSubject, toDestinationError } from "../api/errors";

/** Runs `run`, its failure told as a DestinationError about `subject`. */
export async function about<T>(subject: ErrorSubject, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toDestinationError(error, subject);
  }
}

/** The batchUpdate fields that make Google refuse it if the document changed since `revision`. */
export function underRevision(revision: string | undefined): {
  writeControl?: { requiredRevisionId: string };
} {
  return revision === undefined ? {} : { writeControl: { requiredRevisionId: revision } };
}

/** The ids of the open items, whatever their role. */
export function openIds(open: ReadItems): Set<string> {
  return new Set([...open.actions, ...open.discussion, ...open.parked].flatMap((item) => item.id ?? []));
}
