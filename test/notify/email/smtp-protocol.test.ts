// The SMTP client against a scripted server (a fake socket handed in through `connect`), for the protocol
// corners a well-behaved server rarely shows: replies arriving a byte at a time, multi-line replies, a
// server that hangs up, garbage, a slow server against the session deadline, a SIZE limit. Every path
// must end in an outcome and a closed socket; none may spin or hang.
import { describe, expect, it } from "vitest";
import type { SmtpSendRequest } from "../../../src/notify/email/smtp";
import { sendSmtp } from "../../../src/notify/email/smtp";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

type Answer = string | "close" | null;

interface Script {
  greeting: string;
  /** The answer to one command line (or, after DATA, to the whole message, passed with its lines). */
  answer(command: string): Answer;
  /** Wait this long before each answer. */
  delayMs?: number;
}

/** A fake `connect` whose socket plays `script`, sending every reply one byte per chunk. */
function scripted(script: Script) {
  const seen: string[] = [];
  let closes = 0;
  const connect: NonNullable<SmtpSendRequest["connect"]> = () => {
    const toClient = new TransformStream<Uint8Array, Uint8Array>();
    const server = toClient.writable.getWriter();
    let queue = Promise.resolve();
    let open = true;
    const send = (text: Answer) => {
      queue = queue.then(async () => {
        if (!open || text === null) return;
        if (script.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, script.delayMs));
        if (text === "close") {
          open = false;
          await server.close();
          return;
        }
        for (const byte of encoder.encode(text)) await server.write(Uint8Array.of(byte));
      });
    };
    let pending = "";
    let message: string[] | null = null;
    const writable = new WritableStream<Uint8Array>({
      write(chunk) {
        pending += decoder.decode(chunk, { stream: true });
        for (let end = pending.indexOf("\r\n"); end >= 0; end = pending.indexOf("\r\n")) {
          const line = pending.slice(0, end);
          pending = pending.slice(end + 2);
          if (message !== null) {
            if (line === ".") {
              seen.push(`<message>${message.join("\n")}`);
              send(script.answer(`<message>${message.join("\n")}`));
              message = null;
            } else {
              message.push(line);
            }
            continue;
          }
          seen.push(line);
          const answer = script.answer(line);
          if (line === "DATA" && answer?.startsWith("354")) message = [];
          send(answer);
        }
      },
    });
    send(script.greeting);
    const socket: Socket = {
      readable: toClient.readable,
      writable,
      opened: Promise.resolve({}),
      closed: Promise.resolve(),
      upgraded: false,
      secureTransport: "off",
      close: async () => {
        closes += 1;
        open = false;
      },
      startTls: () => {
        throw new Error("no TLS in this fake");
      },
    };
    return socket;
  };
  return { connect, seen, closes: () => closes };
}

/** A server that says yes to everything, in multi-line EHLO, the old AUTH= spelling included. */
function polite(command: string): Answer {
  if (command.startsWith("EHLO"))
    return "250-test.example greets agendas.test\r\n250-AUTH=PLAIN LOGIN\r\n250-SIZE 1000\r\n250 8BITMIME\r\n";
  if (command === "DATA") return "354 go ahead\r\n";
  if (command === "QUIT") return "221 bye\r\n";
  return "250 OK\r\n";
}

function request(
  connect: SmtpSendRequest["connect"],
  overrides: Partial<SmtpSendRequest> = {},
): SmtpSendRequest {
  return {
    settings: { security: "none", hostname: "127.0.0.1", port: 1025, credentials: null },
    clientName: "agendas.test",
    from: "digest@agendas.test",
    to: ["ada@example.com", "bo@example.com"],
    message: "Subject: hi\r\n\r\n.leading dot\r\nlast line",
    replyTimeoutMs: 1_000,
    sessionTimeoutMs: 5_000,
    connect,
    ...overrides,
  };
}

