// A small SMTP submission client over a TCP socket (`connect` from cloudflare:sockets): one message per
// session, TLS before any credential, every reply under a timeout, the socket closed on every path, and
// the outcome said the way the outbox needs it (4xx, timeouts and dropped connections: retry; 5xx:
// permanent). RFC 5321 (SMTP), 3207 (STARTTLS), 4954 (AUTH), 4616 (PLAIN), 8314 (implicit TLS).
//
// Not the `worker-mailer` package, which we evaluated: it carries on in plain text when a server does not
// offer STARTTLS (so a downgraded connection sends the password in clear), sends `EHLO 127.0.0.1` without
// the brackets an address literal needs, and its read loop spins when the socket closes.
//
// No reason returned from here contains the password, the user, an AUTH token or any part of the SMTP
// URL: a server reply enters a reason only as its codes and our words for them (a server may echo what
// it was sent), a socket error only as our words, and the URL never reaches this module.
import { connect as socketConnect } from "cloudflare:sockets";
import { base64Utf8, utf8Length } from "./base64";
import { connectionWords, type EmailOutcome, replyWords } from "./outcome";
import type { SmtpSettings } from "./smtp-url";

export interface SmtpSendRequest {
  settings: SmtpSettings;
  /** Our name in EHLO: a domain (the sender's), since a Worker has no host name of its own. */
  clientName: string;
  /** Envelope sender and recipients (MAIL FROM, RCPT TO): zod-validated addresses. */
  from: string;
  to: readonly string[];
  /** The complete RFC 5322 message; line ends are normalised to CRLF and dot-stuffed here. */
  message: string;
  /** For connecting, for each write and for each reply. */
  replyTimeoutMs: number;
  /** For the whole session, so a server that answers slowly but steadily cannot hold a run. */
  sessionTimeoutMs: number;
  /** Injectable for tests; cloudflare:sockets' `connect` by default. */
  connect?: typeof socketConnect;
}

interface Reply {
  code: number;
  /** The text of each line, without the code. */
  lines: string[];
}

interface Capabilities {
  keywords: Set<string>;
  auth: Set<string>;
  /** The SIZE limit in bytes, or null when the server states none. */
  size: number | null;
}

const CRLF = "\r\n";
/** RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets; allow slack for chatty servers. */
const MAX_REPLY_LINE = 4096;
/** Lines in one multi-line reply, so a server cannot keep us reading forever within the timeouts. */
const MAX_REPLY_LINES = 200;
/** How long closing may take: a server that never acknowledges the close must not hold the run. */
const CLOSE_WAIT_MS = 1000;
/** How long to wait for the answer to QUIT, which changes nothing. */
const QUIT_WAIT_MS = 2000;

/** Ends the session with an outcome; `replied` says the connection is healthy enough for a polite QUIT. */
class SmtpStop extends Error {
  constructor(
    readonly outcome: EmailOutcome,
    readonly replied: boolean,
  ) {
    super(outcome.kind === "delivered" ? "delivered" : outcome.reason);
  }
}

class ConnectionClosed extends Error {}

function retry(reason: string, replied = false): SmtpStop {
  return new SmtpStop({ kind: "retry", reason }, replied);
}

function permanent(reason: string, replied = false): SmtpStop {
  return new SmtpStop({ kind: "permanent", reason }, replied);
}

/** The message as the DATA command sends it: CRLF line ends, dot-stuffed (RFC 5321 §4.5.2), terminated. */
export function dataBlock(message: string): string {
  const lines = message.replace(/\r\n|\r|\n/gu, CRLF).split(CRLF);
  if (lines.at(-1) === "") lines.pop();
  return `${lines.map((line) => (line.startsWith(".") ? `.${line}` : line)).join(CRLF)}${CRLF}.${CRLF}`;
}

function capabilitiesOf(reply: Reply): Capabilities {
  const keywords = new Set<string>();
  const auth = new Set<string>();
  let size: number | null = null;
  // The first line is the server's greeting to us; each further line is one extension.
  for (const line of reply.lines.slice(1)) {
    // "AUTH=PLAIN LOGIN" is an old spelling some servers still send beside "AUTH PLAIN LOGIN".
    const [keyword = "", ...params] = line.trim().toUpperCase().split(/[ =]+/u);
    keywords.add(keyword);
    if (keyword === "AUTH") for (const mechanism of params) auth.add(mechanism);
    if (keyword === "SIZE" && params[0] !== undefined && /^\d+$/u.test(params[0])) {
      const limit = Number(params[0]);
      size = limit > 0 ? limit : null;
    }
  }
  return { keywords, auth, size };
}

