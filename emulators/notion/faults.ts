// Notion's faults: the shared registry, matching a fault's `token` against the request's integration.
import { FaultRegistry as CommonFaultRegistry, type RequestPath } from "../common/faults";
import type { FaultSpec } from "./control-types";

export interface RequestKey extends RequestPath {
  token: string | undefined;
}

export class FaultRegistry extends CommonFaultRegistry<FaultSpec, RequestKey> {
  constructor() {
    super((spec, request) => spec.token === undefined || spec.token === request.token);
  }
}
