/// <reference types="node" />
// Owns fault matching and the vendor-neutral half of injection: the armed-fault registry (times, skip,
// method/path/route matching), the delay, and dropping the socket before or after handling. Which caller
// a fault targets is matched by a vendor predicate; answering with a status is left to the vendor (error shapes).
import type { IncomingMessage } from "node:http";
import type { CommonFaultSpec } from "./control-types";
import { sleep } from "./http";

export interface Fault<Spec extends CommonFaultSpec> {
  id: string;
  spec: Spec;
  remaining: number;
  skip: number;
  fired: number;
  /** Draws in [0, 1) for `probability`; null when the fault hits every matching request. */
  random: (() => number) | null;
}

/** mulberry32: a small seeded generator, so a probabilistic fault fails the same requests on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Checks what a fault's chance and count must be; the control API answers 400 with the message. */
function checkSpec(spec: CommonFaultSpec): void {
  const { probability, times, seed } = spec;
  if (
    probability !== undefined &&
    !(typeof probability === "number" && probability >= 0 && probability <= 1)
  ) {
    throw new Error("probability: must be a number from 0 to 1");
  }
  if (times !== undefined && !(Number.isInteger(times) && times >= 1)) {
    throw new Error("times: must be a whole number of at least 1");
  }
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error("seed: must be a whole number");
}

export interface RequestPath {
  method: string;
  /** The concrete path, e.g. /v1/pages/abc. */
  path: string;
  /** The route template, e.g. /v1/pages/:id; undefined when no route matched. */
  route: string | undefined;
}

export class FaultRegistry<Spec extends CommonFaultSpec, Request extends RequestPath> {
  private faults: Fault<Spec>[] = [];
  private nextId = 1;

  /** `matchesCaller` decides the vendor part of a match (token, principal); method and path are checked here. */
  constructor(private readonly matchesCaller: (spec: Spec, request: Request) => boolean) {}

  add(spec: Spec): Fault<Spec> {
    checkSpec(spec);
    const chance = spec.probability;
    const fault: Fault<Spec> = {
      id: `fault-${this.nextId++}`,
      spec,
      remaining: spec.times ?? (chance === undefined ? 1 : Number.POSITIVE_INFINITY),
      skip: spec.skip ?? 0,
      fired: 0,
      random: chance === undefined ? null : seededRandom(spec.seed ?? 0),
    };
    this.faults.push(fault);
    return fault;
  }

  list(): Fault<Spec>[] {
    return [...this.faults];
  }

  clear(): void {
    this.faults = [];
  }

  /** The first armed fault matching the request, used up by one; undefined when none fires. */
  take(request: Request): Spec | undefined {
    for (const fault of this.faults) {
      if (!this.matches(fault.spec, request)) continue;
      if (fault.skip > 0) {
        fault.skip -= 1;
        continue;
      }
      if (fault.random !== null && fault.random() >= (fault.spec.probability ?? 1)) continue;
      fault.fired += 1;
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
      return fault.spec;
    }
    return undefined;
  }

  private matches(spec: Spec, request: Request): boolean {
    if (!this.matchesCaller(spec, request)) return false;
    if (spec.method !== undefined && spec.method.toUpperCase() !== request.method) return false;
    if (spec.path !== undefined && spec.path !== request.path && spec.path !== request.route) return false;
    return true;
  }
}

/**
 * The first steps of injecting a fault: wait out its delay, then drop the socket if it drops before
 * handling. "dropped": the request is gone, do nothing more; "drop-after": handle it, then destroy the
 * socket instead of answering; "continue": go on (the vendor still answers a `status` fault itself).
 */
export async function startFault(
  req: IncomingMessage,
  fault: CommonFaultSpec | undefined,
): Promise<"dropped" | "drop-after" | "continue"> {
  if (fault === undefined) return "continue";
  if (fault.delayMs) await sleep(fault.delayMs);
  if (fault.drop === true) {
    req.socket.destroy();
    return "dropped";
  }
  return fault.drop === "after" ? "drop-after" : "continue";
}
