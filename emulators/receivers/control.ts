// The receivers' control API from a test (inside workerd) or a script: what arrived, and how a hook
// should answer next. Behaviour is keyed "<kind>/<hook>", e.g. "slack/acme".
import type { HookBehaviour, ReceivedRequest } from "./server";

export interface ReceiversControl {
  received(filter?: { kind?: string; hook?: string }): Promise<ReceivedRequest[]>;
  behave(hook: string, behaviour: HookBehaviour): Promise<void>;
  reset(): Promise<void>;
  /** Publishes a stand-in Access team's public keys at <url>/access/<team>/cdn-cgi/access/certs. */
  publishAccessKeys(team: string, jwks: { keys: unknown[] }): Promise<void>;
}

export function receiversControl(url: string): ReceiversControl {
  const call = async (path: string, init?: RequestInit): Promise<unknown> => {
    const response = await fetch(`${url}${path}`, init);
    if (!response.ok) throw new Error(`receivers ${path}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  };
  return {
    async received(filter = {}) {
      const body = (await call("/control/received")) as { received: ReceivedRequest[] };
      return body.received.filter(
        (request) =>
          (filter.kind === undefined || request.kind === filter.kind) &&
          (filter.hook === undefined || request.hook === filter.hook),
      );
    },
    async behave(hook, behaviour) {
      await call("/control/behaviour", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ hook, ...behaviour }),
      });
    },
    async reset() {
      await call("/control/reset", { method: "POST" });
    },
    async publishAccessKeys(team, jwks) {
      await call(`/control/access/${team}`, { method: "PUT", body: JSON.stringify(jwks) });
    },
  };
}