describe("sendSmtp against a scripted server", () => {
  it("reads replies that arrive a byte at a time, and speaks the protocol in order", async () => {
    const server = scripted({ greeting: "220-test.example ESMTP\r\n220 ready\r\n", answer: polite });
    expect(await sendSmtp(request(server.connect))).toEqual({ kind: "delivered" });
    expect(server.seen).toEqual([
      "EHLO agendas.test",
      "MAIL FROM:<digest@agendas.test>",
      "RCPT TO:<ada@example.com>",
      "RCPT TO:<bo@example.com>",
      "DATA",
      "<message>Subject: hi\n\n..leading dot\nlast line",
      "QUIT",
    ]);
    expect(server.closes()).toBe(1);
  });

  it("stops at once when the server hangs up, instead of reading a closed socket for ever", async () => {
    const server = scripted({
      greeting: "220 ready\r\n",
      answer: (command) => (command.startsWith("EHLO") ? "close" : null),
    });
    // Timeouts far beyond the test's own: a client that kept reading the closed socket would time the
    // test out, and a reply timeout would say so in the reason.
    expect(
      await sendSmtp(request(server.connect, { replyTimeoutMs: 600_000, sessionTimeoutMs: 600_000 })),
    ).toEqual({
      kind: "retry",
      reason: "SMTP server closed the connection instead of answering EHLO",
    });
    expect(server.closes()).toBe(1);
  });

  it("retries a server that sends something that is not SMTP", async () => {
    const server = scripted({ greeting: "HTTP/1.1 400 Bad Request\r\n", answer: () => null });
    expect(await sendSmtp(request(server.connect))).toEqual({
      kind: "retry",
      reason: "SMTP server sent a line that is not an SMTP reply",
    });
    expect(server.closes()).toBe(1);
  });

  it("retries a 421 greeting and fails a 5xx refusal for good, with QUIT after a refusal", async () => {
    const busy = scripted({ greeting: "421 4.3.2 Too busy\r\n", answer: polite });
    expect(await sendSmtp(request(busy.connect))).toEqual({
      kind: "retry",
      reason: "SMTP server greeted us with 421 4.3.2 (service not available)",
    });
    const refusing = scripted({
      greeting: "220 ready\r\n",
      answer: (command) =>
        command.startsWith("MAIL") ? "530 5.7.0 Authentication required\r\n" : polite(command),
    });
    expect(await sendSmtp(request(refusing.connect))).toEqual({
      kind: "permanent",
      reason: "SMTP server refused the sender with 530 5.7.0 (authentication required)",
    });
    expect(refusing.seen.at(-1)).toBe("QUIT");
    expect(refusing.closes()).toBe(1);
  });

  it("does not send a message the server's SIZE limit would refuse", async () => {
    const server = scripted({ greeting: "220 ready\r\n", answer: polite });
    const outcome = await sendSmtp(
      request(server.connect, { message: `Subject: big\r\n\r\n${"x".repeat(2_000)}` }),
    );
    expect(outcome).toMatchObject({ kind: "permanent", reason: expect.stringMatching(/limit of 1000$/u) });
    expect(server.seen.some((line) => line.startsWith("MAIL"))).toBe(false);
  });

  it("gives up on a server that answers too slowly, per reply and per session", async () => {
    const slow = scripted({ greeting: "220 ready\r\n", answer: polite, delayMs: 300 });
    expect(await sendSmtp(request(slow.connect, { replyTimeoutMs: 100 }))).toEqual({
      kind: "retry",
      reason: "SMTP server did not answer the greeting within 100 ms",
    });
    const steady = scripted({ greeting: "220 ready\r\n", answer: polite, delayMs: 60 });
    expect(await sendSmtp(request(steady.connect, { replyTimeoutMs: 1_000, sessionTimeoutMs: 250 }))).toEqual(
      {
        kind: "retry",
        reason: "SMTP session took longer than 250 ms",
      },
    );
    expect(slow.closes()).toBe(1);
    expect(steady.closes()).toBe(1);
  });

  it("refuses to put a line break into a command", async () => {
    const server = scripted({ greeting: "220 ready\r\n", answer: polite });
    const outcome = await sendSmtp(
      request(server.connect, { to: ["ada@example.com>\r\nRCPT TO:<eve@example.com"] }),
    );
    expect(outcome).toEqual({
      kind: "permanent",
      reason: "refusing to send RCPT TO: it contains a line break",
    });
    expect(server.seen.filter((line) => line.startsWith("RCPT"))).toEqual([]);
  });

  it("keeps only the reply code and our words in a reason, whatever the server echoes", async () => {
    const user = "ada-smtp-user@example.net";
    const password = 'hunter2"quoted\\pw';
    const echo = `535 5.7.8 Username ${user} with password ${password} rejected by relay.internal.example\r\n`;
    const server = scripted({
      greeting: `220 relay.internal.example ready for ${user}\r\n`,
      answer: (command) => (command.startsWith("AUTH") ? echo : polite(command)),
    });
    const outcome = await sendSmtp(
      request(server.connect, {
        // Implicit TLS in the settings so the client will authenticate; the fake socket plays along.
        settings: {
          security: "implicit",
          hostname: "smtp.example.net",
          port: 465,
          credentials: { username: user, password },
        },
      }),
    );
    expect(outcome).toEqual({
      kind: "permanent",
      reason: "SMTP server refused the user and password (535 5.7.8 (authentication credentials invalid))",
    });
    const reason = outcome.kind === "delivered" ? "" : outcome.reason;
    for (const part of [user, "ada-smtp-user", password, "hunter2", "relay.internal", "smtp.example.net"]) {
      expect(reason).not.toContain(part);
    }
  });

  it("says what a refused recipient's code means, not what the server wrote about it", async () => {
    const server = scripted({
      greeting: "220 ready\r\n",
      answer: (command) =>
        command.startsWith("RCPT TO:<bo@")
          ? "550 5.1.1 <bo@example.com> unknown; you are ada-smtp-user\r\n"
          : polite(command),
    });
    expect(await sendSmtp(request(server.connect))).toEqual({
      kind: "permanent",
      reason: "SMTP server refused recipient bo@example.com (550 5.1.1 (mailbox unavailable))",
    });
  });
});
