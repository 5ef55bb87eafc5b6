// The Notion API routes the emulator serves, each tied to the SDK endpoint and types it is checked against.
import {
  appendBlockChildren as appendBlockChildrenEndpoint,
  deleteBlock as deleteBlockEndpoint,
  getBlock as getBlockEndpoint,
  listBlockChildren as listBlockChildrenEndpoint,
  updateBlock as updateBlockEndpoint,
} from "@notionhq/client/build/src/api-endpoints/blocks.js";
import {
  getDataSource as getDataSourceEndpoint,
  queryDataSource as queryDataSourceEndpoint,
} from "@notionhq/client/build/src/api-endpoints/data-sources.js";
import {
  createDatabase as createDatabaseEndpoint,
  getDatabase as getDatabaseEndpoint,
} from "@notionhq/client/build/src/api-endpoints/databases.js";
import {
  createPage as createPageEndpoint,
  getPage as getPageEndpoint,
  updatePage as updatePageEndpoint,
} from "@notionhq/client/build/src/api-endpoints/pages.js";
import {
  getSelf as getSelfEndpoint,
  getUser as getUserEndpoint,
  listUsers as listUsersEndpoint,
} from "@notionhq/client/build/src/api-endpoints/users.js";
import { appendBlockChildren, deleteBlock, getBlock, listBlockChildren, updateBlock } from "./api/blocks";
import type { ApiHandler } from "./api/context";
import { createDatabase, getDatabase, getDataSource, queryDataSource } from "./api/databases";
import { createPage, getPage, updatePage } from "./api/pages";
import { getSelf, getUser, listUsers } from "./api/users";
import type { Capability } from "./store/types";

/** The parts of an SDK endpoint table entry the emulator reads. */
interface SdkEndpoint {
  readonly method: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  readonly bodyParams: readonly string[];
}

export interface Route {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Also the key of call counts: `${method} ${template}`. */
  template: string;
  sdk: SdkEndpoint;
  /** The SDK's `XxxParameters` type, for endpoints that take a body. */
  parametersType?: string;
  responseType: string;
  handler: ApiHandler;
  /**
   * The content capability the endpoint needs ("This endpoint requires an integration to have … content
   * capabilities", each endpoint's reference page); the users endpoints need user capabilities instead.
   */
  capability: Capability | null;
}

export const ROUTES: readonly Route[] = [
  {
    method: "GET",
    template: "/v1/users/me",
    sdk: getSelfEndpoint,
    responseType: "GetSelfResponse",
    handler: getSelf,
    capability: null,
  },
  {
    method: "GET",
    template: "/v1/users",
    sdk: listUsersEndpoint,
    responseType: "ListUsersResponse",
    handler: listUsers,
    capability: null,
  },
  {
    method: "GET",
    template: "/v1/users/:id",
    sdk: getUserEndpoint,
    responseType: "GetUserResponse",
    handler: getUser,
    capability: null,
  },
  {
    method: "GET",
    template: "/v1/databases/:id",
    sdk: getDatabaseEndpoint,
    responseType: "GetDatabaseResponse",
    handler: getDatabase,
    capability: "read",
  },
  {
    method: "POST",
    template: "/v1/databases",
    sdk: createDatabaseEndpoint,
    parametersType: "CreateDatabaseParameters",
    responseType: "CreateDatabaseResponse",
    handler: createDatabase,
    capability: "insert",
  },
  {
    method: "GET",
    template: "/v1/data_sources/:id",
    sdk: getDataSourceEndpoint,
    responseType: "GetDataSourceResponse",
    handler: getDataSource,
    capability: "read",
  },
  {
    method: "POST",
    template: "/v1/data_sources/:id/query",
    sdk: queryDataSourceEndpoint,
    parametersType: "QueryDataSourceParameters",
    responseType: "QueryDataSourceResponse",
    handler: queryDataSource,
    capability: "read",
  },
  {
    method: "POST",
    template: "/v1/pages",
    sdk: createPageEndpoint,
    parametersType: "CreatePageParameters",
    responseType: "CreatePageResponse",
    handler: createPage,
    capability: "insert",
  },
  {
    method: "GET",
    template: "/v1/pages/:id",
    sdk: getPageEndpoint,
    responseType: "GetPageResponse",
    handler: getPage,
    capability: "read",
  },
  {
    method: "PATCH",
    template: "/v1/pages/:id",
    sdk: updatePageEndpoint,
    parametersType: "UpdatePageParameters",
    responseType: "UpdatePageResponse",
    handler: updatePage,
    capability: "update",
  },
  {
    method: "GET",
    template: "/v1/blocks/:id/children",
    sdk: listBlockChildrenEndpoint,
    responseType: "ListBlockChildrenResponse",
    handler: listBlockChildren,
    capability: "read",
  },
  {
    method: "PATCH",
    template: "/v1/blocks/:id/children",
    sdk: appendBlockChildrenEndpoint,
    parametersType: "AppendBlockChildrenParameters",
    responseType: "AppendBlockChildrenResponse",
    handler: appendBlockChildren,
    capability: "insert",
  },
  {
    method: "GET",
    template: "/v1/blocks/:id",
    sdk: getBlockEndpoint,
    responseType: "GetBlockResponse",
    handler: getBlock,
    capability: "read",
  },
  {
    method: "PATCH",
    template: "/v1/blocks/:id",
    sdk: updateBlockEndpoint,
    parametersType: "UpdateBlockParameters",
    responseType: "UpdateBlockResponse",
    handler: updateBlock,
    capability: "update",
  },
  {
    method: "DELETE",
    template: "/v1/blocks/:id",
    sdk: deleteBlockEndpoint,
    responseType: "DeleteBlockResponse",
    handler: deleteBlock,
    capability: "update",
  },
];

/** Every SDK type the emulator validates against, for schema generation. */
export const SCHEMA_TYPES: readonly string[] = [
  ...new Set(
    ROUTES.flatMap((r) => (r.parametersType ? [r.parametersType, r.responseType] : [r.responseType])),
  ),
];

export function matchRoute(method: string, pathname: string): { route: Route; id: string } | undefined {
  const parts = pathname.replace(/\/+$/, "").split("/");
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const pattern = route.template.split("/");
    if (pattern.length !== parts.length) continue;
    let id = "";
    const ok = pattern.every((segment, i) => {
      const part = parts[i] ?? "";
      if (segment === ":id") {
        id = part;
        return part !== "";
      }
      return segment === part;
    });
    if (ok) return { route, id };
  }
  return undefined;
}
