// Email digests through the outbox to a REAL SMTP server process on loopback (emulators/smtp/server.ts:
// nodemailer's smtp-server, every message parsed with mailparser on arrival), over STARTTLS and implicit
// TLS that workerd verifies against the test CA. What a person's mail client would show is what is
// asserted: names, subject, both parts, the Message-ID, one copy per retry story, and refusals that say
// why without a password in sight.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, inject, it } from "vitest";
import {
  type SessionEvent,
  SMTP_TEST_PASSWORD,
  SMTP_TEST_USER,
  type SmtpListener,
} from "../../../emulators/smtp/constants";
import { smtpControl } from "../../../emulators/smtp/control";
import { sendSmtp } from "../../../src/notify/email/smtp";
import { parseSmtpUrl } from "../../../src/notify/email/smtp-url";
import { HOSTILE_TEXTS, input, item } from "../channels/fixtures";
import {
  capture,
  DIGEST_EMAIL_TAGS,
  enqueueEmail,
  FROM,
  htmlTagNames,
  store,
  storedRows,
  tick,
} from "./support";

const smtp = inject("smtp");
const control = smtpControl(smtp.controlUrl);

function url(listener: SmtpListener, options: { scheme?: string; password?: string; query?: string } = {}) {
  const user = encodeURIComponent(SMTP_TEST_USER);
  const password = encodeURIComponent(options.password ?? SMTP_TEST_PASSWORD);
  return `${options.scheme ?? "smtp"}://${user}:${password}@127.0.0.1:${smtp.ports[listener]}${options.query ?? ""}`;
}

const SECRETS: Record<string, string> = {
  SMTP_STARTTLS: url("starttls"),
  SMTP_IMPLICIT: url("implicit", { scheme: "smtps" }),
  SMTP_LOGIN_ONLY: url("loginOnly"),
  SMTP_WRONG_PASSWORD: url("starttls", { password: "not-the-Pässword-42" }),
  SMTP_NO_STARTTLS: url("plain"),
  SMTP_LOCAL_RELAY: `smtp://127.0.0.1:${smtp.ports.plain}?tls=none`,
  SMTP_UNTRUSTED: url("untrusted", { scheme: "smtps" }),
  SMTP_UNTRUSTED_STARTTLS: url("untrustedStarttls"),
  SMTP_MALFORMED: `smtp://${encodeURIComponent(SMTP_TEST_USER)}:${encodeURIComponent(SMTP_TEST_PASSWORD)}@127.0.0.1:${smtp.ports.starttls}?starttls=no`,
};
const secrets = (name: string) => SECRETS[name];

/** Every secret value and the parts that make it secret; none may appear in a reason, row or log. */
const SECRET_TEXTS = [
  ...Object.values(SECRETS),
  SMTP_TEST_PASSWORD,
  encodeURIComponent(SMTP_TEST_PASSWORD),
  "not-the-Pässword-42",
];

function expectNoSecrets(texts: readonly string[]) {
  for (const text of texts) {
    for (const secret of SECRET_TEXTS) expect(text).not.toContain(secret);
  }
}

/** A fresh recipient per test, so faults and messages of tests in other files never mix with ours. */
function recipient(tag: string) {
  return { name: "Björn Ødegård", email: `bjorn+${tag}-${crypto.randomUUID().slice(0, 8)}@example.com` };
}

/** The session events recorded after `since` on one listener. */
async function eventsSince(since: number, listener: SmtpListener): Promise<SessionEvent[]> {
  return (await control.events()).slice(since).filter((event) => event.listener === listener);
}

beforeEach(async () => {
  await env.DB.prepare("DELETE FROM deliveries").run();
});

