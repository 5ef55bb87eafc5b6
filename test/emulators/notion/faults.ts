// Faults on demand: make chosen requests fail, stall or vanish a chosen number of times.
import type { FaultSpec } from "./control-types";

export interface Fault {
  id: string;
  spec: FaultSpec;
  remaining: number;
  skip: number;
}

export interface RequestKey {
  token: string | undefined;
  method: string;
  /** The concrete path, e.g. /v1/pages/abc. */
  path: string;
  /** The route template, e.g. /v1/pages/:id; undefined when no route matched. */
  route: string | undefined;
}

export class FaultRegistry {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const times = spec.times ?? 1;
    const fault: Fault = { id: `fault-${this.nextId++}`, spec, remaining: times, skip: spec.skip ?? 0 };
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
  if (spec.token !== undefined && spec.token !== request.token) return false;
  if (spec.method !== undefined && spec.method.toUpperCase() !== request.method) return false;
  if (spec.path !== undefined && spec.path !== request.path && spec.path !== request.route) return false;
  return true;
}
