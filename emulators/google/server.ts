/// <reference types="node" />
// Starts the Google emulator (OAuth token endpoint, Docs v1, Drive v3) on loopback: the HTTP plumbing around routes, auth, quotas, schema checks and faults.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { startFault } from "../common/faults";
import { jsonSender, readBody, send } from "../common/http";
import { isRecord, type JsonObject } from "../common/json";
import type { ApiRequest, Caller } from "./api-context";
import { hasMethodScope } from "./auth/scopes";
import { assertionIssuer, grantToken } from "./auth/token";
import { handleControl } from "./control-api";
import type { FaultSpec, QuotaSpec } from "./control-types";
import { type DiscoveryMethod, discoveryMethod, type LoadedDiscovery, loadDiscovery } from "./discovery/load";
import { type Check, checkQuery, DiscoveryValidator } from "./discovery/validator";
import { GoogleApiError, HTML_502, OAuthError } from "./errors";
import { QUOTA_NAMES } from "./quota";
import { matchRoute, ROUTES, type Route, TOKEN_PATH, templateOf } from "./router";
import { EmulatorState } from "./state";
import { renderDocumentText, renderIndex } from "./view";
import type { Workspace } from "./workspace";

export interface GoogleEmulatorOptions {
  /** 0 (any free port) by default. */
  port?: number;
  /** Where docs-v1.json and drive-v3.json are; emulators/google/discovery by default. */
  specsDir?: string;
  /** Default per-user quotas (Google's: Docs 300 reads / 60 writes, Drive 12,000 queries, per minute). */
  quota?: QuotaSpec;
  /**
   * The time, in ms, the token endpoint judges assertions' iat and exp by: the real clock by default; a
   * test on a fake clock passes its own, as Google's clock is the one its client must agree with.
   */
  now?: () => number;
}

export interface GoogleEmulator {
  /** Base URL for Docs (/v1/…), Drive (/drive/v3/…) and googleControl(). */
  url: string;
  /** The OAuth token endpoint service-account keys name as token_uri. */
  tokenUrl: string;
  /** The live workspace (replaced by a reset), for in-process seeding. */
  readonly workspace: Workspace;
  /** Everything that broke the discovery schemas or that the emulator could not serve, in order. */
  violations(): string[];
  discovery: { dir: string; docsRevision: string; driveRevision: string; ms: number };
  close(): Promise<void>;
}

/** Google pretty-prints by default (prettyPrint=true); clients must not care, but people reading logs do. */
const sendJson = jsonSender({
  contentType: "application/json; charset=UTF-8",
  serialize: (body) => `${JSON.stringify(body, null, 2)}\n`,
});

interface RouteChecks {
  method: DiscoveryMethod;
  request?: Check;
  response?: Check;
}

/** Drive's maps take null to clear a key; the discovery schema (string values) cannot say so. */
function withoutNulls(body: JsonObject): JsonObject {
  const out: JsonObject = { ...body };
  for (const key of ["appProperties", "properties"]) {
    const map = out[key];
    if (isRecord(map)) out[key] = Object.fromEntries(Object.entries(map).filter(([, v]) => v !== null));
  }
  return out;
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  return match?.[1]?.trim();
}

function faultError(fault: FaultSpec): GoogleApiError {
  if (fault.status === 429) {
    const error = GoogleApiError.quota(
      "docs.googleapis.com",
      "Write requests",
      "Write requests per minute per user",
      fault.retryAfter ?? 1,
    );
    return fault.message === undefined ? error : new GoogleApiError(429, fault.message, error.options);
  }
  const error = GoogleApiError.forStatus(fault.status ?? 500, fault.message);
  return fault.reason === undefined
    ? error
    : new GoogleApiError(error.code, error.message, { ...error.options, reason: fault.reason });
}

