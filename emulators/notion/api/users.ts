// GET /v1/users/me, /v1/users/:id, /v1/users: people and bots are visible to every integration.
import { NotionApiError } from "../errors";
import { requirePathId } from "../ids";
import { listJson } from "../store/render";
import { type ApiHandler, pageSize, paginate } from "./context";

export const getSelf: ApiHandler = ({ ws, integration }) => ws.userValue(integration.botUserId);

export const getUser: ApiHandler = ({ ws, id }) => {
  const userId = requirePathId(id, "user_id");
  const user = ws.users.get(userId);
  if (user === undefined) throw NotionApiError.notFound("user", userId);
  return ws.userJson(user);
};

export const listUsers: ApiHandler = ({ ws, query }) => {
  const users = [...ws.users.values()];
  const { page, nextCursor } = paginate(
    users,
    query.get("start_cursor"),
    pageSize(query.get("page_size"), "query"),
  );
  return listJson(
    page.map((user) => ws.userJson(user)),
    nextCursor,
    "user",
  );
};
