// A destination whose credentials are missing: every call fails that pair with a message naming the
// secret to set, so the other pairs still run and the operator sees exactly what to fix.
import type { Destination } from "./types";
import { checkProblem, checkSkipped, DestinationError } from "./types";

/** `fix`: what a person does, for the set-up check (the reason itself when not given). */
export function unavailableDestination(reason: string, fix?: string): Destination {
  const fail = async (): Promise<never> => {
    throw new DestinationError(reason, false);
  };
  return {
    locate: fail,
    readOpenItems: fail,
    create: fail,
    check: async () => ({
      destination: checkProblem(reason, [fix ?? reason]),
      properties: checkSkipped("not checked: the destination cannot be reached"),
    }),
  };
}
