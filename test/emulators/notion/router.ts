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
import { getDatabase as getDatabaseEndpoint } from "@notionhq/client/build/src/api-endpoints/databases.js";
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
import { getDatabase, getDataSource, queryDataSource } from "./api/databases";
import { createPage, getPage, updatePage } from "./api/pages";
import { getSelf, getUser, listUsers } from "./api/users";

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
}

export const ROUTES: readonly Route[] = [
  {
    method: "GET",
    template: "/v1/users/me",
    sdk: getSelfEndpoint,
    responseType: "GetSelfResponse",
    handler: getSelf,
  },
  {
    method: "GET",
    template: "/v1/users",
    sdk: listUsersEndpoint,
    responseType: "ListUsersResponse",
    handler: listUsers,
  },
  {
    method: "GET",
    template: "/v1/users/:id",
    sdk: getUserEndpoint,
    responseType: "GetUserResponse",
    handler: getUser,
  },
  {
    method: "GET",
    template: "/v1/databases/:id",
    sdk: getDatabaseEndpoint,
    responseType: "GetDatabaseResponse",
    handler: getDatabase,
  },
  {
    method: "GET",
    template: "/v1/data_sources/:id",
    sdk: getDataSourceEndpoint,
    responseType: "GetDataSourceResponse",
    handler: getDataSource,
  },
  {
    method: "POST",
    template: "/v1/data_sources/:id/query",
    sdk: queryDataSourceEndpoint,
    parametersType: "QueryDataSourceParameters",
    responseType: "QueryDataSourceResponse",
    handler: queryDataSource,
  },
  {
    method: "POST",
    template: "/v1/pages",
    sdk: createPageEndpoint,
    parametersType: "CreatePageParameters",
    responseType: "CreatePageResponse",
    handler: createPage,
  },
  {
    method: "GET",
    template: "/v1/pages/:id",
    sdk: getPageEndpoint,
    responseType: "GetPageResponse",
    handler: getPage,
  },
  {
    method: "PATCH",
    template: "/v1/pages/:id",
    sdk: updatePageEndpoint,
    parametersType: "UpdatePageParameters",
    responseType: "UpdatePageResponse",
    handler: updatePage,
  },
  {
    method: "GET",
    template: "/v1/blocks/:id/children",
    sdk: listBlockChildrenEndpoint,
    responseType: "ListBlockChildrenResponse",
    handler: listBlockChildren,
  },
  {
    method: "PATCH",
    template: "/v1/blocks/:id/children",
    sdk: appendBlockChildrenEndpoint,
    parametersType: "AppendBlockChildrenParameters",
    responseType: "AppendBlockChildrenResponse",
    handler: appendBlockChildren,
  },
  {
    method: "GET",
    template: "/v1/blocks/:id",
    sdk: getBlockEndpoint,
    responseType: "GetBlockResponse",
    handler: getBlock,
  },
  {
    method: "PATCH",
    template: "/v1/blocks/:id",
    sdk: updateBlockEndpoint,
    parametersType: "UpdateBlockParameters",
    responseType: "UpdateBlockResponse",
    handler: updateBlock,
  },
  {
    method: "DELETE",
    template: "/v1/blocks/:id",
    sdk: deleteBlockEndpoint,
    responseType: "DeleteBlockResponse",
    handler: deleteBlock,
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
