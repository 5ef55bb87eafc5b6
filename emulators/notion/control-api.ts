// The control API under /__emulator/: seed the workspace, act as a person, inspect calls, faults and violations.
import { ControlError, type ControlResponse, controlFailure, faultsRoute } from "../common/control-api";
import { asArray, asRecord, asString, type JsonObject } from "../common/json";
import { appendPosition } from "./api/blocks";
import type {
  IntegrationInfo,
  IntegrationSpec,
  SeedDatabaseSpec,
  SeedDataSourceSpec,
  SeededDatabase,
  SeededDataSource,
  SeededPage,
  SeedStandalonePageSpec,
  UserInfo,
  UserSpec,
} from "./control-types";
import { NotionApiError } from "./errors";
import { normalizeId } from "./ids";
import type { EmulatorState } from "./state";
import { blockJson, pageJson } from "./store/render";
import type { UserRecord } from "./store/types";
import type { NewPage, Workspace } from "./store/workspace";

function requireId(raw: unknown, what: string): string {
  const id = typeof raw === "string" ? normalizeId(raw) : undefined;
  if (id === undefined)
    throw new ControlError(400, `${what} must be a Notion id, got ${JSON.stringify(raw)}`);
  return id;
}

function userInfo(user: UserRecord): UserInfo {
  return {
    id: user.id,
    name: user.name,
    type: user.kind,
    ...(user.email !== undefined ? { email: user.email } : {}),
  };
}

function createdTime(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  const ms = Date.parse(String(raw));
  if (Number.isNaN(ms))
    throw new ControlError(400, `createdTime must be an ISO time, got ${JSON.stringify(raw)}`);
  return new Date(ms).toISOString();
}

/** Blocks as a tree, each node the JSON GET /v1/blocks/:id returns plus its children. */
function blockTree(ws: Workspace, id: string): unknown[] {
  return ws.liveChildren(id).map((child) => {
    const node = blockJson(ws, child);
    const children = child.type === "child_page" ? [] : blockTree(ws, child.id);
    return children.length > 0 ? { ...node, children } : node;
  });
}

function seedPage(
  ws: Workspace,
  parent: NewPage["parent"],
  spec: SeedStandalonePageSpec | (Omit<SeedStandalonePageSpec, "parent"> & { parent?: undefined }),
  actor: string,
): SeededPage {
  let properties: JsonObject = asRecord(spec.properties);
  if (spec.title !== undefined) {
    const titleName =
      parent.type === "data_source_id"
        ? (ws.dataSources.get(parent.id)?.properties.find((p) => p.type === "title")?.name ?? "title")
        : "title";
    properties = { ...properties, [titleName]: { title: [{ text: { content: spec.title } }] } };
  }
  const page = ws.createPage(
    { parent, properties, children: asArray(spec.children), icon: spec.icon },
    { actor, createdTime: createdTime(spec.createdTime), path: "seed" },
  );
  return { id: page.id, url: String(pageJson(ws, page.id).url) };
}

function resolveParent(ws: Workspace, raw: unknown): NewPage["parent"] {
  const parent = asRecord(raw);
  if (parent.workspace === true) return { type: "workspace" };
  if (parent.dataSourceId !== undefined)
    return { type: "data_source_id", id: requireId(parent.dataSourceId, "dataSourceId") };
  if (parent.databaseId !== undefined) {
    const database = ws.requireDatabase(requireId(parent.databaseId, "databaseId"));
    const first = database.dataSourceIds[0];
    if (first === undefined) throw new ControlError(400, "database has no data source");
    return { type: "data_source_id", id: first };
  }
  if (parent.pageId !== undefined) return { type: "page_id", id: requireId(parent.pageId, "pageId") };
  throw new ControlError(400, "parent must name databaseId, dataSourceId, pageId or workspace: true");
}

function shareIfAsked(ws: Workspace, token: unknown, id: string): void {
  if (typeof token !== "string") return;
  if (ws.integration(token) === undefined) throw new ControlError(404, `no integration with token ${token}`);
  ws.share(token, id);
}

export function handleControl(
  state: EmulatorState,
  method: string,
  pathname: string,
  query: URLSearchParams,
  body: JsonObject,
): ControlResponse {
  try {
    return { status: 200, body: route(state, method, pathname.replace(/^\/__emulator/, ""), query, body) };
  } catch (error) {
    return controlFailure(error, (e) =>
      e instanceof NotionApiError ? { status: e.status, body: e.body() } : undefined,
    );
  }
}