export async function startGoogleEmulator(options: GoogleEmulatorOptions = {}): Promise<GoogleEmulator> {
  const started = performance.now();
  const discovery: LoadedDiscovery = loadDiscovery(options.specsDir);
  const validators = {
    // Request is a protobuf oneof: exactly one kind per element of requests[].
    docs: new DiscoveryValidator("google-docs-v1", discovery.docs, ["Request"]),
    drive: new DiscoveryValidator("google-drive-v3", discovery.drive),
  };
  const checks = new Map<Route, RouteChecks>();
  for (const route of ROUTES) {
    const validator = validators[route.api];
    const method = discoveryMethod(validator.doc, route.discoveryId);
    checks.set(route, {
      method,
      request: method.request === undefined ? undefined : validator.check(method.request.$ref),
      response: method.response === undefined ? undefined : validator.check(method.response.$ref),
    });
  }
  const ms = performance.now() - started;

  let state: EmulatorState | undefined;
  const now = options.now ?? Date.now;

  async function applyFault(
    req: IncomingMessage,
    res: ServerResponse,
    fault: FaultSpec | undefined,
    oauth: boolean,
  ): Promise<"handled" | "drop-after" | "continue"> {
    const start = await startFault(req, fault);
    if (start === "dropped") return "handled";
    if (fault === undefined) return "continue";
    if (fault.body !== undefined) {
      sendJson(res, fault.status ?? 200, fault.body);
      return "handled";
    }
    if (fault.status === 502) {
      send(res, 502, HTML_502, {}, "text/html; charset=UTF-8");
      return "handled";
    }
    if (fault.status !== undefined) {
      const error = faultError(fault);
      if (oauth)
        sendJson(
          res,
          fault.status,
          { error: "internal_failure", error_description: error.message },
          error.headers,
        );
      else sendJson(res, error.code, error.body(), error.headers);
      return "handled";
    }
    return start;
  }

  async function handleToken(s: EmulatorState, req: IncomingMessage, res: ServerResponse, raw: string) {
    const contentType = req.headers["content-type"];
    const principal = assertionIssuer(contentType, raw) ?? "(unknown)";
    s.countCall(principal, `POST ${TOKEN_PATH}`);
    const fault = s.faults.take({
      principals: [principal],
      method: "POST",
      path: TOKEN_PATH,
      route: TOKEN_PATH,
    });
    const outcome = await applyFault(req, res, fault, true);
    if (outcome === "handled") return;
    try {
      const { response } = await grantToken(s.workspace.principals, s.tokenUrl, contentType, raw, now());
      if (outcome === "drop-after") req.socket.destroy();
      else
        sendJson(res, 200, response, { "cache-control": "no-cache, no-store, max-age=0, must-revalidate" });
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      if (outcome === "drop-after") req.socket.destroy();
      else sendJson(res, error.status, error.body());
    }
  }

  async function handleApi(
    s: EmulatorState,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    raw: string,
  ) {
    const method = (req.method ?? "GET").toUpperCase();
    const match = matchRoute(method, url.pathname);
    const template = match?.route.template ?? templateOf(url.pathname) ?? url.pathname;
    const routeKey = `${method} ${template}`;
    const lookup = s.workspace.principals.lookup(
      bearer(req.headers.authorization) ?? url.searchParams.get("access_token") ?? undefined,
    );
    const caller: Caller | undefined = lookup.ok
      ? {
          token: lookup.record,
          principal: lookup.record.principal,
          app: lookup.record.serviceAccount.email,
          scopes: lookup.record.scopes,
        }
      : undefined;
    const principals = caller === undefined ? [] : [caller.principal, caller.app];
    if (caller !== undefined) s.countCall(caller.principal, routeKey);
    const record = (message: string) =>
      s.recordViolation(caller?.principal ?? null, `${routeKey}: ${message}`);

    const outcome = await applyFault(
      req,
      res,
      s.faults.take({ principals, method, path: url.pathname, route: template }),
      false,
    );
    if (outcome === "handled") return;
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (outcome === "drop-after") req.socket.destroy();
      else sendJson(res, status, body, headers);
    };

    try {
      if (match === undefined) {
        throw GoogleApiError.gap(`no emulated Google API method at ${method} ${url.pathname}`);
      }
      if (caller === undefined) throw GoogleApiError.unauthenticated();
      const routeChecks = checks.get(match.route);
      if (routeChecks === undefined) throw new Error(`no checks for ${routeKey}`);
      if (!hasMethodScope(caller.scopes, routeChecks.method)) {
        throw GoogleApiError.insufficientScopes(
          match.route.api === "docs" ? "docs.googleapis.com" : "drive.googleapis.com",
          routeChecks.method.id,
        );
      }
      const quota = s.quotas.take(
        caller.principal,
        match.route.quota,
        s.workspace.principals.quotaOf(caller.principal),
      );
      if (!quota.ok) {
        const names = QUOTA_NAMES[match.route.quota];
        throw GoogleApiError.quota(names.service, names.metric, names.limit, quota.retryAfterSeconds);
      }
      const validator = validators[match.route.api];
      const queryProblem = checkQuery(routeChecks.method, validator.doc.parameters, url.searchParams);
      if (queryProblem !== undefined) {
        record(`query does not match ${routeChecks.method.id}: ${queryProblem.detail}`);
        throw queryProblem.reason === "required"
          ? GoogleApiError.driveInvalid(queryProblem.message, queryProblem.field, "required")
          : GoogleApiError.invalidArgument(queryProblem.message, queryProblem.field);
      }
      let body: JsonObject = {};
      if (method === "POST" || method === "PATCH") {
        let parsed: unknown;
        try {
          parsed = raw.trim() === "" ? {} : JSON.parse(raw);
        } catch {
          record("the body is not JSON");
          throw GoogleApiError.invalidArgument("Invalid JSON payload received. Unexpected token.");
        }
        if (!isRecord(parsed)) {
          record("the body is not a JSON object");
          throw GoogleApiError.invalidArgument("Invalid JSON payload received. Expected an object.");
        }
        body = parsed;
        const problem = routeChecks.request?.(match.route.api === "drive" ? withoutNulls(body) : body);
        if (problem !== undefined) {
          record(`request does not match ${routeChecks.method.request?.$ref}: ${problem.detail}`);
          throw GoogleApiError.invalidArgument(problem.message, problem.field);
        }
      }
      const apiRequest: ApiRequest = {
        state: s,
        caller,
        id: match.id,
        query: url.searchParams,
        body,
        docs: validators.docs,
        drive: validators.drive,
        violation: record,
      };
      const result = match.route.handler(apiRequest);
      if (result === null) {
        if (outcome === "drop-after") req.socket.destroy();
        else send(res, 204, "", {}, "application/json; charset=UTF-8");
        return;
      }
      const problem = routeChecks.response?.(result);
      if (problem !== undefined) {
        record(
          `emulator bug: response does not match ${routeChecks.method.response?.$ref}: ${problem.detail}`,
        );
      }
      reply(200, result);
    } catch (error) {
      if (error instanceof GoogleApiError) {
        if (error.gap) record(error.message);
        return reply(error.code, error.body(), error.headers);
      }
      record(`emulator crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      reply(500, GoogleApiError.forStatus(500).body());
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const { text: raw } = await readBody(req);
    const method = (req.method ?? "GET").toUpperCase();
    const s = state;
    if (s === undefined) return sendJson(res, 503, GoogleApiError.forStatus(503).body());

    if (url.pathname.startsWith("/__emulator/")) {
      let body: unknown = {};
      try {
        body = raw.trim() === "" ? {} : JSON.parse(raw);
      } catch {
        return sendJson(res, 400, { error: "control body is not JSON" });
      }
      const answer = await handleControl(
        { state: s, docs: validators.docs },
        method,
        url.pathname,
        url.searchParams,
        body,
      );
      return sendJson(res, answer.status, answer.body);
    }
    if (url.pathname === "/view" || url.pathname.startsWith("/view/")) {
      const id = /^\/view\/documents\/([^/]+)$/.exec(url.pathname)?.[1];
      const doc = id === undefined ? undefined : s.workspace.documents.get(id);
      const text =
        id === undefined
          ? renderIndex(s.workspace)
          : doc === undefined
            ? undefined
            : renderDocumentText(doc, s.workspace.drive.items.get(doc.documentId)?.name ?? "");
      if (text === undefined) return send(res, 404, "no such document\n", {}, "text/plain; charset=utf-8");
      return send(res, 200, text, {}, "text/plain; charset=utf-8");
    }
    if (url.pathname === TOKEN_PATH && method === "POST") return handleToken(s, req, res, raw);
    return handleApi(s, req, res, url, raw);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      state?.recordViolation(null, `emulator crashed outside a route: ${String(error)}`);
      if (!res.headersSent) sendJson(res, 500, GoogleApiError.forStatus(500).body());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const live = new EmulatorState(`${url}${TOKEN_PATH}`, options.quota ?? {});
  state = live;

  return {
    url,
    tokenUrl: live.tokenUrl,
    get workspace() {
      return live.workspace;
    },
    violations: () => live.violations.map((v) => v.message),
    discovery: {
      dir: discovery.dir,
      docsRevision: discovery.docs.revision,
      driveRevision: discovery.drive.revision,
      ms,
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
