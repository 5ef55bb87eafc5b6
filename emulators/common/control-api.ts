// Owns the server side of the control API both emulators share: its response and error types, turning a
// thrown error into a response (vendor API errors via a callback), and the /__emulator/faults routes.
import type { CommonFaultSpec, FaultInfoOf } from "./control-types";
import type { Fault, FaultRegistry, RequestPath } from "./faults";

export interface ControlResponse {
  status: number;
  body: unknown;
}

export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The response for an error a control route threw: `vendorError` answers for the vendor's own API errors
 * (their shape is the vendor's), a ControlError keeps its status, anything else is a 400.
 */
export function controlFailure(
  error: unknown,
  vendorError: (error: unknown) => ControlResponse | undefined,
): ControlResponse {
  const vendor = vendorError(error);
  if (vendor !== undefined) return vendor;
  const status = error instanceof ControlError ? error.status : 400;
  return { status, body: { error: error instanceof Error ? error.message : String(error) } };
}

function faultInfo<Spec extends CommonFaultSpec>(fault: Fault<Spec>): FaultInfoOf<Spec> {
  // JSON has no Infinity: a fault without a limit says -1.
  const remaining = Number.isFinite(fault.remaining) ? fault.remaining : -1;
  return { id: fault.id, remaining, fired: fault.fired, spec: fault.spec };
}

/** POST (arm one), GET (list) and DELETE (disarm all) /__emulator/faults. */
export function faultsRoute<Spec extends CommonFaultSpec, Request extends RequestPath>(
  faults: FaultRegistry<Spec, Request>,
  method: string,
  body: unknown,
): unknown {
  switch (method) {
    case "POST":
      return faultInfo(faults.add(body as Spec));
    case "GET":
      return faults.list().map(faultInfo);
    default:
      faults.clear();
      return { ok: true };
  }
}
