// Pair fixtures for tests: valid by default, each test overriding what it is about.
import type { AgendaDraft } from "../../src/destinations/types";
import type { Agenda } from "../../src/domain/agenda";
import type { PairInput } from "../../src/domain/pair";

export function pairInput(overrides: Partial<PairInput> = {}): PairInput {
  return {
    id: "ada-bo",
    manager: { name: "Ada Manager", email: "ada@example.com" },
    report: { name: "Bo Report", email: "bo@example.com" },
    template: "weekly",
    schedule: {
      timeZone: "Europe/Berlin",
      time: "10:00",
      cadence: { kind: "weekly", weekday: "tuesday", everyWeeks: 1 },
      leadTime: { hours: 24 },
    },
    destination: { kind: "notion", dataSourceId: "2a3b4c5d-0000-4000-8000-000000000001" },
    ...overrides,
  };
}

/** A draft for destination tests: just the agenda, nothing carried, no placeholders. */
export function draftOf(agenda: Agenda): AgendaDraft {
  return { agenda, carried: { actions: [], discussion: [] }, placeholders: {} };
}
