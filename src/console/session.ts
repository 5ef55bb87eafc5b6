// The console's session and CSRF tokens. Both are HMACs under a key derived from the admin token through
// HKDF, so the cookie never holds the token, and rotating the token ends every session and form at once.
// A session is `<payload>.<signature>`, the payload holding a random id and an expiry (on the Worker's
// clock); a form's CSRF token is the HMAC of the session's id, so it is good for that session only.

/** How long a session lasts: a working day. */
export const SESSION_MS = 8 * 60 * 60 * 1000;

export const SESSION_COOKIE = "__Host-console-session";

export interface Session {
  /** Random per sign-in; what the CSRF tokens are bound to. For Access, the person's subject. */
  id: string;
  /** Epoch ms after which the session is refused. */
  expiresAtMs: number;
}

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Random bytes as base64url: session ids and one-time codes. */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

// One derived key per admin token value; the token itself is never kept beyond the config that holds it.
const keys = new Map<string, Promise<CryptoKey>>();

/** The console's HMAC key, derived from the admin token (HKDF-SHA-256, fixed salt and purpose). */
export function consoleKey(adminToken: string): Promise<CryptoKey> {
  let key = keys.get(adminToken);
  if (key === undefined) {
    key = (async () => {
      const material = await crypto.subtle.importKey("raw", encoder.encode(adminToken), "HKDF", false, [
        "deriveKey",
      ]);
      return crypto.subtle.deriveKey(
        {
          name: "HKDF",
          hash: "SHA-256",
          salt: encoder.encode("one-on-one-agendas console"),
          info: encoder.encode("session and csrf v1"),
        },
        material,
        { name: "HMAC", hash: "SHA-256", length: 256 },
        false,
        ["sign", "verify"],
      );
    })();
    // A rotated token leaves the old key behind; one or two entries is all an isolate ever holds.
    if (keys.size > 4) keys.clear();
    keys.set(adminToken, key);
  }
  return key;
}

async function sign(key: CryptoKey, purpose: string, text: string): Promise<string> {
  return base64url(
    new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`${purpose}\u0000${text}`))),
  );
}

async function verify(key: CryptoKey, purpose: string, text: string, signature: string): Promise<boolean> {
  const bytes = fromBase64url(signature);
  if (bytes === null) return false;
  // HMAC verification compares in constant time.
  return crypto.subtle.verify("HMAC", key, bytes, encoder.encode(`${purpose}\u0000${text}`));
}

/** A new session's cookie value. */
export async function sealSession(key: CryptoKey, session: Session): Promise<string> {
  const payload = base64url(
    encoder.encode(JSON.stringify({ v: 1, id: session.id, exp: session.expiresAtMs })),
  );
  return `${payload}.${await sign(key, "session", payload)}`;
}

/** The session a cookie value holds, if its signature is ours and it has not expired at `nowMs`. */
export async function openSession(key: CryptoKey, value: string, nowMs: number): Promise<Session | null> {
  const [payload, signature, ...rest] = value.split(".");
  if (payload === undefined || signature === undefined || rest.length > 0) return null;
  if (!(await verify(key, "session", payload, signature))) return null;
  const bytes = fromBase64url(payload);
  if (bytes === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null) return null;
  const id: unknown = Reflect.get(parsed, "id");
  const exp: unknown = Reflect.get(parsed, "exp");
  if (typeof id !== "string" || typeof exp !== "number" || !(exp > nowMs)) return null;
  return { id, expiresAtMs: exp };
}

/** The CSRF token of every form shown in a session. */
export function csrfToken(key: CryptoKey, sessionId: string): Promise<string> {
  return sign(key, "csrf", sessionId);
}

export function csrfTokenMatches(key: CryptoKey, sessionId: string, given: string): Promise<boolean> {
  return verify(key, "csrf", sessionId, given);
}
