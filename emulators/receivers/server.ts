/// <reference types="node" />
// Local webhook receivers for the digests: one loopback server that answers like Slack, Teams, Discord,
// Google Chat and a generic Standard Webhooks receiver (by the path's first segment), records every
// request it gets, and can be told to fail: the first N requests to a hook with a status (and a
// Retry-After), every request, or each request with a seeded chance (a soak's steady failures); and, like a hostile or misconfigured receiver, echo the hook's path in
// its status text and body, answer with a body of its choosing, or redirect elsewhere. Tests and
// `npm start` read what arrived through the control API. It also stands in for a Cloudflare Access team:
// a test publishes its public keys (PUT /control/access/<team>) and the Worker fetches them from
// /access/<team>/cdn-cgi/access/certs, as it would from <team>.cloudflareaccess.com.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { seededRandom } from "../common/faults";
import { readBody, send } from "../common/http";
import { asNumber, asRecord, asString } from "../common/json";

const RECEIVER_KINDS = ["slack", "teams", "discord", "google-chat", "webhook"] as const;
export type ReceiverKind = (typeof RECEIVER_KINDS)[number];

/** One request as a receiver saw it. */
export interface ReceivedRequest {
  kind: ReceiverKind;
  /** The hook's name: the path after the kind, e.g. "acme" in /slack/acme. */
  hook: string;
  /** The status the receiver answered with. */
  status: number;
  /** Request headers, lower-case names. */
  headers: Record<string, string>;
  body: string;
  at: string;
}

/**
 * How a hook answers: fail the next `failNext` requests with `status`, every request when `always`, or
 * each request with the chance `probability` (0 to 1, drawn from a generator seeded by `seed`).
 */
export interface HookBehaviour {
  status: number;
  failNext?: number;
  always?: boolean;
  probability?: number;
  seed?: number;
  /** Seconds, sent as Retry-After with the failures. */
  retryAfter?: number;
  /** The failures' body (instead of "refused by <hook>"): a vendor's error code, say. */
  body?: string;
  /** The failures say "Bad token <last path segment>" in their status text, and the whole path in their body. */
  echoPath?: boolean;
  /** Sent as Location with the failures (give a 3xx status): a redirect to wherever this names. */
  redirectTo?: string;
}

export interface Receivers {
  url: string;
  /** Every request so far, oldest first. */
  received(): ReceivedRequest[];
  close(): Promise<void>;
}

/** What each vendor answers when it accepts a message. */
function accept(kind: ReceiverKind, res: ServerResponse): number {
  switch (kind) {
    case "slack":
      send(res, 200, "ok", {}, "text/plain");
      return 200;
    case "teams":
      send(res, 202, "", {}, "text/plain");
      return 202;
    case "discord":
      res.writeHead(204).end();
      return 204;
    case "google-chat":
      send(res, 200, JSON.stringify({ name: "spaces/local/messages/1" }), {}, "application/json");
      return 200;
    case "webhook":
      send(res, 204, "", {}, "text/plain");
      return 204;
  }
}

function isKind(value: string): value is ReceiverKind {
  return (RECEIVER_KINDS as readonly string[]).includes(value);
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers[name] = value;
    else if (Array.isArray(value)) headers[name] = value.join(", ");
  }
  return headers;
}

function behaviourOf(body: unknown): { hook: string; behaviour: HookBehaviour } {
  const record = asRecord(body);
  const hook = asString(record.hook);
  const status = asNumber(record.status);
  if (hook === undefined || status === undefined) throw new Error("hook and status are required");
  const failNext = asNumber(record.failNext);
  const retryAfter = asNumber(record.retryAfter);
  const failBody = asString(record.body);
  const redirectTo = asString(record.redirectTo);
  const probability = asNumber(record.probability);
  const seed = asNumber(record.seed);
  if (probability !== undefined && !(probability >= 0 && probability <= 1)) {
    throw new Error("probability: must be a number from 0 to 1");
  }
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error("seed: must be a whole number");
  return {
    hook,
    behaviour: {
      status,
      always: record.always === true,
      echoPath: record.echoPath === true,
      ...(failNext === undefined ? {} : { failNext }),
      ...(retryAfter === undefined ? {} : { retryAfter }),
      ...(failBody === undefined ? {} : { body: failBody }),
      ...(redirectTo === undefined ? {} : { redirectTo }),
      ...(probability === undefined ? {} : { probability }),
      ...(seed === undefined ? {} : { seed }),
    },
  };
}

