// A destination whose credentials are missing: every call fails that pair with a message naming the
// secret to set, so the other pairs still run and the operator sees exactly what to fix.
import type { Destination } from "./types";
import { DestinationError } from "./types";

export function unavailableDestination(reason: string): Destination {
  const fail = async (): Promise<never> => {
    throw new DestinationError(reason, false);
  };
  return { locate: fail, readOpenItems: fail, create: fail };
}