class SmtpSession {
  private readonly connectFn: typeof socketConnect;
  private readonly sockets: Socket[] = [];
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  private writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  private decoder = new TextDecoder();
  private buffer = "";
  private tls = false;
  private sessionTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly expired: Promise<never>;
  /** What the session was doing, for reasons about failures that are not replies. */
  private stage = "connecting";

  constructor(private readonly request: SmtpSendRequest) {
    this.connectFn = request.connect ?? socketConnect;
    this.expired = new Promise<never>((_, reject) => {
      this.sessionTimer = setTimeout(
        () => reject(retry(`SMTP session took longer than ${request.sessionTimeoutMs} ms`)),
        request.sessionTimeoutMs,
      );
    });
    // The session deadline may pass after the session ended; that rejection is nobody's business.
    this.expired.catch(() => undefined);
  }

  /** Runs the session to a delivered message, or throws SmtpStop (or a socket error). */
  async run(): Promise<void> {
    const { settings } = this.request;
    const socket = this.connectFn(
      { hostname: settings.hostname, port: settings.port },
      {
        secureTransport:
          settings.security === "implicit" ? "on" : settings.security === "starttls" ? "starttls" : "off",
        allowHalfOpen: false,
      },
    );
    this.sockets.push(socket);
    try {
      await this.within(
        socket.opened,
        `could not connect to the SMTP server within ${this.request.replyTimeoutMs} ms`,
      );
    } catch (error) {
      if (error instanceof SmtpStop) throw error;
      const what =
        settings.security === "implicit"
          ? "connect to the SMTP server over TLS"
          : "connect to the SMTP server";
      throw retry(`could not ${what} (${this.detail(error)})`);
    }
    this.attach(socket);
    this.tls = settings.security === "implicit";

    this.stage = "the greeting";
    this.expect(await this.reply("the greeting"), [220], "greeted us with");
    let capabilities = await this.ehlo();

    if (settings.security === "starttls") {
      if (!capabilities.keywords.has("STARTTLS")) {
        throw permanent(
          "SMTP server does not offer STARTTLS, so nothing was sent: the password and the digest are never sent in clear text (use smtps:// if the server takes TLS from the first byte)",
          true,
        );
      }
      this.expect(await this.command("STARTTLS", "STARTTLS"), [220], "refused STARTTLS with");
      // Anything the server sent after its 220 came before encryption and could have been injected by
      // someone on the path (the STARTTLS injection flaw, CVE-2011-0411): it must not be read as a reply.
      if (this.buffer !== "")
        throw retry("SMTP server sent data before the TLS handshake; connection dropped");
      await this.upgrade(socket);
      capabilities = await this.ehlo();
    }

    if (settings.credentials !== null) await this.authenticate(capabilities, settings.credentials);

    const data = dataBlock(this.request.message);
    if (capabilities.size !== null && utf8Length(data) > capabilities.size) {
      throw permanent(
        `message is ${utf8Length(data)} bytes, more than the SMTP server's limit of ${capabilities.size}`,
        true,
      );
    }
    this.expect(
      await this.command(`MAIL FROM:<${this.request.from}>`, "MAIL FROM"),
      [250],
      "refused the sender with",
    );
    await this.recipients();
    this.expect(await this.command("DATA", "DATA"), [354], "refused DATA with");
    this.stage = "sending the message";
    await this.write(data, "the message");
    this.expect(await this.reply("the message"), [250], "refused the message with");
  }

