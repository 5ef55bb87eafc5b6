/// <reference types="node" />
// Owns the emulator's webhook subscriptions: made through the control API with a URL, the event types
// and an aggregation window; the handshake (the verification token POSTed once, unsigned), then events
// for the pages the subscription's integration can see, signed with the SDK's own signer as Notion signs
// them. Content and property edits to one page within the window become one event, as Notion aggregates
// them. Deliveries can be duplicated, held back (late), reordered or signed with a wrong token. Every body
// sent is checked against the SDK's payload types; a mismatch is a violation.
import { signWebhookPayload } from "@notionhq/client";
import { ControlError, type ControlResponse, controlFailure } from "../common/control-api";
import { asArray, asBoolean, asNumber, asRecord, asString, type JsonObject } from "../common/json";
import { newId, normalizeId } from "./ids";
import type { IntegrationRecord } from "./store/types";
import type { Workspace, WorkspaceChange } from "./store/workspace";
import { EMULATED_VERSION } from "./version";

/** The SDK's payload type for each event the emulator sends. */
export const WEBHOOK_PAYLOAD_TYPES = {
  "page.created": "PageCreatedWebhookPayload",
  "page.content_updated": "PageContentUpdatedWebhookPayload",
  "page.properties_updated": "PagePropertiesUpdatedWebhookPayload",
  "page.deleted": "PageDeletedWebhookPayload",
  "page.undeleted": "PageUndeletedWebhookPayload",
  "data_source.content_updated": "DataSourceContentUpdatedWebhookPayload",
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_PAYLOAD_TYPES;
const EVENT_TYPES = Object.keys(WEBHOOK_PAYLOAD_TYPES) as WebhookEventType[];

/** Notion merges these within its window (about a minute); the others go out one by one. */
const AGGREGATED: ReadonlySet<WebhookEventType> = new Set([
  "page.content_updated",
  "page.properties_updated",
  "data_source.content_updated",
]);

export interface WebhookFaults {
  /** Send each event this many more times (as Notion's retries: the same id, a higher attempt_number). */
  duplicate?: number;
  /** Send each batch newest first. */
  reorder?: boolean;
  /** Hold the next N events back; they go out after the next batch's events (late). */
  holdNext?: number;
  /** Sign with a token that is not the subscription's. */
  wrongToken?: boolean;
}

export interface SubscriptionSpec {
  /** The integration whose subscription it is: events are for what it can see. */
  token: string;
  url: string;
  /** The event types to send (default: all the emulator emits). */
  eventTypes?: WebhookEventType[];
  /** How long edits to one page merge into one event (default 1000 ms; Notion's is about a minute). */
  windowMs?: number;
  /** Extra wait after the window before sending (default 0). */
  delayMs?: number;
  /** Send only when told (`flush`), never on a timer: tests that must not wait for real time. */
  manual?: boolean;
  faults?: WebhookFaults;
}

export interface DeliveryRecord {
  eventId: string;
  type: string;
  attempt: number;
  /** The receiver's status; null when the request failed. */
  status: number | null;
  error?: string;
  body: JsonObject;
}

type ParentBlock = { id: string; type: "space" | "page" | "database" | "block"; data_source_id?: string };
type Author = { id: string; type: "person" | "bot" };

interface PendingEvent {
  id: string;
  type: WebhookEventType;
  entityId: string;
  parent: ParentBlock;
  authors: Map<string, Author>;
  /** Ordered sets: the blocks and properties the merged edits touched. */
  blocks: Map<string, "page" | "block">;
  properties: Set<string>;
  at: number;
  open: boolean;
}

interface Outgoing {
  event: PendingEvent;
  attempt: number;
}

export type PayloadCheck = (typeName: string, body: unknown) => string | undefined;

class Subscription {
  readonly id = newId();
  readonly verificationToken =
    `secret_${newId().replaceAll("-", "")}${newId().replaceAll("-", "").slice(0, 11)}`;
  verified = false;
  readonly eventTypes: ReadonlySet<WebhookEventType>;
  readonly windowMs: number;
  readonly delayMs: number;
  readonly manual: boolean;
  faults: WebhookFaults;
  pending: PendingEvent[] = [];
  held: Outgoing[] = [];
  readonly deliveries: DeliveryRecord[] = [];
  readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly integration: IntegrationRecord,
    readonly url: string,
    spec: SubscriptionSpec,
  ) {
    this.eventTypes = new Set(spec.eventTypes ?? EVENT_TYPES);
    this.windowMs = spec.windowMs ?? 1000;
    this.delayMs = spec.delayMs ?? 0;
    this.manual = spec.manual ?? false;
    this.faults = spec.faults ?? {};
  }
}

