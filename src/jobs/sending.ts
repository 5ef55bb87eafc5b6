// What the outbox needs from the Worker to send digests: the store, the secrets and bindings channels
// name, the network, the host rule and the real clock. One place, for the queue's consumer and for a
// whole run alike.

import type { Leases } from "../env";
import { countedFetch } from "../lib/budget";
import type { Logger } from "../lib/log";
import type { DeliveryStore } from "../store/deliveries";
import type { DeliverOneOptions } from "./deliver";

export interface SendingDeps {
  deliveries: DeliveryStore;
  secret(name: string): string | undefined;
  binding(name: string): unknown;
  /** ALLOW_PRIVATE_DIGEST_HOSTS: digests may go to loopback and private hosts, and over http. */
  allowPrivateDigestHosts: boolean;
  /** The real clock (epoch ms). */
  clock(): number;
  log: Logger;
  /** The claims' leases; the product defaults when not given. */
  leases?: Leases;
}

/** The outbox's options on the real clock, read now and at every claim and record. */
export function sendingOptions(deps: SendingDeps): DeliverOneOptions {
  return {
    store: deps.deliveries,
    secrets: (name) => deps.secret(name),
    binding: (name) => deps.binding(name),
    fetch: countedFetch,
    allowPrivateHosts: deps.allowPrivateDigestHosts,
    nowMs: deps.clock(),
    clock: () => deps.clock(),
    log: deps.log,
    ...(deps.leases === undefined ? {} : { policy: { leaseMs: deps.leases.deliveryMs } }),
  };
}
