// What a route handler receives: the caller (from the access token), the parsed request, and the emulator state.

import type { JsonObject } from "../common/json";
import type { AccessTokenRecord } from "./auth/principals";
import type { DiscoveryValidator } from "./discovery/validator";
import type { EmulatorState } from "./state";

export interface Caller {
  token: AccessTokenRecord;
  /** Whose files these are: the impersonated user, or the service account. */
  principal: string;
  /** The app (service account email) for private appProperties and the drive.file scope. */
  app: string;
  scopes: readonly string[];
}

export interface ApiRequest {
  state: EmulatorState;
  caller: Caller;
  /** The path's {documentId} or {fileId}. */
  id: string;
  query: URLSearchParams;
  body: JsonObject;
  docs: DiscoveryValidator;
  drive: DiscoveryValidator;
  /** Records a violation (an emulator gap found while handling), tied to the caller. */
  violation(message: string): void;
}

/** The response body, or null for Google's empty 204 (files.delete). */
export type ApiHandler = (req: ApiRequest) => JsonObject | null;

export function flag(query: URLSearchParams, name: string): boolean {
  return query.get(name) === "true";
}
