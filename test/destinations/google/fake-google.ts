// Test helper: a small in-memory Google (token endpoint, Docs documents.get/batchUpdate, Drive
// files.list/get/copy/create/update) behind a fetch function, enough for this destination's own calls
// and for scripting failures precisely. Documents are FakeDocs, so batchUpdates really apply. The
// full-fidelity emulator lives in emulators/google.
import { decodeJwt, errors, jwtVerify } from "jose";
import { inTimeframe, JWT_REFUSALS } from "../../../emulators/google/auth/token";
import type { BaseFetch } from "../../../src/destinations/google/api/client";
import { DocsRequestError, FakeDoc, type FakeDocOptions } from "./fake-docs";

export const FAKE_BASE = "https://fake.google";
export const TOKEN_URL = `${FAKE_BASE}/token`;
const GOOGLE_DOC = "application/vnd.google-apps.document";

interface FakeFile {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  appProperties: Record<string, string>;
  trashed: boolean;
}

type Override = (call: {
  method: string;
  path: string;
  body: unknown;
  actor: string;
}) => Response | undefined;

export function googleError(code: number, status: string, message: string, reason?: string): Response {
  return Response.json(
    {
      error: {
        code,
        message,
        status,
        ...(reason ? { errors: [{ reason, message, domain: "global" }] } : {}),
      },
    },
    { status: code },
  );
}

function notFound(message = "Requested entity was not found."): Response {
  return googleError(404, "NOT_FOUND", message);
}

/**
 * How the token endpoint checks assertions: the key that verifies their signature, and the time it
 * judges iat and exp by (the test's own clock, never the real one).
 */
export interface AssertionCheck {
  publicKey: CryptoKey;
  now: () => number;
}

/** Why Google refuses an assertion, in its words: the signature first, then the audience, then the times. */
async function refusal(assertion: string, check: AssertionCheck): Promise<string | undefined> {
  const nowMs = check.now();
  try {
    const { payload } = await jwtVerify(assertion, check.publicKey, {
      audience: TOKEN_URL,
      algorithms: ["RS256"],
      currentDate: new Date(nowMs),
      clockTolerance: 300,
    });
    return inTimeframe(payload.iat, payload.exp, Math.floor(nowMs / 1000))
      ? undefined
      : JWT_REFUSALS.timeframe;
  } catch (error) {
    if (error instanceof errors.JWTExpired) return JWT_REFUSALS.timeframe;
    if (error instanceof errors.JWTClaimValidationFailed) {
      return error.claim === "aud" ? JWT_REFUSALS.audience(TOKEN_URL) : JWT_REFUSALS.timeframe;
    }
    return JWT_REFUSALS.signature;
  }
}

