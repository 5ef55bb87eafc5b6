// Owns the names of the pace objects: one Durable Object per vendor account, found by name. A Notion
// integration is named by a SHA-256 hash of its token, so the token itself is never an object name, a
// storage key or a log field; a Google quota by the service account, the user it acts as and the quota
// (Docs reads and writes per minute are separate quotas, Drive's another).

/** Which of a Google user's per-minute quotas a request spends. */
export type GoogleQuota = "docsRead" | "docsWrite" | "drive";

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** `notion:<sha-256 of the token, hex>`. */
export async function notionPaceName(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return `notion:${hex(digest)}`;
}

/**
 * `google:<quota>:<service account>:<acting user>`. Google counts a quota per project and per user; the
 * service account stands for its project, and acts as itself when no user is delegated.
 */
export function googlePaceName(serviceAccount: string, subject: string | null, quota: GoogleQuota): string {
  return `google:${quota}:${serviceAccount}:${subject ?? serviceAccount}`;
}
