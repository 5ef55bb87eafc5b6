// A typed client for the emulator's webhook subscriptions (/__emulator/webhooks), over fetch only, so
// workerd tests and Node scripts share it.
import { controlTransport } from "../common/control";
import { ControlApiError } from "./control";
import type { DeliveryRecord, SubscriptionSpec, WebhookFaults } from "./webhooks";

export type { DeliveryRecord } from "./webhooks";

interface CreatedSubscription {
  id: string;
  /** What Notion shows in the integration's settings after the handshake; a test may skip reading it back. */
  verificationToken: string;
  /** The receiver's answer to the handshake; null when the request failed. */
  handshakeStatus: number | null;
}

export interface NotionWebhooksControl {
  /** Makes a subscription and POSTs its handshake to `url`; no events until `verify`. */
  subscribe(spec: SubscriptionSpec): Promise<CreatedSubscription>;
  /** The person pastes the token into the integration's settings: events start. */
  verify(id: string, verificationToken: string): Promise<void>;
  /** Replaces the subscription's faults. */
  faults(id: string, faults: WebhookFaults): Promise<void>;
  /** Closes every open window and sends now (with what was held back); answers this flush's deliveries. */
  flush(id: string): Promise<DeliveryRecord[]>;
  /** Every delivery so far, in the order sent. */
  deliveries(id: string): Promise<DeliveryRecord[]>;
  unsubscribe(id: string): Promise<void>;
}

/** `baseUrl` is the emulator URL, e.g. `inject("notionUrl")`. */
export function notionWebhooksControl(
  baseUrl: string,
  fetchImpl: typeof fetch = fetch,
): NotionWebhooksControl {
  const { call } = controlTransport(baseUrl, fetchImpl, (status, body) => new ControlApiError(status, body));
  return {
    subscribe: (spec) => call("POST", "/webhooks", spec),
    verify: async (id, verificationToken) => {
      await call("POST", `/webhooks/${id}/verify`, { verificationToken });
    },
    faults: async (id, faults) => {
      await call("POST", `/webhooks/${id}/faults`, faults);
    },
    flush: async (id) =>
      (await call<{ deliveries: DeliveryRecord[] }>("POST", `/webhooks/${id}/flush`)).deliveries,
    deliveries: async (id) =>
      (await call<{ deliveries: DeliveryRecord[] }>("GET", `/webhooks/${id}/deliveries`)).deliveries,
    unsubscribe: async (id) => {
      await call("DELETE", `/webhooks/${id}`);
    },
  };
}
