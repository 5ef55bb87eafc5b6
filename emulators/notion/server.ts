/// <reference types="node" />
// Starts the Notion API emulator on loopback: the HTTP plumbing around the router, limits, schema checks and faults.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { startFault } from "../common/faults";
import { jsonSender, readBody, send } from "../common/http";
import { isRecord, type JsonObject } from "../common/json";
import type { ApiContext } from "./api/context";
import { handleControl } from "./control-api";
import { NotionApiError } from "./errors";
import { newId } from "./ids";
import { checkRequestLimits, MAX_BODY_BYTES } from "./limits";
import { matchRoute, ROUTES, type Route, SCHEMA_TYPES } from "./router";
import { type LoadedSchema, loadNotionSchema } from "./schema/generate";
import { type Check, SchemaValidator } from "./schema/validator";
import { EmulatorState } from "./state";
import type { Workspace } from "./store/workspace";
import { checkVersion } from "./version";
import { renderIndex, renderPage } from "./view";
import { handleWebhookControl, WEBHOOK_PAYLOAD_TYPES } from "./webhooks";

export interface NotionEmulatorOptions {
  /** 0 (any free port) by default. */
  port?: number;
  /** Average requests per second per integration; Notion's is 3. */
  requestsPerSecond?: number;
  /** How many requests an idle integration may send at once. */
  burst?: number;
  /** Check every request and response against the SDK's types (default true). */
  validate?: boolean;
}

export interface NotionEmulator {
  /** Base URL for `new Client({ baseUrl })` and for notionControl(). */
  url: string;
  /** The live in-memory workspace (replaced by a reset), for in-process seeding. */
  readonly workspace: Workspace;
  /** Everything that broke the SDK's schema or that the emulator could not serve, in order. */
  violations(): string[];
  /** How the schema was obtained this run; undefined when validation is off. */
  schema: Pick<LoadedSchema, "cached" | "ms" | "sdkVersion" | "file"> | undefined;
  close(): Promise<void>;
}

/** Notion answers compact JSON. */
const sendJson = jsonSender({
  contentType: "application/json; charset=utf-8",
  serialize: (body) => JSON.stringify(body),
});

/** Anything far past the 500KB limit is read and dropped rather than kept in memory. */
const READ_CAP = MAX_BODY_BYTES + 1;

interface RouteChecks {
  request?: Check;
  response: Check;
}

function buildChecks(validator: SchemaValidator | undefined): Map<Route, RouteChecks> {
  const checks = new Map<Route, RouteChecks>();
  if (validator === undefined) return checks;
  for (const route of ROUTES) {
    const omit = [...route.sdk.pathParams, ...route.sdk.queryParams];
    checks.set(route, {
      request: route.parametersType ? validator.bodyCheck(route.parametersType, omit) : undefined,
      response: validator.responseCheck(route.responseType),
    });
  }
  validator.warm();
  return checks;
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  return match?.[1]?.trim();
}

