// Owns the rule of which pairs may keep their agendas in the same place, so that one pair never takes,
// reads or links another's agenda. Used at the admin API's gate (create, update, import), by the tick for
// pairs stored before the rule existed, and by a destination at run time once ids given as a database are
// resolved to the data source they name.
//
// What "the same place" is, per kind:
// - Notion: the same data source, or the same database (a database id becomes a data source only at run
//   time, so ids are compared as given here, and the Notion destination compares the resolved ones). Pages
//   carry no mark of their pair except the pair property, so pairs share a data source only when every one
//   of them has a `pairProperty`, and no two mark their pages with the same property and value.
// - Google running doc: the same document is fine, each meeting's section is a named range keyed by the
//   pair id. But a document that is another pair's template would copy this pair's meetings into theirs.
// - Google doc per meeting: the same folder is fine, each document carries its pair in app properties.
import type { DestinationConfig } from "./config";

/** A pair as far as sharing is concerned. */
export interface PlacedPair {
  id: string;
  destination: DestinationConfig;
}

/** Why a pair's destination may not be where it is: the field to change and what to do. */
export interface SharingProblem {
  /** From the pair's root, like `destination.dataSourceId`. */
  path: string;
  message: string;
  /** The pair it collides with. */
  otherId: string;
}

/** Where a Notion pair's agendas turned out to be, ids resolved. */
interface ResolvedNotionPlace {
  dataSourceId: string;
  databaseId?: string | undefined;
}

/**
 * Asked by a destination once it knows the resolved ids of where it writes: why this pair must not write
 * there (a message for a person), or null when it may.
 */
export type SharingCheck = (place: ResolvedNotionPlace) => string | null;

interface Spot {
  key: string;
  path: string;
  noun: string;
}

function spotsOf(destination: DestinationConfig): Spot[] {
  if (destination.kind === "notion") {
    const spots: Spot[] = [];
    if (destination.dataSourceId !== undefined) {
      spots.push({
        key: `notion-data-source:${destination.dataSourceId}`,
        path: "destination.dataSourceId",
        noun: `data source ${destination.dataSourceId}`,
      });
    }
    if (destination.databaseId !== undefined) {
      spots.push({
        key: `notion-database:${destination.databaseId}`,
        path: "destination.databaseId",
        noun: `database ${destination.databaseId}`,
      });
    }
    return spots;
  }
  if (destination.mode === "running-doc") {
    return [
      {
        key: `google-document:${destination.documentId}`,
        path: "destination.documentId",
        noun: `Google document ${destination.documentId}`,
      },
    ];
  }
  const spots: Spot[] = [
    {
      key: `google-folder:${destination.folderId}`,
      path: "destination.folderId",
      noun: `Google Drive folder ${destination.folderId}`,
    },
  ];
  if (destination.templateDocumentId !== undefined) {
    spots.push({
      key: `google-document:${destination.templateDocumentId}`,
      path: "destination.templateDocumentId",
      noun: `Google document ${destination.templateDocumentId}`,
    });
  }
  return spots;
}

/** How a Notion pair marks its pages, or null when it does not; values compare as Notion's filter may. */
function markOf(destination: DestinationConfig, pairId: string): { name: string; value: string } | null {
  if (destination.kind !== "notion" || destination.pairProperty === undefined) return null;
  return { name: destination.pairProperty.name, value: destination.pairProperty.value ?? pairId };
}

