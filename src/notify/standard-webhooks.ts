// Signing generic JSON webhooks per the Standard Webhooks specification (standardwebhooks.com), so any
// receiver can verify a digest with the reference libraries: HMAC-SHA256 over `${id}.${timestamp}.${body}`
// keyed with the base64 bytes after `whsec_`, sent as `webhook-signature: v1,<base64>` beside
// `webhook-id` and `webhook-timestamp`. Web Crypto does the HMAC, so nothing is bundled for it.

const SECRET_PREFIX = "whsec_";
/** The spec asks for keys of 24 to 64 bytes; shorter keys are too weak, longer ones a likely paste error. */
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;

/** A signing secret that cannot be used. The message says what is wrong and never contains the secret. */
export class SigningSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SigningSecretError";
  }
}

/** The key bytes of a `whsec_<base64>` secret; a SigningSecretError that names `label` otherwise. */
export function parseSigningSecret(secret: string, label = "signing secret"): Uint8Array {
  const trimmed = secret.trim();
  if (!trimmed.startsWith(SECRET_PREFIX)) {
    throw new SigningSecretError(`${label} must start with "${SECRET_PREFIX}" followed by base64`);
  }
  const encoded = trimmed.slice(SECRET_PREFIX.length);
  // atob is forgiving (it drops whitespace, accepts missing padding); check the alphabet first so only
  // standard base64 passes, as the reference libraries expect.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 === 1) {
    throw new SigningSecretError(`${label} is not valid base64 after "${SECRET_PREFIX}"`);
  }
  let binary: string;
  try {
    binary = atob(encoded);
  } catch {
    throw new SigningSecretError(`${label} is not valid base64 after "${SECRET_PREFIX}"`);
  }
  if (binary.length < MIN_KEY_BYTES || binary.length > MAX_KEY_BYTES) {
    throw new SigningSecretError(
      `${label} must decode to ${MIN_KEY_BYTES}-${MAX_KEY_BYTES} bytes, not ${binary.length}`,
    );
  }
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function toBase64(bytes: ArrayBuffer): string {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * `v1,<base64 HMAC-SHA256>` of `${id}.${timestampSeconds}.${body}`. `label` names the secret in errors
 * (for example by its Worker secret name) since the secret itself may not appear there.
 */
export async function signPayload(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
  label?: string,
): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    parseSigningSecret(secret, label),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = await crypto.subtle.sign(
    "HMAC",
    key,
    new TextEncoder().encode(`${id}.${timestampSeconds}.${body}`),
  );
  return `v1,${toBase64(signature)}`;
}

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/**
 * The three Standard Webhooks headers for one attempt. The id is the delivery's stable id on every
 * attempt (receivers drop repeats by it); the timestamp is the attempt's own, since receivers reject
 * stale timestamps to stop replays, so each retry is signed afresh over the same body.
 */
export async function standardWebhookHeaders(options: {
  secret: string;
  id: string;
  nowMs: number;
  body: string;
  /** How errors name the secret, e.g. `secret ACME_WEBHOOK_SIGNING_SECRET`. */
  label?: string;
}): Promise<SignedHeaders> {
  const timestamp = Math.floor(options.nowMs / 1000);
  return {
    "webhook-id": options.id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": await signPayload(
      options.secret,
      options.id,
      timestamp,
      options.body,
      options.label,
    ),
  };
}
