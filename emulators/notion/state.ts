// Everything the emulator remembers between requests, and how it is reset.
import type { RequestRecord } from "./control-types";
import { FaultRegistry } from "./faults";
import { TokenBucket } from "./rate-limit";
import type { IntegrationRecord } from "./store/types";
import { Workspace } from "./store/workspace";
import { type PayloadCheck, WebhookHub } from "./webhooks";

export interface Violation {
  /** The integration whose request it was, when known, so a test can find and clear its own. */
  token: string | null;
  message: string;
}

/** Requests remembered per integration; the oldest go first (a bench sends tens of thousands). */
const REQUEST_LOG_LIMIT = 10_000;

export interface RateDefaults {
  requestsPerSecond: number;
  burst: number;
}

export class EmulatorState {
  workspace = new Workspace();
  readonly faults = new FaultRegistry();
  /** Webhook subscriptions; told of every workspace write. */
  readonly webhooks: WebhookHub;
  violations: Violation[] = [];
  private calls = new Map<string, Map<string, number>>();
  private requests = new Map<string, RequestRecord[]>();
  private buckets = new Map<string, TokenBucket>();

  constructor(
    readonly rate: RateDefaults,
    checkPayload?: PayloadCheck,
  ) {
    this.webhooks = new WebhookHub(
      () => this.workspace,
      checkPayload,
      (token, message) => this.recordViolation(token, message),
    );
    this.listen();
  }

  private listen(): void {
    this.workspace.onChange = (change) => this.webhooks.observe(change);
  }

  reset(): void {
    this.workspace = new Workspace();
    this.listen();
    this.webhooks.reset();
    this.faults.clear();
    this.violations = [];
    this.calls = new Map();
    this.requests = new Map();
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
    if (token === undefined) {
      this.calls.clear();
      this.requests.clear();
    } else {
      this.calls.delete(token);
      this.requests.delete(token);
    }
  }

  /** Notes a request as it arrives; the caller sets its status when it answers. */
  recordRequest(token: string, route: string): RequestRecord {
    let log = this.requests.get(token);
    if (log === undefined) {
      log = [];
      this.requests.set(token, log);
    }
    const record: RequestRecord = { at: Date.now(), route, status: null };
    log.push(record);
    if (log.length > REQUEST_LOG_LIMIT) log.splice(0, log.length - REQUEST_LOG_LIMIT);
    return record;
  }

  requestsFor(token: string): RequestRecord[] {
    return (this.requests.get(token) ?? []).map((record) => ({ ...record }));
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