describe("email over SMTP (happy)", () => {
  it("delivers a digest over STARTTLS + AUTH that a mail client reads as written", async () => {
    const to = [
      recipient("happy"),
      { name: "李小龍", email: `lee-${crypto.randomUUID().slice(0, 8)}@example.com` },
    ];
    const { id } = await enqueueEmail({
      meetingKey: "ada-zoe/2026-03-31",
      via: "smtp",
      secretName: "SMTP_STARTTLS",
      to,
    });
    const { lines, log } = capture();
    const before = (await control.events()).length;

    const result = await tick(Date.parse("2026-03-30T08:00:00Z"), { secrets, log });
    expect(result.results).toEqual([{ id, channel: "email", status: "delivered", attempts: 1 }]);

    const [message, ...others] = await control.messagesWithId(`<${id}@agendas.test>`);
    expect(others).toEqual([]);
    if (message === undefined) throw new Error("the server received nothing");
    expect(message.listener).toBe("starttls");
    expect(message.secure).toBe(true);
    expect(message.user).toBe(SMTP_TEST_USER);
    expect(message.envelope).toEqual({ mailFrom: FROM.email, rcptTo: to.map((mailbox) => mailbox.email) });
    expect(message.from).toEqual([{ name: "Zoë Åström", address: "digest@agendas.test" }]);
    expect(message.to).toEqual(to.map((mailbox) => ({ name: mailbox.name, address: mailbox.email })));
    expect(message.subject).toBe(
      "1:1 Ada 🚀 Lovelace / Zoë Åström — Tue 31 Mar 2026: 2 open items (1 overdue)",
    );
    expect(message.contentTypes).toEqual(["multipart/alternative", "text/plain", "text/html"]);
    expect(message.text).toContain("Write the migration plan");
    expect(message.text).toContain("Book the offsite 🏕️");
    expect(message.html).toContain(`<a href="https://www.notion.so/acme/`);
    expect(message.html).toContain("Book the offsite 🏕️");
    // The row's creation (enqueue) time is the message's Date, whenever the attempt runs.
    expect(message.date).toBe(new Date(0).toISOString());
    expect(message.headers).toContainEqual(["auto-submitted", "auto-generated"]);
    // Transport-safe: 7-bit, CRLF, short lines (RFC 5322 allows 998; we keep to 76 but for the
    // Message-ID, which cannot be folded).
    expect(message.raw).toMatch(/^[\x20-\x7E\r\n\t]*$/u);
    for (const line of message.raw.split("\r\n")) {
      if (!line.startsWith("Message-ID: ")) expect(line.length, line).toBeLessThanOrEqual(76);
    }

    // AUTH only ever under TLS, and EHLO named the sender's domain (a Worker has no host name).
    const events = await eventsSince(before, "starttls");
    const ours = events.filter((event) => event.session === events.find((e) => e.type === "data")?.session);
    expect(ours.map((event) => [event.type, event.secure])).toEqual([
      ["connect", false],
      ["auth", true],
      ["mail", true],
      ["rcpt", true],
      ["rcpt", true],
      ["data", true],
    ]);
    expect(ours.find((event) => event.type === "auth")?.detail).toBe("PLAIN ok");
    expect(ours.find((event) => event.type === "mail")?.clientName).toBe("agendas.test");
    expectNoSecrets([...lines, await storedRows(["ada-zoe/2026-03-31"])]);
  });

  it("makes hostile item text arrive harmless and readable in both parts", async () => {
    const to = [recipient("hostile")];
    const hostile = input(
      Object.values(HOSTILE_TEXTS).map((text) => item({ text })),
      { agendaUrl: "javascript:alert(1)" },
    );
    const { id } = await enqueueEmail({
      meetingKey: "hostile/2026-03-31",
      via: "smtp",
      secretName: "SMTP_STARTTLS",
      to,
      digest: hostile,
    });
    await tick(0, { secrets });
    const [message] = await control.messagesWithId(`<${id}@agendas.test>`);
    const html = message?.html ?? "";
    const text = message?.text ?? "";
    // Every tag in the document is one of ours: nothing the items said became markup.
    // The hostile digest's agenda link is not http(s), so it is never linked: no "a".
    expect(htmlTagNames(html)).toEqual(DIGEST_EMAIL_TAGS.filter((tag) => tag !== "a"));
    expect(html).not.toContain("javascript:");
    expect(html).toContain(
      "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;",
    );
    expect(html).toContain("&lt;!channel&gt; &lt;!here&gt;");
    expect(text).toContain(HOSTILE_TEXTS.script);
    expect(text).toContain(HOSTILE_TEXTS.markdown);
    expect(text).toContain("Agenda: (no link available)");
  });

  it("delivers over implicit TLS (smtps://)", async () => {
    const { id } = await enqueueEmail({
      meetingKey: "implicit/2026-03-31",
      via: "smtp",
      secretName: "SMTP_IMPLICIT",
      to: [recipient("implicit")],
    });
    expect((await tick(0, { secrets })).results[0]).toMatchObject({ id, status: "delivered" });
    const [message] = await control.messagesWithId(`<${id}@agendas.test>`);
    expect(message).toMatchObject({ listener: "implicit", secure: true, user: SMTP_TEST_USER });
  });

  it("logs in with AUTH LOGIN when the server offers no PLAIN", async () => {
    const before = (await control.events()).length;
    const { id } = await enqueueEmail({
      meetingKey: "login/2026-03-31",
      via: "smtp",
      secretName: "SMTP_LOGIN_ONLY",
      to: [recipient("login")],
    });
    expect((await tick(0, { secrets })).results[0]).toMatchObject({ id, status: "delivered" });
    const auth = (await eventsSince(before, "loginOnly")).filter((event) => event.type === "auth");
    expect(auth.map((event) => [event.detail, event.secure])).toEqual([["LOGIN ok", true]]);
    expect(await control.messagesWithId(`<${id}@agendas.test>`)).toHaveLength(1);
  });

  it("sends to a local relay without TLS or AUTH only when the URL says tls=none", async () => {
    const before = (await control.events()).length;
    const { id } = await enqueueEmail({
      meetingKey: "relay/2026-03-31",
      via: "smtp",
      secretName: "SMTP_LOCAL_RELAY",
      to: [recipient("relay")],
    });
    expect((await tick(0, { secrets })).results[0]).toMatchObject({ id, status: "delivered" });
    const [message] = await control.messagesWithId(`<${id}@agendas.test>`);
    expect(message).toMatchObject({ listener: "plain", secure: false, user: null });
    expect((await eventsSince(before, "plain")).some((event) => event.type === "auth")).toBe(false);
  });
});

