// Owns refusing, at the admin API, pairs that would keep their agendas where another pair could find
// them (see src/destinations/sharing.ts for the rule): checked against every stored pair a write does
// not replace, and between the pairs of one import.
import type { Context } from "hono";
import type { PlacedPair } from "../destinations/sharing";
import { incomingConflicts } from "../destinations/sharing";
import type { AppEnv } from "./context";
import { problem } from "./http";

/**
 * A 409 naming each pair's conflicting field, or null when every pair may be written. Two writes at once
 * could each pass; the tick checks again and skips pairs in conflict with the reason.
 */
export async function refuseSharedDestinations(
  c: Context<AppEnv>,
  incoming: readonly PlacedPair[],
  prefix?: (index: number) => string,
): Promise<Response | null> {
  const stored = (await c.var.runtime.pairs.list()).flatMap((entry) => (entry.pair ? [entry.pair] : []));
  const problems = incomingConflicts(incoming, stored, prefix);
  return problems.length === 0 ? null : problem(c, 409, "destination_shared", problems);
}