function route(
  state: EmulatorState,
  method: string,
  path: string,
  query: URLSearchParams,
  body: JsonObject,
): unknown {
  const ws = state.workspace;
  const actor = (): string => {
    const as = body.as ?? query.get("as") ?? undefined;
    return as === undefined ? ws.owner.id : requireId(as, "as");
  };
  const token = query.get("token") ?? undefined;
  const [, first = "", id = "", rest = ""] = path.split("/");

  switch (`${method} ${first}${id ? "/:id" : ""}${rest ? `/${rest}` : ""}`) {
    case "POST reset":
      state.reset();
      return { ok: true };

    case "POST integrations": {
      const spec = body as IntegrationSpec;
      const integration = ws.createIntegration({
        name: spec.name,
        token: spec.token,
        requestsPerSecond:
          spec.requestsPerSecond === null
            ? Number.POSITIVE_INFINITY
            : (spec.requestsPerSecond ?? state.rate.requestsPerSecond),
        burst: spec.burst ?? state.rate.burst,
        ...(spec.capabilities === undefined ? {} : { capabilities: spec.capabilities }),
      });
      return {
        token: integration.token,
        name: integration.name,
        botUserId: integration.botUserId,
      } satisfies IntegrationInfo;
    }

    case "POST users":
      return userInfo(ws.createUser(body as unknown as UserSpec));
    case "GET users":
      return [...ws.users.values()].map(userInfo);

    case "POST databases": {
      const spec = body as unknown as SeedDatabaseSpec;
      const { database, dataSource } = ws.createDatabase(
        {
          id: spec.id,
          dataSourceId: spec.dataSourceId,
          title: spec.title,
          parentPageId: spec.parentPageId,
          properties: asRecord(spec.properties),
        },
        actor(),
      );
      shareIfAsked(ws, body.token, database.id);
      const pages = (spec.pages ?? []).map((p) =>
        seedPage(ws, { type: "data_source_id", id: dataSource.id }, p, actor()),
      );
      return {
        databaseId: database.id,
        dataSourceId: dataSource.id,
        url: `https://www.notion.so/${database.id.replaceAll("-", "")}`,
        pages,
      } satisfies SeededDatabase;
    }

    case "POST databases/:id/data_sources": {
      const spec = body as unknown as SeedDataSourceSpec;
      const dataSource = ws.addDataSource(
        requireId(id, "database id"),
        { id: spec.id, name: spec.name, properties: asRecord(spec.properties) },
        actor(),
      );
      return { dataSourceId: dataSource.id } satisfies SeededDataSource;
    }

    case "POST pages": {
      const spec = body as unknown as SeedStandalonePageSpec;
      const seeded = seedPage(ws, resolveParent(ws, spec.parent), spec, actor());
      shareIfAsked(ws, body.token, seeded.id);
      return seeded;
    }

    case "POST share":
    case "POST unshare": {
      const integrationToken = asString(body.token) ?? "";
      if (ws.integration(integrationToken) === undefined)
        throw new ControlError(404, "no integration with that token");
      const target = requireId(body.id, "id");
      if (first === "share") ws.share(integrationToken, target);
      else ws.unshare(integrationToken, target);
      return { ok: true };
    }

    case "GET pages/:id":
      return pageJson(ws, requireId(id, "page id"));
    case "PATCH pages/:id": {
      const trash = [body.in_trash, body.archived].find((v) => typeof v === "boolean");
      ws.updatePage(
        requireId(id, "page id"),
        { properties: body.properties, inTrash: typeof trash === "boolean" ? trash : undefined },
        { actor: actor() },
      );
      return pageJson(ws, requireId(id, "page id"));
    }
    case "GET pages/:id/blocks":
      return blockTree(ws, ws.requirePage(requireId(id, "page id")).id);

    case "GET data_sources/:id/pages": {
      const dataSource = ws.requireDataSource(requireId(id, "data source id"));
      return ws
        .pagesIn(dataSource.id)
        .filter((p) => !ws.inTrash(p.id))
        .map((p) => pageJson(ws, p.id));
    }

    case "GET blocks/:id":
      return blockJson(ws, ws.requireBlock(requireId(id, "block id")));
    case "PATCH blocks/:id": {
      const { as: _as, ...patch } = body;
      const block = ws.updateBlock(requireId(id, "block id"), patch, { actor: actor() });
      return blockJson(ws, block);
    }
    case "DELETE blocks/:id":
      return blockJson(ws, ws.updateBlock(requireId(id, "block id"), { in_trash: true }, { actor: actor() }));
    case "POST blocks/:id/children": {
      const created = ws.appendChildren(
        requireId(id, "block id"),
        asArray(body.children),
        appendPosition(body),
        {
          actor: actor(),
          path: "children",
        },
      );
      return created.map((block) => blockJson(ws, block));
    }

    case "GET calls":
      if (token === undefined) throw new ControlError(400, "calls needs ?token=");
      return state.callsFor(token);
    case "DELETE calls":
      state.resetCalls(token);
      return { ok: true };
    case "GET requests":
      if (token === undefined) throw new ControlError(400, "requests needs ?token=");
      return state.requestsFor(token);

    case "GET violations":
      return state.violationsFor(token).map((v) => v.message);
    case "DELETE violations":
      return state.clearViolations(token).map((v) => v.message);

    case "POST faults":
    case "GET faults":
    case "DELETE faults":
      return faultsRoute(state.faults, method, body);

    default:
      throw new ControlError(404, `no control route ${method} /__emulator${path}`);
  }
}
