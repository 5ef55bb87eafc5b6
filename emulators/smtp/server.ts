/// <reference types="node" />
// TEST ONLY. A real SMTP server on loopback for the email tests, run as its own Node process by
// test/setup/global.ts (`node --import tsx emulators/smtp/server.ts`; run it by hand the same way). It is
// nodemailer's `smtp-server` with the test CA's certificate (emulators/smtp/certs), so STARTTLS, implicit TLS
// and AUTH are the real protocol, and every message is parsed on arrival with `mailparser`, so the tests
// assert on what a mail client would show, not on the bytes our composer meant to write.
//
// Control API (HTTP, loopback): GET /messages, GET /events, POST /faults (SmtpFaultSpec), DELETE /faults,
// POST /reset, POST /parse (a raw message in the body; answers like a received message). On start it
// prints one line, `SMTP_TEST_SERVER_READY {json}` (SmtpTestServerInfo), and it exits when its stdin
// closes, so it never outlives the test run that started it.
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Readable } from "node:stream";
import { type AddressObject, simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from "smtp-server";
import {
  type ParsedAddress,
  type ReceivedMessage,
  type SessionEvent,
  SMTP_LISTENERS,
  SMTP_TEST_PASSWORD,
  SMTP_TEST_USER,
  type SmtpFaultSpec,
  type SmtpListener,
  type SmtpTestServerInfo,
} from "./constants";

const CERTS = path.join(import.meta.dirname, "certs");
const tls = {
  key: readFileSync(path.join(CERTS, "server-key.pem")),
  cert: readFileSync(path.join(CERTS, "server.pem")),
};
const untrustedTls = {
  key: readFileSync(path.join(CERTS, "untrusted-key.pem")),
  cert: readFileSync(path.join(CERTS, "untrusted.pem")),
};

const messages: ReceivedMessage[] = [];
const events: SessionEvent[] = [];
let faults: (SmtpFaultSpec & { id: number; remaining: number })[] = [];
let nextFaultId = 1;

class ReplyError extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

function record(
  listener: SmtpListener,
  session: SMTPServerSession,
  type: SessionEvent["type"],
  detail: string,
) {
  events.push({
    listener,
    session: session.id,
    type,
    secure: session.secure,
    detail,
    clientName: session.hostNameAppearsAs ?? "",
  });
}

/** Takes the first armed fault for this command, counting it down. */
function takeFault(
  stage: SmtpFaultSpec["stage"],
  listener: SmtpListener,
  recipients: readonly string[],
): SmtpFaultSpec | undefined {
  const fault = faults.find(
    (candidate) =>
      candidate.stage === stage &&
      candidate.remaining > 0 &&
      (candidate.listener === undefined || candidate.listener === listener) &&
      (candidate.recipient === undefined ||
        recipients.some((to) => to.toLowerCase() === candidate.recipient?.toLowerCase())),
  );
  if (fault === undefined) return undefined;
  fault.remaining -= 1;
  faults = faults.filter((candidate) => candidate.remaining > 0);
  return fault;
}

/** Applies a fault (a delay, then maybe an error reply) and calls back. */
function answer(fault: SmtpFaultSpec | undefined, callback: (error?: Error | null) => void): void {
  const reply = () => {
    if (fault?.code === undefined) callback();
    else callback(new ReplyError(fault.code, fault.message ?? `Test fault ${fault.code}`));
  };
  if (fault?.delayMs !== undefined) setTimeout(reply, fault.delayMs);
  else reply();
}

function addresses(value: AddressObject | AddressObject[] | undefined): ParsedAddress[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((group) =>
    group.value.map((entry) => ({ name: entry.name, address: entry.address ?? "" })),
  );
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Parses a raw message the way a mail client would; `meta` says how it arrived. */
async function parse(
  raw: Buffer,
  meta: Pick<ReceivedMessage, "listener" | "user" | "secure" | "envelope">,
): Promise<ReceivedMessage> {
  const parsed = await simpleParser(raw);
  const contentTypes: string[] = [];
  const walk = (text: string) => {
    for (const match of text.matchAll(/^content-type:\s*([^;\r\n]+)/gimu)) {
      contentTypes.push((match[1] ?? "").trim().toLowerCase());
    }
  };
  walk(raw.toString("utf8"));
  return {
    ...meta,
    messageId: parsed.messageId ?? null,
    subject: parsed.subject ?? null,
    date: parsed.date?.toISOString() ?? null,
    from: addresses(parsed.from),
    to: addresses(parsed.to),
    text: parsed.text ?? null,
    html: typeof parsed.html === "string" ? parsed.html : null,
    contentTypes,
    headers: parsed.headerLines.map((line) => [line.key, line.line.slice(line.line.indexOf(":") + 1).trim()]),
    raw: raw.toString("utf8"),
  };
}

function listenerOptions(listener: SmtpListener): SMTPServerOptions {
  const common: SMTPServerOptions = {
    ...tls,
    logger: false,
    disableReverseLookup: true,
    banner: `test server (${listener})`,
    authMethods: ["PLAIN", "LOGIN"],
    size: 10 * 1024 * 1024,
  };
  switch (listener) {
    case "starttls":
      return common;
    case "implicit":
      return { ...common, secure: true };
    case "plain":
      return { ...common, hideSTARTTLS: true, allowInsecureAuth: true, authOptional: true };
    case "loginOnly":
      return { ...common, authMethods: ["LOGIN"] };
    case "untrusted":
      // Valid for 127.0.0.1 and localhost, but self-signed: only trust in its issuer is missing.
      return { ...common, ...untrustedTls, secure: true };
    case "untrustedStarttls":
      return { ...common, ...untrustedTls };
  }
}

function startSmtp(listener: SmtpListener): Promise<{ server: SMTPServer; port: number }> {
  const server = new SMTPServer({
    ...listenerOptions(listener),
    onConnect(session, callback) {
      record(listener, session, "connect", session.remoteAddress);
      answer(takeFault("connect", listener, []), callback);
    },
    onAuth(auth, session, callback) {
      const ok = auth.username === SMTP_TEST_USER && auth.password === SMTP_TEST_PASSWORD;
      record(listener, session, "auth", `${auth.method} ${ok ? "ok" : "refused"}`);
      if (ok) callback(null, { user: auth.username });
      else callback(new ReplyError(535, "5.7.8 Authentication credentials invalid"));
    },
    onMailFrom(address, session, callback) {
      record(listener, session, "mail", address.address);
      callback();
    },
    onRcptTo(address, session, callback) {
      record(listener, session, "rcpt", address.address);
      answer(takeFault("rcpt", listener, [address.address]), callback);
    },
    onData(stream, session, callback) {
      const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address);
      readAll(stream)
        .then(async (raw) => {
          record(listener, session, "data", `${raw.length} bytes`);
          const fault = takeFault("data", listener, recipients);
          // A refused message is not kept: the server said it did not take it.
          if (fault?.code === undefined) {
            const mailFrom = session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address;
            messages.push(
              await parse(raw, {
                listener,
                user: typeof session.user === "string" ? session.user : null,
                secure: session.secure,
                envelope: { mailFrom, rcptTo: recipients },
              }),
            );
          }
          answer(fault, callback);
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => resolve({ server, port: portOf(server.server.address()) }));
  });
}

function portOf(address: string | AddressInfo | null): number {
  if (address === null || typeof address === "string") throw new Error("not listening on a TCP port");
  return address.port;
}

function isFaultSpec(value: unknown): value is SmtpFaultSpec {
  if (typeof value !== "object" || value === null || !("stage" in value)) return false;
  return value.stage === "connect" || value.stage === "rcpt" || value.stage === "data";
}

async function readBody(request: http.IncomingMessage): Promise<Buffer> {
  return readAll(request);
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(body));
}

async function control(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const route = `${request.method} ${new URL(request.url ?? "/", "http://x").pathname}`;
  switch (route) {
    case "GET /messages":
      return send(response, 200, messages);
    case "GET /events":
      return send(response, 200, events);
    case "POST /faults": {
      const spec: unknown = JSON.parse((await readBody(request)).toString("utf8"));
      if (!isFaultSpec(spec)) return send(response, 400, { error: "stage must be connect, rcpt or data" });
      const fault = { ...spec, id: nextFaultId++, remaining: spec.times ?? 1 };
      faults.push(fault);
      return send(response, 200, fault);
    }
    case "DELETE /faults":
      faults = [];
      return send(response, 200, { ok: true });
    case "POST /reset":
      messages.length = 0;
      events.length = 0;
      faults = [];
      return send(response, 200, { ok: true });
    case "POST /parse":
      return send(
        response,
        200,
        await parse(await readBody(request), {
          listener: "plain",
          user: null,
          secure: false,
          envelope: { mailFrom: "", rcptTo: [] },
        }),
      );
    default:
      return send(response, 404, { error: `no route ${route}` });
  }
}

const started = await Promise.all(SMTP_LISTENERS.map((listener) => startSmtp(listener)));
const controlServer = http.createServer((request, response) => {
  control(request, response).catch((error: unknown) =>
    send(response, 500, { error: error instanceof Error ? error.message : String(error) }),
  );
});
await new Promise<void>((resolve) => controlServer.listen(0, "127.0.0.1", resolve));

const portFor = (listener: SmtpListener) => started[SMTP_LISTENERS.indexOf(listener)]?.port ?? 0;
const info: SmtpTestServerInfo = {
  ports: {
    starttls: portFor("starttls"),
    implicit: portFor("implicit"),
    plain: portFor("plain"),
    loginOnly: portFor("loginOnly"),
    untrusted: portFor("untrusted"),
    untrustedStarttls: portFor("untrustedStarttls"),
  },
  controlUrl: `http://127.0.0.1:${portOf(controlServer.address())}`,
};
process.stdout.write(`SMTP_TEST_SERVER_READY ${JSON.stringify(info)}\n`);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  controlServer.closeAllConnections();
  controlServer.close();
  for (const { server } of started) server.close();
  // Open SMTP sessions would keep the process alive; the run is over, so do not wait for them.
  setTimeout(() => process.exit(0), 500).unref();
}
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
