// Owns "every pair, and who shares a destination with whom", as the jobs need it: the stored pairs
// parsed once, the pairs that cannot be prepared (invalid, or sharing a destination unseparated) with
// why, and each pair's destination wired to ask the sharing rule before it writes. A queue consumer keeps
// it in memory for its isolate's life and reads the pairs again only when their revision moved, so a
// message costs one small query, not a read of every pair.

import type { Pair } from "../config/pair";
import { type SharingCheck, SharingIndex } from "../destinations/sharing";
import type { Destination } from "../destinations/types";
import { unavailableDestination } from "../destinations/unavailable";
import type { PairStore, StoredPair } from "../store/pairs";

export interface PairDirectory {
  /** The pairs revision this was read at. */
  revision: number;
  /** Every pair that parses, by id. */
  pairs: Map<string, Pair>;
  /** Stored pairs whose config no longer parses, with why. */
  invalid: { id: string; problems: string[] }[];
  /**
   * Pairs whose agendas would live where another pair's do, unseparated (stored before the admin API
   * refused that), with why: their meetings fail with the reason instead of taking another pair's agenda.
   */
  shared: { id: string; problems: string[] }[];
  /** The pair's destination, refusing to write where another pair's agendas are. */
  destinationFor(pair: Pair): Destination;
}

/** Builds the directory from every stored pair; `destinationFor` makes a destination with its check. */
function buildDirectory(
  stored: readonly StoredPair[],
  revision: number,
  destinationFor: (pair: Pair, sharing?: SharingCheck) => Destination,
): PairDirectory {
  const pairs = new Map(stored.flatMap((entry) => (entry.pair ? [[entry.id, entry.pair] as const] : [])));
  const invalid = stored
    .filter((entry) => entry.pair === null)
    .map((entry) => ({ id: entry.id, problems: entry.problems }));
  const sharing = new SharingIndex(pairs.values());
  const shared = [...pairs.values()].flatMap((pair) => {
    const problems = sharing.problemsOf(pair).map((found) => `${found.path}: ${found.message}`);
    return problems.length === 0 ? [] : [{ id: pair.id, problems }];
  });
  const refused = new Map(shared.map((entry) => [entry.id, entry.problems]));
  return {
    revision,
    pairs,
    invalid,
    shared,
    destinationFor(pair) {
      const problems = refused.get(pair.id);
      if (problems !== undefined) {
        return unavailableDestination(
          `not prepared, so that no pair sees another's agenda: ${problems.join("; ")}`,
        );
      }
      const check = sharing.checkFor(pair);
      return check === undefined ? destinationFor(pair) : destinationFor(pair, check);
    },
  };
}

const cached = new WeakMap<PairStore, PairDirectory>();

/**
 * The directory as of now: the one kept for `store` when the pairs' revision has not moved since, or a
 * fresh read. (A change between reading the revision and the pairs only makes the next call read again.)
 */
export async function currentDirectory(
  store: PairStore,
  destinationFor: (pair: Pair, sharing?: SharingCheck) => Destination,
): Promise<PairDirectory> {
  const revision = await store.revision();
  const kept = cached.get(store);
  if (kept !== undefined && kept.revision === revision) return kept;
  const directory = buildDirectory(await store.list(), revision, destinationFor);
  cached.set(store, directory);
  return directory;
}
