// What one email send means for the outbox, shared by the SMTP client and the Cloudflare binding sender.
// The same three answers as a webhook's SendOutcome (../http-sender.ts), without its HTTP status:
// delivered; retry (the server is busy or unreachable: SMTP 4xx, a timeout, a dropped connection); or
// permanent (the server or binding refused, and sending the same message again changes nothing: SMTP 5xx,
// bad credentials, no TLS where TLS is required). Reasons are for a person: short, one line, no secrets.

export type EmailOutcome =
  | { kind: "delivered" }
  | { kind: "retry"; reason: string }
  | { kind: "permanent"; reason: string };

/** Longest piece of server or runtime text kept in a reason. */
const MAX_DETAIL = 160;

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_RUNS = /[\u0000-\u001F\u007F-\u009F\s]+/gu;

/**
 * Text from a server or the runtime made fit for a reason: each secret (and its base64, which AUTH
 * sends and a server might echo) replaced, control characters and line breaks gone, length capped.
 */
export function scrubDetail(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  out = out.replace(CONTROL_RUNS, " ").trim();
  return out.length > MAX_DETAIL ? `${out.slice(0, MAX_DETAIL)}…` : out;
}
