// TEST ONLY. What the SMTP test server (server.ts, Node) and the tests that talk to it (workerd) agree on:
// the one account it accepts, its listeners, and the JSON its control API answers with. No Node imports,
// so tests inside workerd can use it.

/** The only account the test server accepts. Not a secret anywhere else. */
export const SMTP_TEST_USER = "digest-bot@agendas.test";
/** Non-ASCII and URL-special on purpose: the client must percent-decode it and base64 it as UTF-8. */
export const SMTP_TEST_PASSWORD = "pä$$ w0rd:/@?#%ü";

/**
 * One SMTP listener per server behaviour the client must handle:
 * - `starttls`: offers STARTTLS and requires it before AUTH (PLAIN, LOGIN); AUTH required to send.
 * - `implicit`: TLS from the first byte (smtps, port 465 style); AUTH required.
 * - `plain`: never offers STARTTLS and would even take AUTH in clear text; AUTH optional. The
 *   misconfigured or downgraded server a careful client must refuse to log in to.
 * - `loginOnly`: like `starttls` but offers AUTH LOGIN only.
 * - `untrusted`: implicit TLS with a valid certificate for 127.0.0.1 that the test CA did not sign
 *   (certs/untrusted.pem): proof that workerd really verifies certificates, and so that the test CA is
 *   what makes the other listeners work.
 * - `untrustedStarttls`: the same certificate behind STARTTLS, since an upgraded socket is verified
 *   separately from one that starts with TLS.
 */
export const SMTP_LISTENERS = [
  "starttls",
  "implicit",
  "plain",
  "loginOnly",
  "untrusted",
  "untrustedStarttls",
] as const;
export type SmtpListener = (typeof SMTP_LISTENERS)[number];

/** What global setup provides to tests as `inject("smtp")`. */
export interface SmtpTestServerInfo {
  /** Loopback ports by listener; the host is 127.0.0.1 (the certificate also names localhost). */
  ports: Record<SmtpListener, number>;
  /** Base URL of the control API. */
  controlUrl: string;
}

export interface ParsedAddress {
  name: string;
  address: string;
}

/** A message as the server received it and mailparser understood it. */
export interface ReceivedMessage {
  listener: SmtpListener;
  /** The authenticated user, or null. */
  user: string | null;
  /** Whether the session was under TLS when the message was accepted. */
  secure: boolean;
  envelope: { mailFrom: string; rcptTo: string[] };
  messageId: string | null;
  subject: string | null;
  date: string | null;
  from: ParsedAddress[];
  to: ParsedAddress[];
  text: string | null;
  html: string | null;
  /** Content-Type of the message and of each part, in order: "multipart/alternative", "text/plain", ... */
  contentTypes: string[];
  /** Header names and values as written (unfolded, not decoded), lower-case names. */
  headers: [string, string][];
  /** The message exactly as received after the DATA command, dot-unstuffed, CRLF line ends. */
  raw: string;
}

/** One step of one SMTP session, recorded so tests can see what a client did (or did not) do. */
export interface SessionEvent {
  listener: SmtpListener;
  session: string;
  type: "connect" | "auth" | "mail" | "rcpt" | "data";
  /** TLS at that moment. */
  secure: boolean;
  /** auth: the method and whether it succeeded; mail/rcpt: the address; data: the size. */
  detail: string;
  /** The name the client gave in EHLO/HELO, once it has ("" before). */
  clientName: string;
}

/** A fault armed through the control API: the next `times` matching commands get `code` (or wait). */
export interface SmtpFaultSpec {
  /** `connect` delays or refuses the greeting; `rcpt` answers RCPT TO; `data` answers the end of DATA. */
  stage: "connect" | "rcpt" | "data";
  /** An SMTP reply code such as 451 or 550; without it the fault only delays. */
  code?: number;
  message?: string;
  delayMs?: number;
  /** Only commands for this recipient (rcpt: the RCPT address; data: any envelope recipient). */
  recipient?: string;
  /** Only on this listener. */
  listener?: SmtpListener;
  /** 1 by default. */
  times?: number;
}
