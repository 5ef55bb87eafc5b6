// Everything the emulator remembers between requests, and how it is reset.
import { FaultRegistry } from "./faults";
import { TokenBucket } from "./rate-limit";
import type { IntegrationRecord } from "./store/types";
import { Workspace } from "./store/workspace";

export interface Violation {
  /** The integration whose request it was, when known, so a test can find and clear its own. */
  token: string | null;
  message: string;
}

export interface RateDefaults {
  requestsPerSecond: number;
  burst: number;
}

export class EmulatorState {
  workspace = new Workspace();
  readonly faults = new FaultRegistry();
  violations: Violation[] = [];
  private calls = new Map<string, Map<string, number>>();
  private buckets = new Map<string, TokenBucket>();

  constructor(readonly rate: RateDefaults) {}

  reset(): void {
    this.workspace = new Workspace();
    this.faults.clear();
    this.violations = [];
    this.calls = new Map();
    this.buckets = new Map();
  }

  recordViolation(token: string | null, message: string): void {
    this.violations.push({ token, message });
  }

  violationsFor(token: string | undefined): Violation[] {
    return token === undefined ? this.violations : this.violations.filter((v) => v.token === token);
  }

  clearViolations(token: string | undefined): Violation[] {
    const cleared = this.violationsFor(token);
    this.violations = this.violations.filter((v) => !cleared.includes(v));
    return cleared;
  }

  countCall(token: string, key: string): void {
    let counts = this.calls.get(token);
    if (counts === undefined) {
      counts = new Map();
      this.calls.set(token, counts);
    }
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }

  callsFor(token: string): Record<string, number> {
    return Object.fromEntries(this.calls.get(token) ?? []);
  }

  resetCalls(token: string | undefined): void {
    if (token === undefined) this.calls.clear();
    else this.calls.delete(token);
  }

  bucket(integration: IntegrationRecord): TokenBucket {
    let bucket = this.buckets.get(integration.token);
    if (bucket === undefined) {
      bucket = new TokenBucket(integration.requestsPerSecond, integration.burst);
      this.buckets.set(integration.token, bucket);
    }
    return bucket;
  }
}
