// Google's faults: the shared registry, matching a fault's `principal` against everyone the request acts as.
import { FaultRegistry as CommonFaultRegistry, type RequestPath } from "../common/faults";
import type { FaultSpec } from "./control-types";

export interface RequestKey extends RequestPath {
  /** Everyone the request acts as: the service account and, when impersonating, the user. */
  principals: readonly string[];
}

export class FaultRegistry extends CommonFaultRegistry<FaultSpec, RequestKey> {
  constructor() {
    super((spec, request) => spec.principal === undefined || request.principals.includes(spec.principal));
  }
}