  /** QUIT, politely and without caring how it ends: the outcome is already decided. */
  async quit(): Promise<void> {
    try {
      await this.write(`QUIT${CRLF}`, "QUIT");
      await this.reply("QUIT", Math.min(this.request.replyTimeoutMs, QUIT_WAIT_MS));
    } catch {
      // The server may close without answering; either way the session is over.
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.sessionTimer);
    for (const socket of this.sockets.reverse()) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await Promise.race([
          socket.close().catch(() => undefined),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, CLOSE_WAIT_MS);
          }),
        ]);
      } catch {
        // A socket replaced by startTls may refuse to close on its own; the TLS socket closed it.
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** Why a socket or runtime error happened, in our words. */
  detail(error: unknown): string {
    return connectionWords(error);
  }

  failureDuring(error: unknown): EmailOutcome {
    return { kind: "retry", reason: `SMTP connection failed during ${this.stage} (${this.detail(error)})` };
  }

  private attach(socket: Socket): void {
    this.reader = socket.readable.getReader();
    this.writer = socket.writable.getWriter();
  }

  private async upgrade(socket: Socket): Promise<void> {
    // startTls takes over the plain socket's streams, so our locks on them must go first.
    this.reader?.releaseLock();
    this.writer?.releaseLock();
    this.stage = "the TLS handshake after STARTTLS";
    const secure = socket.startTls();
    this.sockets.push(secure);
    try {
      await this.within(
        secure.opened,
        `TLS handshake did not finish within ${this.request.replyTimeoutMs} ms`,
      );
    } catch (error) {
      if (error instanceof SmtpStop) throw error;
      throw retry(`could not establish TLS with the SMTP server after STARTTLS (${this.detail(error)})`);
    }
    this.attach(secure);
    this.decoder = new TextDecoder();
    this.tls = true;
  }

  private async ehlo(): Promise<Capabilities> {
    const reply = await this.command(`EHLO ${this.request.clientName}`, "EHLO");
    this.expect(reply, [250], "refused EHLO with");
    return capabilitiesOf(reply);
  }

  private async authenticate(
    capabilities: Capabilities,
    credentials: { username: string; password: string },
  ): Promise<void> {
    // Defence in depth: settings that reach here with credentials always ask for TLS, and the STARTTLS
    // branch above either upgraded or stopped. Never send a password on a plain connection.
    if (!this.tls) throw permanent("refusing to send the SMTP password without TLS", true);
    const { username, password } = credentials;
    if (capabilities.auth.has("PLAIN")) {
      const token = base64Utf8(`\u0000${username}\u0000${password}`);
      const reply = await this.command(`AUTH PLAIN ${token}`, "AUTH PLAIN");
      if (reply.code === 235) return;
      // 504: the server does not take PLAIN after all; LOGIN may still work.
      if (reply.code !== 504 || !capabilities.auth.has("LOGIN")) this.authRefused(reply);
    }
    if (capabilities.auth.has("LOGIN")) {
      this.expect(await this.command("AUTH LOGIN", "AUTH LOGIN"), [334], "refused AUTH LOGIN with");
      this.expect(await this.command(base64Utf8(username), "AUTH LOGIN"), [334], "refused the user with");
      const reply = await this.command(base64Utf8(password), "AUTH LOGIN");
      if (reply.code !== 235) this.authRefused(reply);
      return;
    }
    throw permanent("SMTP server offers neither AUTH PLAIN nor AUTH LOGIN", true);
  }

  private authRefused(reply: Reply): never {
    if (reply.code === 535) {
      throw permanent(`SMTP server refused the user and password (${this.replyText(reply)})`, true);
    }
    this.expect(reply, [235], "refused AUTH with");
    throw permanent(`SMTP server answered AUTH with ${this.replyText(reply)}`, true);
  }

  /** RCPT TO for each recipient; all must be accepted, or the message is not sent to any. */
  private async recipients(): Promise<void> {
    const refused: { address: string; reply: Reply }[] = [];
    for (const address of this.request.to) {
      const reply = await this.command(`RCPT TO:<${address}>`, "RCPT TO");
      if (reply.code !== 250 && reply.code !== 251) refused.push({ address, reply });
    }
    if (refused.length === 0) return;
    // Sending to the accepted ones only would make a later retry send them a second copy, so the whole
    // message waits (4xx) or fails (5xx, named per recipient). Give recipients their own email channel
    // when one bad address must not hold back the others.
    const hard = refused.filter(({ reply }) => reply.code >= 500);
    const listed = (hard.length > 0 ? hard : refused)
      .map(({ address, reply }) => `${address} (${this.replyText(reply)})`)
      .join(", ");
    const reason = `SMTP server refused recipient${refused.length === 1 ? "" : "s"} ${listed}`;
    throw hard.length > 0 ? permanent(reason, true) : retry(reason, true);
  }

  private replyText(reply: Reply): string {
    return replyWords(reply.code, reply.lines[0] ?? "");
  }

  /** Accepts `ok` codes; a 4xx is worth retrying, anything else unexpected is final. */
  private expect(reply: Reply, ok: readonly number[], refusedWith: string): void {
    if (ok.includes(reply.code)) return;
    const reason = `SMTP server ${refusedWith} ${this.replyText(reply)}`;
    throw reply.code >= 400 && reply.code < 500 ? retry(reason, true) : permanent(reason, true);
  }

  private async command(line: string, what: string): Promise<Reply> {
    // Addresses and names are validated upstream; a CR or LF here would smuggle in a second command.
    if (/[\r\n]/u.test(line)) throw permanent(`refusing to send ${what}: it contains a line break`);
    this.stage = what;
    await this.write(`${line}${CRLF}`, what);
    return this.reply(what);
  }

  private async write(text: string, what: string): Promise<void> {
    const writer = this.writer;
    if (writer === undefined) throw retry("SMTP connection is not open");
    await this.within(
      writer.write(new TextEncoder().encode(text)),
      `SMTP server did not take ${what} within ${this.request.replyTimeoutMs} ms`,
    );
  }

  private async reply(what: string, timeoutMs = this.request.replyTimeoutMs): Promise<Reply> {
    try {
      return await this.within(
        this.readReply(),
        `SMTP server did not answer ${what} within ${this.request.replyTimeoutMs} ms`,
        timeoutMs,
      );
    } catch (error) {
      if (error instanceof ConnectionClosed) {
        throw retry(`SMTP server closed the connection instead of answering ${what}`);
      }
      throw error;
    }
  }

  private async readReply(): Promise<Reply> {
    const lines: string[] = [];
    let code = 0;
    for (;;) {
      const line = await this.readLine();
      const match = /^(\d{3})(?:([ -])(.*))?$/u.exec(line);
      if (match === null) throw retry("SMTP server sent a line that is not an SMTP reply");
      const lineCode = Number(match[1]);
      if (lines.length > 0 && lineCode !== code) throw retry("SMTP server mixed reply codes in one reply");
      code = lineCode;
      lines.push(match[3] ?? "");
      if (match[2] !== "-") return { code, lines };
      if (lines.length >= MAX_REPLY_LINES) throw retry("SMTP server sent an endless reply");
    }
  }

  private async readLine(): Promise<string> {
    for (;;) {
      const end = this.buffer.indexOf("\n");
      if (end >= 0) {
        const line = this.buffer.slice(0, end).replace(/\r$/u, "");
        this.buffer = this.buffer.slice(end + 1);
        return line;
      }
      if (this.buffer.length > MAX_REPLY_LINE) throw retry("SMTP server sent an overlong reply line");
      const reader = this.reader;
      if (reader === undefined) throw new ConnectionClosed();
      const { done, value } = await reader.read();
      // A closed socket reads as done for ever; stopping here is what keeps this loop from spinning.
      if (done) throw new ConnectionClosed();
      if (!(value instanceof Uint8Array)) throw retry("SMTP socket returned something other than bytes");
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  /** `promise`, unless the timeout (the reply timeout by default) or the session deadline comes first. */
  private async within<T>(
    promise: Promise<T>,
    timeoutReason: string,
    timeoutMs = this.request.replyTimeoutMs,
  ): Promise<T> {
    // After a timeout the promise is abandoned; its late rejection (the socket closing) must not surface.
    promise.catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(retry(timeoutReason)), timeoutMs);
    });
    try {
      return await Promise.race([promise, timeout, this.expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Sends one message over SMTP and says what happened. Never throws. Every path closes the socket; a
 * refusal ends with QUIT first, as servers expect.
 */
export async function sendSmtp(request: SmtpSendRequest): Promise<EmailOutcome> {
  const session = new SmtpSession(request);
  try {
    await session.run();
    await session.quit();
    return { kind: "delivered" };
  } catch (error) {
    if (error instanceof SmtpStop) {
      if (error.replied) await session.quit();
      return error.outcome;
    }
    return session.failureDuring(error);
  } finally {
    await session.close();
  }
}