describe("email over SMTP (retry and failure)", () => {
  it("retries a 451 at RCPT TO and then delivers exactly once", async () => {
    const to = [recipient("rcpt451")];
    await control.fault({
      stage: "rcpt",
      code: 451,
      message: "4.3.0 Try again later",
      recipient: to[0]?.email,
    });
    const { id } = await enqueueEmail({
      meetingKey: "rcpt451/2026-03-31",
      via: "smtp",
      secretName: "SMTP_STARTTLS",
      to,
    });
    const t0 = 1_800_000_000_000;

    const first = await tick(t0, { secrets });
    expect(first.results).toEqual([
      {
        id,
        channel: "email",
        status: "retry",
        attempts: 1,
        nextAttemptAt: t0 + 30_000,
        reason: `SMTP server refused recipient ${to[0]?.email} (451 4.3.0 (local error in processing))`,
      },
    ]);
    expect(await control.messagesWithId(`<${id}@agendas.test>`)).toEqual([]);
    expect((await tick(t0 + 30_000, { secrets })).results[0]).toMatchObject({
      status: "delivered",
      attempts: 2,
    });
    expect((await tick(t0 + 86_400_000, { secrets })).claimed).toBe(0);
    expect(await control.messagesWithId(`<${id}@agendas.test>`)).toHaveLength(1);
    expect(await store.get(id)).toMatchObject({ status: "delivered", lastError: null });
  });

  it("retries a 451 after DATA (message not taken) and then delivers exactly once", async () => {
    const to = [recipient("data451")];
    await control.fault({ stage: "data", code: 451, recipient: to[0]?.email });
    const { id } = await enqueueEmail({
      meetingKey: "data451/2026-03-31",
      via: "smtp",
      secretName: "SMTP_STARTTLS",
      to,
    });
    const first = await tick(0, { secrets });
    expect(first.results[0]).toMatchObject({ status: "retry" });
    expect(first.results[0]?.status === "retry" ? first.results[0].reason : "").toMatch(
      /^SMTP server refused the message with 451 /u,
    );
    await tick(60 * 60_000, { secrets });
    expect(await control.messagesWithId(`<${id}@agendas.test>`)).toHaveLength(1);
    expect(await store.get(id)).toMatchObject({ status: "delivered", attempts: 2 });
  });

  it("fails a 550 recipient with a clear reason and still delivers the other deliveries", async () => {
    const refused = recipient("rcpt550");
    await control.fault({
      stage: "rcpt",
      code: 550,
      message: "5.1.1 Mailbox unavailable",
      recipient: refused.email,
    });
    const failing = await enqueueEmail({
      meetingKey: "rcpt550/2026-03-31",
      via: "smtp",
      secretName: "SMTP_STARTTLS",
      to: [refused],
    });
    const other = await enqueueEmail({
      meetingKey: "rcpt550-other/2026-03-31",
      via: "smtp",
      secretName: "SMTP_IMPLICIT",
      to: [recipient("unaffected")],
    });
    const { lines, log } = capture();
    await tick(0, { secrets, log });
    expect(await store.get(failing.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: `SMTP server refused recipient ${refused.email} (550 5.1.1 (mailbox unavailable))`,
    });
    expect(await store.get(other.id)).toMatchObject({ status: "delivered" });
    expect(await control.messagesWithId(`<${failing.id}@agendas.test>`)).toEqual([]);
    expect(await control.messagesWithId(`<${other.id}@agendas.test>`)).toHaveLength(1);
    expect((await tick(30 * 86_400_000, { secrets })).claimed).toBe(0);
    expect(lines.some((line) => line.includes('"outbox.failed"') && line.includes("550 5.1.1"))).toBe(true);
  });

  it("sends to nobody when one of two recipients is refused, so a retry never duplicates", async () => {
    const accepted = recipient("accepted");
    const refused = recipient("busy");
    await control.fault({ stage: "rcpt", code: 452, recipient: refused.email });
    const { id } = await enqueueEmail({
      meetingKey: "partial/2026-03-31",
      via: "smtp",
      secretName: "SMTP_STARTTLS",
      to: [accepted, refused],
    });
    expect((await tick(0, { secrets })).results[0]).toMatchObject({ status: "retry" });
    expect(await control.messagesWithId(`<${id}@agendas.test>`)).toEqual([]);
    await tick(3_600_000, { secrets });
    const received = await control.messagesWithId(`<${id}@agendas.test>`);
    expect(received.map((message) => message.envelope.rcptTo)).toEqual([[accepted.email, refused.email]]);
  });

  it("fails a wrong password for good, without the password anywhere", async () => {
    const before = (await control.events()).length;
    const { id } = await enqueueEmail({
      meetingKey: "wrongpass/2026-03-31",
      via: "smtp",
      secretName: "SMTP_WRONG_PASSWORD",
      to: [recipient("wrongpass")],
    });
    const { lines, log } = capture();
    const result = await tick(0, { secrets, log });
    expect(result.results[0]).toMatchObject({
      status: "failed",
      reason: "SMTP server refused the user and password (535 5.7.8 (authentication credentials invalid))",
    });
    const events = await eventsSince(before, "starttls");
    expect(
      events.filter((event) => event.type === "auth").map((event) => [event.detail, event.secure]),
    ).toEqual([["PLAIN refused", true]]);
    expect(events.some((event) => event.type === "mail")).toBe(false);
    expect((await store.get(id))?.status).toBe("failed");
    expectNoSecrets([...lines, await storedRows(["wrongpass/2026-03-31"]), JSON.stringify(result)]);
  });

  it("refuses, before AUTH, a smtp:// server that does not offer STARTTLS", async () => {
    const before = (await control.events()).length;
    const { id } = await enqueueEmail({
      meetingKey: "nostarttls/2026-03-31",
      via: "smtp",
      secretName: "SMTP_NO_STARTTLS",
      to: [recipient("nostarttls")],
    });
    const { lines, log } = capture();
    await tick(0, { secrets, log });
    const row = await store.get(id);
    expect(row?.status).toBe("failed");
    expect(row?.lastError).toMatch(/^SMTP server does not offer STARTTLS, so nothing was sent/u);
    // The server (which would even take AUTH in clear text) saw a connection and nothing more.
    const events = await eventsSince(before, "plain");
    expect(events.map((event) => event.type)).toEqual(["connect"]);
    expect(await control.messagesWithId(`<${id}@agendas.test>`)).toEqual([]);
    expectNoSecrets([...lines, await storedRows(["nostarttls/2026-03-31"])]);
  });

  it.each([
    ["SMTP_UNTRUSTED", "untrusted", /^could not connect to the SMTP server over TLS \(/u],
    [
      "SMTP_UNTRUSTED_STARTTLS",
      "untrustedStarttls",
      /^could not establish TLS with the SMTP server after STARTTLS \(/u,
    ],
  ] as const)(
    "does not trust a certificate the CA did not sign (%s), and retries",
    async (secretName, listener, expected) => {
      const before = (await control.events()).length;
      const { id } = await enqueueEmail({
        meetingKey: `${listener}/2026-03-31`,
        via: "smtp",
        secretName,
        to: [recipient(listener)],
      });
      const result = await tick(0, { secrets, policy: { timeoutMs: 3_000 } });
      expect(result.results[0]).toMatchObject({ id, status: "retry" });
      const reason = result.results[0]?.status === "retry" ? result.results[0].reason : "";
      expect(reason).toMatch(expected);
      expect((await eventsSince(before, listener)).some((event) => event.type === "auth")).toBe(false);
      expectNoSecrets([reason]);
    },
  );

  it("retries a server that does not greet within the timeout", async () => {
    const to = [recipient("slow")];
    await control.fault({ stage: "connect", delayMs: 1_500, listener: "implicit" });
    const { id } = await enqueueEmail({
      meetingKey: "slow/2026-03-31",
      via: "smtp",
      secretName: "SMTP_IMPLICIT",
      to,
    });
    const result = await tick(0, { secrets, policy: { timeoutMs: 300 } });
    expect(result.results[0]).toMatchObject({
      id,
      status: "retry",
      reason: "SMTP server did not answer the greeting within 300 ms",
    });
    expect(await control.messagesWithId(`<${id}@agendas.test>`)).toEqual([]);
  });

  it("fails unusable settings by the secret's name: unset, malformed, a bad payload", async () => {
    const missing = await enqueueEmail({
      meetingKey: "settings/2026-03-31",
      channelKey: "missing",
      via: "smtp",
      secretName: "SMTP_NOT_SET",
      to: [recipient("x")],
    });
    const malformed = await enqueueEmail({
      meetingKey: "settings/2026-03-31",
      channelKey: "malformed",
      via: "smtp",
      secretName: "SMTP_MALFORMED",
      to: [recipient("y")],
    });
    const { id: badPayload } = await store.enqueue({
      meetingKey: "settings/2026-03-31",
      channelKey: "bad",
      channel: "email",
      secretName: "SMTP_STARTTLS",
      payload: JSON.stringify({ version: 1, via: "smtp", to: [] }),
      nowMs: 0,
    });
    const { lines, log } = capture();
    await tick(0, { secrets, log });
    expect((await store.get(missing.id))?.lastError).toBe("secret SMTP_NOT_SET is not set");
    expect((await store.get(malformed.id))?.lastError).toBe(
      "secret SMTP_MALFORMED is not a usable SMTP URL: the only parameter allowed is tls=none",
    );
    expect((await store.get(badPayload))?.lastError).toMatch(
      /^email payload is not a valid message: from: /u,
    );
    for (const id of [missing.id, malformed.id, badPayload])
      expect((await store.get(id))?.status).toBe("failed");
    expectNoSecrets([...lines, await storedRows(["settings/2026-03-31"])]);
  });
});

describe("sendSmtp (security)", () => {
  it("never sends a password on a connection that is not TLS, even if handed such settings", async () => {
    const before = (await control.events()).length;
    const outcome = await sendSmtp({
      // Settings parseSmtpUrl never produces (tls=none with credentials): the client must still refuse.
      settings: {
        security: "none",
        hostname: "127.0.0.1",
        port: smtp.ports.plain,
        credentials: { username: SMTP_TEST_USER, password: SMTP_TEST_PASSWORD },
      },
      clientName: "agendas.test",
      from: FROM.email,
      to: ["nobody@example.com"],
      message: "Subject: x\r\n\r\nx\r\n",
      replyTimeoutMs: 5_000,
      sessionTimeoutMs: 10_000,
    });
    expect(outcome).toEqual({ kind: "permanent", reason: "refusing to send the SMTP password without TLS" });
    expect((await eventsSince(before, "plain")).map((event) => event.type)).toEqual(["connect"]);
  });

  it("percent-decodes the password and sends it as UTF-8 (a Latin-1 btoa would be refused)", async () => {
    const parsed = parseSmtpUrl(SECRETS.SMTP_STARTTLS ?? "", "SMTP_STARTTLS");
    expect(parsed.ok && parsed.settings.credentials).toEqual({
      username: SMTP_TEST_USER,
      password: SMTP_TEST_PASSWORD,
    });
  });
});

describe("SMTP host rule (security)", () => {
  it("sends nothing to an SMTP server on loopback unless the setting allows it", async () => {
    const before = (await control.events()).length;
    const { id } = await enqueueEmail({
      meetingKey: "loopback-refused/2026-03-31",
      via: "smtp",
      secretName: "SMTP_STARTTLS",
      to: [recipient("loopback")],
    });
    const { lines, log } = capture();
    const result = await tick(0, { secrets, log, allowPrivateHosts: false });
    expect(result.results[0]).toMatchObject({
      id,
      status: "failed",
      reason:
        "email not sent: secret SMTP_STARTTLS points at a loopback address, where digests are not sent (ALLOW_PRIVATE_DIGEST_HOSTS=true allows it for local testing)",
    });
    expect(await eventsSince(before, "starttls")).toEqual([]);
    expectNoSecrets([...lines, await storedRows(["loopback-refused/2026-03-31"]), JSON.stringify(result)]);
  });

  it("reads the host's numbers as an address, so 2130706433 is loopback too", async () => {
    const { id } = await enqueueEmail({
      meetingKey: "decimal-host/2026-03-31",
      via: "smtp",
      secretName: "SMTP_DECIMAL",
      to: [recipient("decimal")],
    });
    const decimal = { SMTP_DECIMAL: `smtps://user:pw-secret@2130706433:${smtp.ports.implicit}` };
    const result = await tick(0, {
      secrets: (name) => decimal[name as "SMTP_DECIMAL"],
      allowPrivateHosts: false,
    });
    expect(result.results[0]).toMatchObject({
      id,
      status: "failed",
      reason: expect.stringContaining("secret SMTP_DECIMAL points at a loopback address"),
    });
  });
});
