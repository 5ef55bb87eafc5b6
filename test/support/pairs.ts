// Pair fixtures for tests: valid by default, each test overriding what it is about.

import type { PairInput } from "../../src/config/pair";
import type { AgendaDraft } from "../../src/destinations/types";
import type { Agenda } from "../../src/domain/agenda";

/** A data source id of the pair's own (derived from its id): two pairs never share one by accident. */
function ownDataSource(id: string): string {
  let hash = 0x811c9dc5;
  for (const char of id) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  return `2a3b4c5d-0000-4000-8000-${hash.toString(16).padStart(12, "0")}`;
}

export function pairInput(overrides: Partial<PairInput> = {}): PairInput {
  const id = overrides.id ?? "ada-bo";
  return {
    id,
    manager: { name: "Ada Manager", email: "ada@example.com" },
    report: { name: "Bo Report", email: "bo@example.com" },
    template: "weekly",
    schedule: {
      timeZone: "Europe/Berlin",
      time: "10:00",
      cadence: { kind: "weekly", weekday: "tuesday", everyWeeks: 1 },
      leadTime: { hours: 24 },
    },
    destination: { kind: "notion", dataSourceId: ownDataSource(id) },
    ...overrides,
  };
}

/** A draft for destination tests: just the agenda, nothing carried, no placeholders. */
export function draftOf(agenda: Agenda): AgendaDraft {
  return { agenda, carried: { actions: [], discussion: [], parked: [] }, placeholders: {} };
}
