// What one email send means for the outbox, shared by the SMTP client and the Cloudflare binding sender.
// The same three answers as a webhook's SendOutcome (../http-sender.ts), without its HTTP status:
// delivered; retry (the server is busy or unreachable: SMTP 4xx, a timeout, a dropped connection); or
// permanent (the server or binding refused, and sending the same message again changes nothing: SMTP 5xx,
// bad credentials, no TLS where TLS is required). Reasons are for a person: short, one line, no secrets.
//
// A server's reply text can echo what it was sent (the user name, the recipient, the host it thinks we
// are), so an SMTP reply enters a reason only as its code, its enhanced status code, and our own words
// for the code. Runtime errors from the socket enter only as our words too: they can name the host.
import { toOneLine } from "../../lib/control-characters";

export type EmailOutcome =
  | { kind: "delivered" }
  | { kind: "retry"; reason: string }
  | { kind: "permanent"; reason: string };

/** Longest piece of server or runtime text kept in a reason. */
const MAX_DETAIL = 160;

/**
 * Text from a server or the runtime made fit for a reason: each secret (and its base64, which AUTH
 * sends and a server might echo) replaced, control characters and line breaks gone, length capped.
 */
export function scrubDetail(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  out = toOneLine(out);
  return out.length > MAX_DETAIL ? `${out.slice(0, MAX_DETAIL)}…` : out;
}

/** Our words for each reply code a submission server uses (RFC 5321 §4.2, RFC 4954 §6, RFC 3207). */
const REPLY_WORDS: Readonly<Record<number, string>> = {
  220: "service ready",
  221: "closing",
  235: "authenticated",
  250: "ok",
  251: "will forward",
  334: "continue authentication",
  354: "start mail input",
  421: "service not available",
  432: "password transition needed",
  450: "mailbox unavailable",
  451: "local error in processing",
  452: "insufficient storage",
  454: "temporary authentication or TLS failure",
  455: "parameters cannot be accommodated",
  500: "syntax error",
  501: "syntax error in parameters",
  502: "command not implemented",
  503: "bad sequence of commands",
  504: "parameter not implemented",
  521: "does not accept mail",
  530: "authentication required",
  534: "authentication mechanism too weak",
  535: "authentication credentials invalid",
  538: "encryption required",
  550: "mailbox unavailable",
  551: "user not local",
  552: "exceeded storage allocation",
  553: "mailbox name not allowed",
  554: "transaction failed",
  555: "parameters not recognised",
};

/**
 * An SMTP reply as a reason may show it: "535 5.7.8 (authentication credentials invalid)". The enhanced
 * status code (RFC 3463) is kept only in its strict digits-and-dots form and only when its class matches
 * the reply's; the server's text never is.
 */
export function replyWords(code: number, firstLine: string): string {
  const enhanced = /^([245])\.\d{1,3}\.\d{1,3}(?=\s|$)/u.exec(firstLine.trim());
  const parts = [String(code)];
  if (enhanced !== null && enhanced[1] === String(code).charAt(0)) parts.push(enhanced[0]);
  const words = REPLY_WORDS[code];
  if (words !== undefined) parts.push(`(${words})`);
  return parts.join(" ");
}

/** What a socket or runtime error means, in our words: its own message can name the host. */
export function connectionWords(error: unknown): string {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  if (/tls|ssl|certificate|handshake/iu.test(text)) return "TLS failed";
  if (/refused/iu.test(text)) return "connection refused";
  if (/dns|resolve|lookup|not known|no such host/iu.test(text)) return "host name did not resolve";
  if (/lost|reset|closed|disconnect/iu.test(text)) return "connection lost";
  if (/timed? ?out/iu.test(text)) return "timed out";
  return "network error";
}