export async function startNotionEmulator(options: NotionEmulatorOptions = {}): Promise<NotionEmulator> {
  let schema: LoadedSchema | undefined;
  let validator: SchemaValidator | undefined;
  if (options.validate !== false) {
    schema = loadNotionSchema([...SCHEMA_TYPES, ...Object.values(WEBHOOK_PAYLOAD_TYPES)]);
    validator = new SchemaValidator(schema.schema);
  }
  const checks = buildChecks(validator);
  // Every webhook body the emulator sends is checked against the SDK's payload type for its event.
  const payloadChecks = new Map<string, Check | undefined>(
    Object.values(WEBHOOK_PAYLOAD_TYPES).map((name) => [name, validator?.responseCheck(name)]),
  );
  const state = new EmulatorState(
    { requestsPerSecond: options.requestsPerSecond ?? 3, burst: options.burst ?? 5 },
    (typeName, body) => payloadChecks.get(typeName)?.(body),
  );

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    raw: string,
    complete: boolean,
  ) {
    const requestId = newId();
    const method = (req.method ?? "GET").toUpperCase();
    const match = matchRoute(method, url.pathname);
    const routeKey = `${method} ${match?.route.template ?? url.pathname}`;
    const token = bearer(req.headers.authorization);
    const integration = token === undefined ? undefined : state.workspace.integration(token);
    let dropResponse = false;
    // Kept for integrations the emulator knows; a dropped connection leaves the status null.
    const record = integration === undefined ? undefined : state.recordRequest(integration.token, routeKey);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (dropResponse) req.socket.destroy();
      else {
        if (record !== undefined) record.status = status;
        sendJson(res, status, body, { "x-notion-request-id": requestId, ...headers });
      }
    };
    const fail = (error: NotionApiError) => {
      if (error.emulatorGap) state.recordViolation(token ?? null, `${routeKey}: ${error.message}`);
      reply(error.status, error.body(requestId), error.headers);
    };

    if (integration) state.countCall(integration.token, routeKey);

    const fault = state.faults.take({ token, method, path: url.pathname, route: match?.route.template });
    const start = await startFault(req, fault);
    if (start === "dropped") return;
    dropResponse = start === "drop-after";
    if (fault?.status !== undefined) {
      const error =
        fault.status === 429
          ? NotionApiError.rateLimited(fault.retryAfter ?? 1, fault.rateLimitReason)
          : fault.status === 529
            ? NotionApiError.overloaded(fault.retryAfter)
            : NotionApiError.forStatus(fault.status, { code: fault.code, message: fault.message });
      return fail(error);
    }

    try {
      checkVersion(req.headers["notion-version"]);
      if (integration === undefined) throw NotionApiError.forStatus(401);
      const allowed = state.bucket(integration).take();
      if (!allowed.ok) throw NotionApiError.rateLimited(allowed.retryAfterSeconds);
      if (match === undefined) {
        throw new NotionApiError(400, "invalid_request_url", "Invalid request URL.");
      }
      const capability = match.route.capability;
      // Notion answers 403 restricted_resource to an integration without the endpoint's capability.
      if (capability !== null && !integration.capabilities.has(capability))
        throw NotionApiError.forStatus(403);
      if (!complete) {
        throw NotionApiError.validation(
          `body failed validation: the request body is larger than the ${MAX_BODY_BYTES / 1024}KB Notion accepts.`,
        );
      }
      let body: JsonObject = {};
      if (method === "POST" || method === "PATCH") {
        let parsed: unknown = {};
        try {
          parsed = raw.trim() === "" ? {} : JSON.parse(raw);
        } catch {
          throw new NotionApiError(400, "invalid_json", "Error parsing JSON body.");
        }
        if (!isRecord(parsed))
          throw NotionApiError.validation("body failed validation: body should be an object.");
        body = parsed;
        checkRequestLimits(body);
        const problem = checks.get(match.route)?.request?.(body);
        if (problem !== undefined) {
          state.recordViolation(
            token ?? null,
            `${routeKey} request does not match ${match.route.parametersType}: ${problem}`,
          );
          throw NotionApiError.validation(problem);
        }
      }
      const ctx: ApiContext = {
        ws: state.workspace,
        integration,
        id: match.id,
        query: url.searchParams,
        body,
        ...(fault?.unfiltered === true ? { unfiltered: true } : {}),
      };
      const result = match.route.handler(ctx);
      const problem = checks.get(match.route)?.response(result);
      if (problem !== undefined) {
        state.recordViolation(
          token ?? null,
          `${routeKey} response does not match ${match.route.responseType}: ${problem}`,
        );
      }
      reply(200, result);
    } catch (error) {
      if (error instanceof NotionApiError) return fail(error);
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      state.recordViolation(token ?? null, `${routeKey}: emulator crashed: ${message}`);
      fail(NotionApiError.forStatus(500));
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const { text, complete } = await readBody(req, READ_CAP);
    const method = (req.method ?? "GET").toUpperCase();

    if (url.pathname.startsWith("/__emulator/")) {
      let body: JsonObject = {};
      try {
        const parsed: unknown = text.trim() === "" ? {} : JSON.parse(text);
        body = isRecord(parsed) ? parsed : {};
      } catch {
        return sendJson(res, 400, { error: "control body is not JSON" });
      }
      if (url.pathname === "/__emulator/webhooks" || url.pathname.startsWith("/__emulator/webhooks/")) {
        const answer = await handleWebhookControl(state, method, url.pathname, body);
        return sendJson(res, answer.status, answer.body);
      }
      const answer = handleControl(state, method, url.pathname, url.searchParams, body);
      return sendJson(res, answer.status, answer.body);
    }

    if (url.pathname === "/view" || url.pathname.startsWith("/view/")) {
      const format = url.searchParams.get("format") === "html" ? "html" : "markdown";
      const contentType = format === "html" ? "text/html; charset=utf-8" : "text/markdown; charset=utf-8";
      const pageId = /^\/view\/pages\/([^/]+)$/.exec(url.pathname)?.[1];
      const rendered =
        pageId === undefined
          ? renderIndex(state.workspace, format)
          : renderPage(state.workspace, pageId, format);
      if (rendered === undefined) return send(res, 404, "no such page\n", {}, "text/plain; charset=utf-8");
      return send(res, 200, rendered, {}, contentType);
    }

    return handleApi(req, res, url, text, complete);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      state.recordViolation(null, `emulator crashed outside a route: ${String(error)}`);
      if (!res.headersSent) sendJson(res, 500, NotionApiError.forStatus(500).body());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get workspace() {
      return state.workspace;
    },
    violations: () => state.violations.map((v) => v.message),
    schema: schema && {
      cached: schema.cached,
      ms: schema.ms,
      sdkVersion: schema.sdkVersion,
      file: schema.file,
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