export async function startReceivers(options: { port?: number } = {}): Promise<Receivers> {
  const received: ReceivedRequest[] = [];
  const behaviours = new Map<string, HookBehaviour>();
  // One generator per hook with a chance of failing, made when its behaviour is set.
  const draws = new Map<string, () => number>();
  // Each Access team's JWKS, by the team name a test chose.
  const accessKeys = new Map<string, string>();

  const control = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const json = (status: number, body: unknown) =>
      send(res, status, JSON.stringify(body), {}, "application/json");
    if (req.method === "GET" && path === "/control/received") return json(200, { received });
    if (req.method === "POST" && path === "/control/reset") {
      received.length = 0;
      behaviours.clear();
      draws.clear();
      return json(200, { ok: true });
    }
    if (req.method === "POST" && path === "/control/behaviour") {
      try {
        const { hook, behaviour } = behaviourOf(JSON.parse((await readBody(req)).text));
        behaviours.set(hook, behaviour);
        if (behaviour.probability === undefined) draws.delete(hook);
        else draws.set(hook, seededRandom(behaviour.seed ?? 0));
        return json(200, { ok: true });
      } catch (error) {
        return json(400, { error: error instanceof Error ? error.message : "bad request" });
      }
    }
    const team = /^\/control\/access\/([\w-]+)$/.exec(path)?.[1];
    if (req.method === "PUT" && team !== undefined) {
      accessKeys.set(team, (await readBody(req)).text);
      return json(200, { ok: true });
    }
    return json(404, { error: `no control route ${req.method} ${path}` });
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://receivers.local").pathname;
    if (path.startsWith("/control/")) {
      control(req, res, path).catch(() => send(res, 500, "control failed", {}, "text/plain"));
      return;
    }
    const team = /^\/access\/([\w-]+)\/cdn-cgi\/access\/certs$/.exec(path)?.[1];
    if (req.method === "GET" && team !== undefined) {
      const keys = accessKeys.get(team);
      if (keys === undefined) send(res, 404, "no such team", {}, "text/plain");
      else send(res, 200, keys, {}, "application/json");
      return;
    }
    const [, kind = "", hook = ""] = path.split("/");
    readBody(req).then(({ text }) => {
      if (req.method !== "POST" || !isKind(kind) || hook === "") {
        send(res, 404, "no such hook", {}, "text/plain");
        return;
      }
      const key = `${kind}/${hook}`;
      const behaviour = behaviours.get(key);
      const draw = draws.get(key);
      const chanceFails =
        behaviour?.probability !== undefined && draw !== undefined && draw() < behaviour.probability;
      let status: number;
      if (behaviour && (behaviour.always || chanceFails || (behaviour.failNext ?? 0) > 0)) {
        if (!behaviour.always && !chanceFails) behaviour.failNext = (behaviour.failNext ?? 0) - 1;
        const headers: Record<string, string> = {
          ...(behaviour.retryAfter === undefined ? {} : { "retry-after": String(behaviour.retryAfter) }),
          ...(behaviour.redirectTo === undefined ? {} : { location: behaviour.redirectTo }),
        };
        if (behaviour.echoPath) {
          const body = `Bad token ${hook}: no webhook at ${path}`;
          res.writeHead(behaviour.status, `Bad token ${hook}`, {
            "content-type": "text/plain",
            "content-length": Buffer.byteLength(body),
            ...headers,
          });
          res.end(body);
        } else {
          send(res, behaviour.status, behaviour.body ?? `refused by ${key}`, headers, "text/plain");
        }
        status = behaviour.status;
      } else {
        status = accept(kind, res);
      }
      received.push({
        kind,
        hook,
        status,
        headers: headersOf(req),
        body: text,
        at: new Date().toISOString(),
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => [...received],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