/** A fake Google account world: who may see which document and folder, and what is in them. */
export function fakeGoogle(options: { verify?: AssertionCheck; docOptions?: FakeDocOptions } = {}) {
  const docs = new Map<string, FakeDoc>();
  const files = new Map<string, FakeFile>();
  const access = new Map<string, Set<string>>();
  const sharedDrives = new Set<string>();
  /** Users who own Drive storage (a service account has none). */
  const storage = new Set<string>();
  const tokens = new Map<string, string>();
  const overrides: Override[] = [];
  const calls: { method: string; path: string; actor: string }[] = [];
  let ids = 0;
  const newId = (prefix: string) => {
    ids += 1;
    return `${prefix}${String(ids).padStart(12, "0")}abcdefghij`;
  };

  const mayUse = (id: string, actor: string) => access.get(id)?.has(actor) === true;
  const share = (id: string, ...actors: string[]) => {
    const set = access.get(id) ?? new Set<string>();
    for (const actor of actors) set.add(actor);
    access.set(id, set);
  };

  const fileJson = (file: FakeFile) => ({
    id: file.id,
    name: file.name,
    mimeType: file.mimeType,
    appProperties: file.appProperties,
    webViewLink: `https://docs.google.com/document/d/${file.id}/edit`,
  });

  const createDoc = (
    name: string,
    folderId: string,
    actor: string,
    appProperties: Record<string, string>,
    from?: FakeDoc,
  ) => {
    if (!files.has(folderId) || !mayUse(folderId, actor)) return notFound(`File not found: ${folderId}.`);
    if (!sharedDrives.has(folderId) && !storage.has(actor)) {
      return googleError(
        403,
        "PERMISSION_DENIED",
        "Service Accounts do not have storage quota.",
        "storageQuotaExceeded",
      );
    }
    const id = newId("doc");
    const doc = from === undefined ? new FakeDoc(id, options.docOptions, name) : from.copy(id, name);
    docs.set(id, doc);
    files.set(id, { id, name, mimeType: GOOGLE_DOC, parents: [folderId], appProperties, trashed: false });
    // Files inherit their folder's sharing.
    share(id, ...(access.get(folderId) ?? []));
    return Response.json(fileJson(files.get(id) as FakeFile));
  };

  const handle = async (method: string, url: URL, body: unknown, actor: string): Promise<Response> => {
    const path = url.pathname;
    const doc = /^\/v1\/documents\/([^/:]+)(:batchUpdate)?$/.exec(path);
    if (doc?.[1] !== undefined) {
      const id = doc[1];
      const found = docs.get(id);
      if (found === undefined || !mayUse(id, actor)) return notFound();
      if (method === "GET" && doc[2] === undefined) return Response.json(found.toJSON());
      if (method === "POST" && doc[2] !== undefined) {
        const request = body as { requests: never[]; writeControl?: { requiredRevisionId?: string } };
        try {
          const result = found.batchUpdate(request.requests, request.writeControl?.requiredRevisionId);
          return Response.json({
            documentId: id,
            replies: result.replies,
            writeControl: { requiredRevisionId: result.revisionId },
          });
        } catch (error) {
          if (error instanceof DocsRequestError) return googleError(400, "INVALID_ARGUMENT", error.message);
          throw error;
        }
      }
    }
    if (path === "/drive/v3/files" && method === "GET") {
      const q = url.searchParams.get("q") ?? "";
      const folder = /'([^']+)' in parents/.exec(q)?.[1];
      const pair = /key='oneOnOnePair' and value='([^']+)'/.exec(q)?.[1];
      if (folder !== undefined && (!files.has(folder) || !mayUse(folder, actor)))
        return notFound(`File not found: ${folder}.`);
      const found = [...files.values()].filter(
        (file) =>
          !file.trashed &&
          file.mimeType === GOOGLE_DOC &&
          (folder === undefined || file.parents.includes(folder)) &&
          (pair === undefined || file.appProperties.oneOnOnePair === pair) &&
          mayUse(file.id, actor),
      );
      return Response.json({ kind: "drive#fileList", files: found.map(fileJson) });
    }
    const file = /^\/drive\/v3\/files\/([^/]+)(\/copy)?$/.exec(path);
    if (file?.[1] !== undefined) {
      const id = file[1];
      const found = files.get(id);
      if (found === undefined || !mayUse(id, actor)) return notFound(`File not found: ${id}.`);
      if (method === "GET") return Response.json(fileJson(found));
      if (method === "PATCH") {
        found.trashed = (body as { trashed?: boolean }).trashed ?? found.trashed;
        return Response.json({ id });
      }
      if (method === "POST" && file[2] !== undefined) {
        const meta = body as { name: string; parents: string[]; appProperties: Record<string, string> };
        return createDoc(meta.name, meta.parents[0] ?? "", actor, meta.appProperties, docs.get(id));
      }
    }
    if (path === "/drive/v3/files" && method === "POST") {
      const meta = body as {
        name: string;
        parents: string[];
        appProperties: Record<string, string>;
        mimeType: string;
      };
      if (meta.mimeType !== GOOGLE_DOC) return googleError(400, "INVALID_ARGUMENT", "only Google Docs here");
      return createDoc(meta.name, meta.parents[0] ?? "", actor, meta.appProperties);
    }
    return googleError(404, "NOT_FOUND", `no route ${method} ${path}`);
  };

  const fetch: BaseFetch = async (input, init) => {
    const url = new URL(input);
    const method = (init.method ?? "GET").toUpperCase();
    const raw = typeof init.body === "string" ? init.body : "";
    if (url.pathname === "/token") {
      calls.push({ method, path: "/token", actor: "" });
      const assertion = new URLSearchParams(raw).get("assertion") ?? "";
      const refused = options.verify === undefined ? undefined : await refusal(assertion, options.verify);
      if (refused !== undefined) {
        return Response.json({ error: "invalid_grant", error_description: refused }, { status: 400 });
      }
      const claims = decodeJwt(assertion);
      const actor = String(claims.sub ?? claims.iss);
      for (const override of overrides) {
        const response = override({ method, path: "/token", body: claims, actor });
        if (response !== undefined) return response;
      }
      const token = `ya29.fake-${tokens.size + 1}`;
      tokens.set(token, actor);
      return Response.json({ access_token: token, expires_in: 3599, token_type: "Bearer" });
    }
    const token = new Headers(init.headers).get("authorization")?.replace(/^Bearer /, "") ?? "";
    const actor = tokens.get(token);
    calls.push({ method, path: url.pathname, actor: actor ?? "?" });
    const body: unknown = raw === "" ? undefined : JSON.parse(raw);
    for (const override of overrides) {
      const response = override({ method, path: url.pathname, body, actor: actor ?? "" });
      if (response !== undefined) return response;
    }
    if (actor === undefined) {
      return googleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
    }
    return handle(method, url, body, actor);
  };

  return {
    fetch,
    docs,
    files,
    calls,
    /** A Google Doc shared with `actors`. */
    addDoc(actors: string[], build?: (doc: FakeDoc) => void, id = newId("doc")): FakeDoc {
      const doc = new FakeDoc(id, options.docOptions);
      build?.(doc);
      docs.set(id, doc);
      files.set(id, {
        id,
        name: doc.title,
        mimeType: GOOGLE_DOC,
        parents: [],
        appProperties: {},
        trashed: false,
      });
      share(id, ...actors);
      return doc;
    },
    /** A folder shared with `actors`; in a shared drive, anyone with access may create files in it. */
    addFolder(actors: string[], shared = false): string {
      const id = newId("folder");
      files.set(id, {
        id,
        name: "Folder",
        mimeType: "application/vnd.google-apps.folder",
        parents: [],
        appProperties: {},
        trashed: false,
      });
      share(id, ...actors);
      if (shared) sharedDrives.add(id);
      return id;
    },
    giveStorage(actor: string) {
      storage.add(actor);
    },
    /** Runs before the fake's own handling; return a Response to answer instead. */
    override(handler: Override) {
      overrides.push(handler);
    },
    /** Requests per endpoint, token requests included. */
    count(method: string, pattern: RegExp): number {
      return calls.filter((call) => call.method === method && pattern.test(call.path)).length;
    },
  };
}
