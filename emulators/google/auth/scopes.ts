// OAuth scopes at call time: whether a token may call a method (the discovery document lists each method's scopes), and which files it may touch.
import type { DiscoveryMethod } from "../discovery/load";

const AUTH = "https://www.googleapis.com/auth/";

/** Scopes that reach every file the principal can see (for Docs, or for Drive). */
const FULL: Record<"docs" | "drive", readonly string[]> = {
  docs: ["documents", "documents.readonly", "drive", "drive.readonly"].map((s) => AUTH + s),
  drive: ["drive", "drive.readonly", "drive.metadata", "drive.metadata.readonly"].map((s) => AUTH + s),
};

const DRIVE_FILE = `${AUTH}drive.file`;

export function hasMethodScope(scopes: readonly string[], method: DiscoveryMethod): boolean {
  return scopes.some((scope) => method.scopes?.includes(scope) === true);
}

/**
 * "full": any file the principal can see. "app": only files this app created (drive.file).
 * "none": scopes such as drive.appdata that reach no ordinary file.
 */
export function fileAccess(scopes: readonly string[], api: "docs" | "drive"): "full" | "app" | "none" {
  if (scopes.some((scope) => FULL[api].includes(scope))) return "full";
  if (scopes.includes(DRIVE_FILE)) return "app";
  return "none";
}