/** Why `pair` may not be at `spot` beside `other`, which is there too; null when both may. */
function problemAt(pair: PlacedPair, other: PlacedPair, spot: Spot): SharingProblem | null {
  const mine = pair.destination;
  const theirs = other.destination;
  if (mine.kind === "notion" && theirs.kind === "notion") {
    const a = markOf(mine, pair.id);
    const b = markOf(theirs, other.id);
    if (a === null || b === null) {
      return {
        path: spot.path,
        otherId: other.id,
        message: `${spot.noun} already holds the agendas of pair "${other.id}"; give both pairs a pairProperty to share it`,
      };
    }
    if (a.name === b.name && a.value.trim().toLowerCase() === b.value.trim().toLowerCase()) {
      return {
        path: "destination.pairProperty.value",
        otherId: other.id,
        message: `pair "${other.id}" already marks its agendas in ${spot.noun} with ${a.name} = "${b.value}"; give each pair its own value`,
      };
    }
    return null;
  }
  if (mine.kind === "google-docs" && theirs.kind === "google-docs") {
    if (mine.mode === "running-doc" && theirs.mode === "doc-per-meeting") {
      return {
        path: spot.path,
        otherId: other.id,
        message: `${spot.noun} is the template of pair "${other.id}"'s agendas; a running doc there would be copied into every agenda of theirs`,
      };
    }
    if (mine.mode === "doc-per-meeting" && theirs.mode === "running-doc") {
      return {
        path: spot.path,
        otherId: other.id,
        message: `${spot.noun} is the running doc of pair "${other.id}"; every agenda copied from it would hold their meetings`,
      };
    }
  }
  return null;
}

/**
 * Every pair's place, indexed by spot, so that finding who else is somewhere costs one look-up rather than a
 * pass over every pair (10,000 pairs are checked on each tick).
 */
export class SharingIndex {
  private readonly bySpot = new Map<string, PlacedPair[]>();

  constructor(pairs: Iterable<PlacedPair>) {
    for (const pair of pairs) this.add(pair);
  }

  add(pair: PlacedPair): void {
    for (const spot of spotsOf(pair.destination)) {
      const list = this.bySpot.get(spot.key);
      if (list === undefined) this.bySpot.set(spot.key, [pair]);
      else list.push(pair);
    }
  }

  /** Why `pair` may not be where it is beside the indexed pairs (itself and pairs of its id left out). */
  problemsOf(pair: PlacedPair): SharingProblem[] {
    const problems: SharingProblem[] = [];
    const seen = new Set<string>();
    for (const spot of spotsOf(pair.destination)) {
      for (const other of this.bySpot.get(spot.key) ?? []) {
        if (other.id === pair.id) continue;
        const found = problemAt(pair, other, spot);
        if (found === null) continue;
        const key = `${found.path}\n${found.otherId}`;
        if (seen.has(key)) continue;
        seen.add(key);
        problems.push(found);
      }
    }
    return problems;
  }

  /**
   * The check a Notion pair's destination makes at run time with the ids it resolved: the same rule, with
   * the data source and database it really writes to in place of the ids it was given.
   */
  checkFor(pair: PlacedPair): SharingCheck | undefined {
    const destination = pair.destination;
    if (destination.kind !== "notion") return undefined;
    return (place) => {
      const resolved: PlacedPair = {
        id: pair.id,
        destination: {
          ...destination,
          dataSourceId: place.dataSourceId,
          databaseId: place.databaseId ?? destination.databaseId,
        },
      };
      const [first] = this.problemsOf(resolved);
      return first === undefined ? null : first.message;
    };
  }
}

/** Each pair in conflict with another, and why, as "path: message" lines. */
export function sharingConflicts(pairs: readonly PlacedPair[]): Map<string, string[]> {
  const index = new SharingIndex(pairs);
  const conflicts = new Map<string, string[]>();
  for (const pair of pairs) {
    const problems = index.problemsOf(pair);
    if (problems.length > 0) {
      conflicts.set(
        pair.id,
        problems.map((found) => `${found.path}: ${found.message}`),
      );
    }
  }
  return conflicts;
}

/**
 * The problems of pairs about to be written (`incoming`, in order) beside the stored pairs they do not
 * replace and beside each other, as "path: message" lines; `prefix(index)` names the incoming pair
 * (`pairs[2].` in an import, nothing for a single pair).
 */
export function incomingConflicts(
  incoming: readonly PlacedPair[],
  stored: readonly PlacedPair[],
  prefix: (index: number) => string = () => "",
): string[] {
  const replaced = new Set(incoming.map((pair) => pair.id));
  const index = new SharingIndex(stored.filter((pair) => !replaced.has(pair.id)));
  const lines: string[] = [];
  incoming.forEach((pair, position) => {
    for (const found of index.problemsOf(pair))
      lines.push(`${prefix(position)}${found.path}: ${found.message}`);
    // Later pairs of the same import are checked against this one, so each conflict is named once.
    index.add(pair);
  });
  return lines;
}
