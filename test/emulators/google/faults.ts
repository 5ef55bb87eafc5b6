// Faults on demand: make chosen requests fail, stall or vanish a chosen number of times.
import type { FaultSpec } from "./control-types";

export interface Fault {
  id: string;
  spec: FaultSpec;
  remaining: number;
  skip: number;
}

export interface RequestKey {
  /** Everyone the request acts as: the service account and, when impersonating, the user. */
  principals: readonly string[];
  method: string;
  /** The concrete path, e.g. /v1/documents/abc:batchUpdate. */
  path: string;
  /** The route template, e.g. /v1/documents/:id:batchUpdate; undefined when no route matched. */
  route: string | undefined;
}

export class FaultRegistry {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const fault: Fault = {
      id: `fault-${this.nextId++}`,
      spec,
      remaining: spec.times ?? 1,
      skip: spec.skip ?? 0,
    };
    this.faults.push(fault);
    return fault;
  }

  list(): Fault[] {
    return [...this.faults];
  }

  clear(): void {
    this.faults = [];
  }

  /** The first armed fault matching the request, used up by one; undefined when none fires. */
  take(request: RequestKey): FaultSpec | undefined {
    for (const fault of this.faults) {
      if (!matches(fault.spec, request)) continue;
      if (fault.skip > 0) {
        fault.skip -= 1;
        continue;
      }
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
      return fault.spec;
    }
    return undefined;
  }
}

function matches(spec: FaultSpec, request: RequestKey): boolean {
  if (spec.principal !== undefined && !request.principals.includes(spec.principal)) return false;
  if (spec.method !== undefined && spec.method.toUpperCase() !== request.method) return false;
  if (spec.path !== undefined && spec.path !== request.path && spec.path !== request.route) return false;
  return true;
}
