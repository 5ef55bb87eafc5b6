// Everything the emulator remembers between requests (workspace, faults, quotas, calls, violations) and how it is reset.
import type { QuotaSpec } from "./control-types";
import { FaultRegistry } from "./faults";
import { QuotaBook } from "./quota";
import { Workspace } from "./workspace";

export interface Violation {
  /** The principal whose request it was, when known, so a test can find and clear its own. */
  principal: string | null;
  message: string;
}

export class EmulatorState {
  workspace = new Workspace();
  readonly faults = new FaultRegistry();
  readonly quotas: QuotaBook;
  violations: Violation[] = [];
  private calls = new Map<string, Map<string, number>>();

  constructor(
    /** The emulator's own token endpoint: the `aud` assertions must name and keys' `token_uri`. */
    readonly tokenUrl: string,
    quota: QuotaSpec,
  ) {
    this.quotas = new QuotaBook(quota);
  }

  reset(): void {
    this.workspace = new Workspace();
    this.faults.clear();
    this.quotas.reset();
    this.violations = [];
    this.calls = new Map();
  }

  recordViolation(principal: string | null, message: string): void {
    this.violations.push({ principal, message });
  }

  violationsFor(principal: string | undefined): Violation[] {
    return principal === undefined
      ? this.violations
      : this.violations.filter((v) => v.principal === principal);
  }

  clearViolations(principal: string | undefined): Violation[] {
    const cleared = this.violationsFor(principal);
    this.violations = this.violations.filter((v) => !cleared.includes(v));
    return cleared;
  }

  countCall(principal: string, key: string): void {
    let counts = this.calls.get(principal);
    if (counts === undefined) {
      counts = new Map();
      this.calls.set(principal, counts);
    }
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }

  /** One principal's calls, or everyone's summed. */
  callsFor(principal: string | undefined): Record<string, number> {
    if (principal !== undefined) return Object.fromEntries(this.calls.get(principal) ?? []);
    const total: Record<string, number> = {};
    for (const counts of this.calls.values()) {
      for (const [key, n] of counts) total[key] = (total[key] ?? 0) + n;
    }
    return total;
  }

  resetCalls(principal: string | undefined): void {
    if (principal === undefined) this.calls.clear();
    else this.calls.delete(principal);
  }
}