function parseFaults(raw: unknown): WebhookFaults {
  const record = asRecord(raw);
  const count = (key: string) => {
    const value = asNumber(record[key]);
    if (value !== undefined && !(Number.isInteger(value) && value >= 0))
      throw new ControlError(400, `faults.${key}: must be a whole number of at least 0`);
    return value;
  };
  const duplicate = count("duplicate");
  const holdNext = count("holdNext");
  return {
    ...(duplicate === undefined ? {} : { duplicate }),
    ...(holdNext === undefined ? {} : { holdNext }),
    ...(asBoolean(record.reorder) === undefined ? {} : { reorder: asBoolean(record.reorder) }),
    ...(asBoolean(record.wrongToken) === undefined ? {} : { wrongToken: asBoolean(record.wrongToken) }),
  };
}

function parseSpec(body: JsonObject): SubscriptionSpec {
  const token = asString(body.token);
  const url = asString(body.url);
  if (token === undefined) throw new ControlError(400, "token: the integration's token is required");
  if (url === undefined || !/^https?:\/\//.test(url))
    throw new ControlError(400, "url: an http(s) URL is required");
  const eventTypes = body.eventTypes === undefined ? undefined : asArray(body.eventTypes).map(String);
  for (const type of eventTypes ?? []) {
    if (!(type in WEBHOOK_PAYLOAD_TYPES))
      throw new ControlError(400, `eventTypes: the emulator does not send ${JSON.stringify(type)}`);
  }
  const windowMs = asNumber(body.windowMs);
  const delayMs = asNumber(body.delayMs);
  for (const [key, value] of [
    ["windowMs", windowMs],
    ["delayMs", delayMs],
  ] as const) {
    if (value !== undefined && !(value >= 0)) throw new ControlError(400, `${key}: must be 0 or more`);
  }
  return {
    token,
    url,
    ...(eventTypes === undefined ? {} : { eventTypes: eventTypes as WebhookEventType[] }),
    ...(windowMs === undefined ? {} : { windowMs }),
    ...(delayMs === undefined ? {} : { delayMs }),
    ...(asBoolean(body.manual) === undefined ? {} : { manual: asBoolean(body.manual) }),
    faults: parseFaults(body.faults),
  };
}

export class WebhookHub {
  private readonly subscriptions = new Map<string, Subscription>();
  /** Event times only move forward, so two events are never at the same millisecond. */
  private lastAt = 0;

  constructor(
    private readonly workspace: () => Workspace,
    private readonly check: PayloadCheck | undefined,
    private readonly violation: (token: string | null, message: string) => void,
  ) {}

  reset(): void {
    for (const subscription of this.subscriptions.values()) this.stop(subscription);
    this.subscriptions.clear();
  }

  private stop(subscription: Subscription): void {
    for (const timer of subscription.timers) clearTimeout(timer);
    subscription.timers.clear();
  }

  private stamp(): number {
    this.lastAt = Math.max(Date.now(), this.lastAt + 1);
    return this.lastAt;
  }

  /** A workspace change: an event (or two) for every verified subscription that can see the page. */
  observe(change: WorkspaceChange): void {
    const ws = this.workspace();
    const at = this.stamp();
    for (const subscription of this.subscriptions.values()) {
      if (!subscription.verified || !ws.canAccess(subscription.integration, change.pageId)) continue;
      for (const raw of this.eventsOf(ws, change)) {
        if (subscription.eventTypes.has(raw.type)) this.queue(subscription, raw, change, at);
      }
    }
  }

  private eventsOf(ws: Workspace, change: WorkspaceChange) {
    const block = ws.blocks.get(change.pageId);
    const parent = block?.parent;
    const pageParent: ParentBlock =
      parent?.type === "data_source_id"
        ? { id: parent.databaseId, type: "database", data_source_id: parent.id }
        : parent?.type === "page_id"
          ? { id: parent.id, type: "page" }
          : parent?.type === "block_id"
            ? { id: parent.id, type: "block" }
            : { id: ws.id, type: "space" };
    const events: Array<{ type: WebhookEventType; entityId: string; parent: ParentBlock }> = [
      { type: change.type, entityId: change.pageId, parent: pageParent },
    ];
    // A row added, edited or removed is also a change to its data source's content.
    if (parent?.type === "data_source_id" && change.type !== "page.content_updated") {
      events.push({
        type: "data_source.content_updated",
        entityId: parent.id,
        parent: { id: parent.databaseId, type: "database" },
      });
    }
    return events;
  }

  private queue(
    subscription: Subscription,
    raw: { type: WebhookEventType; entityId: string; parent: ParentBlock },
    change: WorkspaceChange,
    at: number,
  ): void {
    const user = this.workspace().users.get(change.actor);
    const author: Author = { id: change.actor, type: user?.kind === "bot" ? "bot" : "person" };
    let event = AGGREGATED.has(raw.type)
      ? subscription.pending.find((e) => e.open && e.type === raw.type && e.entityId === raw.entityId)
      : undefined;
    if (event === undefined) {
      event = {
        id: newId(),
        type: raw.type,
        entityId: raw.entityId,
        parent: raw.parent,
        authors: new Map(),
        blocks: new Map(),
        properties: new Set(),
        at,
        open: true,
      };
      subscription.pending.push(event);
      const pendingEvent = event;
      if (!subscription.manual) {
        const window = AGGREGATED.has(raw.type) ? subscription.windowMs : 0;
        this.after(subscription, window + subscription.delayMs, () => {
          // A flush may have sent it already.
          if (!subscription.pending.includes(pendingEvent)) return;
          pendingEvent.open = false;
          void this.send(subscription, [pendingEvent]);
        });
      }
    }
    // Notion's timestamp is the latest change the event stands for.
    event.at = at;
    event.authors.set(author.id, author);
    if (change.type === "page.content_updated") {
      for (const id of change.blockIds) event.blocks.set(id, id === change.pageId ? "page" : "block");
    }
    if (change.type === "page.properties_updated")
      for (const id of change.propertyIds) event.properties.add(id);
    if (raw.type === "data_source.content_updated") event.blocks.set(change.pageId, "page");
  }

  private after(subscription: Subscription, ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      subscription.timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    subscription.timers.add(timer);
  }

  private payload(subscription: Subscription, event: PendingEvent, attempt: number): JsonObject {
    const ws = this.workspace();
    const data: JsonObject =
      event.type === "page.content_updated" || event.type === "data_source.content_updated"
        ? {
            parent: event.parent,
            updated_blocks: [...event.blocks].map(([id, type]) => ({ id, type })),
          }
        : event.type === "page.properties_updated"
          ? { parent: event.parent, updated_properties: [...event.properties] }
          : { parent: event.parent };
    return {
      id: event.id,
      timestamp: new Date(event.at).toISOString(),
      workspace_id: ws.id,
      workspace_name: ws.name,
      subscription_id: subscription.id,
      integration_id: subscription.integration.botUserId,
      authors: [...event.authors.values()],
      attempt_number: attempt,
      api_version: EMULATED_VERSION,
      type: event.type,
      entity:
        event.type === "data_source.content_updated"
          ? { id: event.entityId, type: "data_source" }
          : { id: event.entityId, type: "page" },
      data,
    };
  }

  /** Sends `events` (closed) through the subscription's faults, one request at a time, in order. */
  private async send(subscription: Subscription, events: PendingEvent[]): Promise<DeliveryRecord[]> {
    subscription.pending = subscription.pending.filter((e) => !events.includes(e));
    const faults = subscription.faults;
    let batch: Outgoing[] = [];
    for (const event of events) {
      if ((faults.holdNext ?? 0) > 0) {
        faults.holdNext = (faults.holdNext ?? 0) - 1;
        subscription.held.push({ event, attempt: 1 });
      } else batch.push({ event, attempt: 1 });
    }
    if (batch.length > 0 || events.length === 0) {
      // What was held goes out after this batch's events: late, behind newer ones.
      batch = [...batch, ...subscription.held];
      subscription.held = [];
    }
    if (faults.reorder === true) batch.reverse();
    const outgoing = batch.flatMap((item) =>
      Array.from({ length: 1 + (faults.duplicate ?? 0) }, (_, copy) => ({
        ...item,
        attempt: item.attempt + copy,
      })),
    );
    const records: DeliveryRecord[] = [];
    for (const { event, attempt } of outgoing) {
      records.push(await this.post(subscription, this.payload(subscription, event, attempt)));
    }
    return records;
  }

  private async post(subscription: Subscription, payload: JsonObject): Promise<DeliveryRecord> {
    const type = String(payload.type);
    const typeName = WEBHOOK_PAYLOAD_TYPES[type as WebhookEventType];
    const problem = this.check?.(typeName, payload);
    if (problem !== undefined)
      this.violation(
        subscription.integration.token,
        `webhook ${type} does not match ${typeName}: ${problem}`,
      );
    const body = JSON.stringify(payload);
    const verificationToken =
      subscription.faults.wrongToken === true
        ? `${subscription.verificationToken}x`
        : subscription.verificationToken;
    const record: DeliveryRecord = {
      eventId: String(payload.id),
      type,
      attempt: Number(payload.attempt_number),
      status: null,
      body: payload,
    };
    try {
      const response = await fetch(subscription.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "notion-api",
          "x-notion-signature": await signWebhookPayload({ body, verificationToken }),
        },
        body,
      });
      await response.arrayBuffer();
      record.status = response.status;
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    }
    subscription.deliveries.push(record);
    return record;
  }

  private require(id: string): Subscription {
    const subscription = this.subscriptions.get(id);
    if (subscription === undefined) throw new ControlError(404, `no webhook subscription ${id}`);
    return subscription;
  }

  /** The control API under /__emulator/webhooks. */
  async control(method: string, path: string, body: JsonObject): Promise<unknown> {
    const [, , rawId = "", action = ""] = path.split("/");
    const id = rawId === "" ? "" : (normalizeId(rawId) ?? rawId);
    switch (`${method} ${id ? ":id" : ""}${action ? `/${action}` : ""}`) {
      case "POST ": {
        const spec = parseSpec(body);
        const integration = this.workspace().integration(spec.token);
        if (integration === undefined) throw new ControlError(404, "token: no integration with that token");
        const subscription = new Subscription(integration, spec.url, spec);
        this.subscriptions.set(subscription.id, subscription);
        // Notion's handshake: the token alone, unsigned, once.
        let handshakeStatus: number | null = null;
        try {
          const response = await fetch(spec.url, {
            method: "POST",
            headers: { "content-type": "application/json", "user-agent": "notion-api" },
            body: JSON.stringify({ verification_token: subscription.verificationToken }),
          });
          await response.arrayBuffer();
          handshakeStatus = response.status;
        } catch {
          handshakeStatus = null;
        }
        return { id: subscription.id, verificationToken: subscription.verificationToken, handshakeStatus };
      }
      case "POST :id/verify": {
        // The person pastes the token from the receiver into the integration's settings.
        const subscription = this.require(id);
        if (body.verificationToken !== subscription.verificationToken)
          throw new ControlError(400, "verificationToken: does not match the subscription's");
        subscription.verified = true;
        return { id, verified: true };
      }
      case "POST :id/faults": {
        const subscription = this.require(id);
        subscription.faults = parseFaults(body);
        return { id, faults: subscription.faults };
      }
      case "POST :id/flush": {
        // Closes every open window now and sends, with what was held back.
        const subscription = this.require(id);
        const events = subscription.pending;
        for (const event of events) event.open = false;
        return { deliveries: await this.send(subscription, events) };
      }
      case "GET :id/deliveries":
        return { deliveries: this.require(id).deliveries };
      case "DELETE :id": {
        const subscription = this.require(id);
        this.stop(subscription);
        this.subscriptions.delete(id);
        return { ok: true };
      }
      default:
        throw new ControlError(404, `no control route ${method} /__emulator${path}`);
    }
  }
}

/** The webhooks' control routes, answered like the rest of the control API. */
export async function handleWebhookControl(
  state: { webhooks: WebhookHub },
  method: string,
  pathname: string,
  body: JsonObject,
): Promise<ControlResponse> {
  try {
    return {
      status: 200,
      body: await state.webhooks.control(method, pathname.replace(/^\/__emulator/, ""), body),
    };
  } catch (error) {
    return controlFailure(error, () => undefined);
  }
}
