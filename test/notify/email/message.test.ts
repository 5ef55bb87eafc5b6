// The stored email message and the MIME composed from it: the payload is validated where it is written
// and where it is read, names are cleaned to one line, and the raw message is checked by a real parser
// (mailparser, on the SMTP test server's /parse): UTF-8 names and subjects survive, lines stay short,
// nothing a name or subject holds can add a header, and the same input always gives the same bytes.
import { describe, expect, inject, it } from "vitest";
import { smtpControl } from "../../../emulators/smtp/control";
import {
  EmailMessageError,
  emailMessagePayload,
  emailMessageSchema,
  MAX_EMAIL_RECIPIENTS,
  parseEmailMessage,
} from "../../../src/notify/email/message";
import { composeMime, type MimeMessageInput, rfc5322Date } from "../../../src/notify/email/mime";
import { messageIdFor } from "../../../src/notify/email/send";
import { dataBlock } from "../../../src/notify/email/smtp";

const control = smtpControl(inject("smtp").controlUrl);

const CONTENT = {
  subject: "1:1 Ada / Bo — Tue 31 Mar 2026: 1 open item",
  text: "Hello\nBo",
  html: "<p>Hi</p>",
};
const ENVELOPE = {
  via: "smtp" as const,
  from: { name: "Zoë Åström", email: "digest@agendas.test" },
  to: [{ name: "Bo Chen", email: "bo@example.com" }],
};

function mime(overrides: Partial<MimeMessageInput> = {}): string {
  return composeMime({
    from: ENVELOPE.from,
    to: ENVELOPE.to,
    subject: CONTENT.subject,
    text: CONTENT.text,
    html: CONTENT.html,
    messageId: "<dlv_0123abcd@agendas.test>",
    date: new Date("2026-03-30T08:00:00Z"),
    ...overrides,
  });
}

function headerNames(raw: string): string[] {
  const head = raw.slice(0, raw.indexOf("\r\n\r\n"));
  return head
    .split("\r\n")
    .filter((line) => !line.startsWith(" "))
    .map((line) => line.slice(0, line.indexOf(":")).toLowerCase());
}

describe("emailMessagePayload", () => {
  it("stores the content with its envelope, readable back through the schema", () => {
    const payload = emailMessagePayload(CONTENT, ENVELOPE);
    expect(parseEmailMessage(payload)).toEqual({
      ok: true,
      message: { version: 1, via: "smtp", from: ENVELOPE.from, to: ENVELOPE.to, ...CONTENT },
    });
  });

  it("cleans display names to one line and drops empty ones", () => {
    const payload = emailMessagePayload(CONTENT, {
      ...ENVELOPE,
      to: [
        { name: "Bo\r\nBcc: victim@example.com", email: "bo@example.com" },
        { name: " \t ", email: "ada@example.com" },
      ],
    });
    const parsed = parseEmailMessage(payload);
    expect(parsed.ok && parsed.message.to).toEqual([
      { name: "Bo Bcc: victim@example.com", email: "bo@example.com" },
      { email: "ada@example.com" },
    ]);
  });

  it("refuses what cannot be sent, naming the field", () => {
    const refused = (change: () => string) => {
      try {
        change();
      } catch (error) {
        expect(error).toBeInstanceOf(EmailMessageError);
        return error instanceof Error ? error.message : "";
      }
      throw new Error("expected EmailMessageError");
    };
    expect(refused(() => emailMessagePayload(CONTENT, { ...ENVELOPE, to: [] }))).toBe(
      "invalid email message: to: must list at least one recipient",
    );
    expect(
      refused(() =>
        emailMessagePayload(CONTENT, { ...ENVELOPE, to: [{ email: "bo@example.com>\r\nRCPT TO:<x" }] }),
      ),
    ).toBe("invalid email message: to.0.email: must be an email address");
    expect(
      refused(() => emailMessagePayload({ ...CONTENT, subject: "Hi\r\nBcc: x@example.com" }, ENVELOPE)),
    ).toBe("invalid email message: subject: must be one line without control characters");
    const many = Array.from({ length: MAX_EMAIL_RECIPIENTS + 1 }, (_, index) => ({
      email: `p${index}@example.com`,
    }));
    expect(refused(() => emailMessagePayload(CONTENT, { ...ENVELOPE, to: many }))).toMatch(
      /^invalid email message: to: /u,
    );
  });

  it("reads back a bad payload as a reason, not a crash", () => {
    expect(parseEmailMessage("{not json")).toEqual({ ok: false, reason: "email payload is not JSON" });
    const stored = JSON.parse(emailMessagePayload(CONTENT, ENVELOPE));
    expect(parseEmailMessage(JSON.stringify({ ...stored, version: 2 }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^email payload is not a valid message: version: /u),
    });
    expect(parseEmailMessage(JSON.stringify({ ...stored, via: "carrier-pigeon" }))).toMatchObject({
      ok: false,
    });
    expect(emailMessageSchema.safeParse({ ...stored, from: { email: "digest@agendas.test" } }).success).toBe(
      true,
    );
  });

  it("uses the delivery id as the Message-ID at the sender's domain", () => {
    expect(messageIdFor("dlv_00ff", "Digest@Agendas.TEST")).toBe("<dlv_00ff@agendas.test>");
  });
});

describe("composeMime", () => {
  it("writes a multipart/alternative message a mail parser reads back exactly", async () => {
    const raw = mime({
      to: [
        { name: "Björn Ødegård", email: "bjorn@example.com" },
        { name: "李小龍", email: "lee@example.com" },
        { email: "plain@example.com" },
        { name: 'Chen, Bo "Boss" <b>', email: "bo@example.com" },
      ],
      subject: "Ship 🚀 with the 👨‍👩‍👧‍👦 family — Zoë's 1:1",
      text: "line 1\nline 2 ü\n.starts with a dot",
      html: "<p>Zoë &amp; Bo</p>",
    });
    const parsed = await control.parse(raw);
    expect(parsed.from).toEqual([{ name: "Zoë Åström", address: "digest@agendas.test" }]);
    expect(parsed.to).toEqual([
      { name: "Björn Ødegård", address: "bjorn@example.com" },
      { name: "李小龍", address: "lee@example.com" },
      { name: "", address: "plain@example.com" },
      { name: 'Chen, Bo "Boss" <b>', address: "bo@example.com" },
    ]);
    expect(parsed.subject).toBe("Ship 🚀 with the 👨‍👩‍👧‍👦 family — Zoë's 1:1");
    expect(parsed.messageId).toBe("<dlv_0123abcd@agendas.test>");
    expect(parsed.date).toBe("2026-03-30T08:00:00.000Z");
    expect(parsed.text).toBe("line 1\nline 2 ü\n.starts with a dot");
    expect(parsed.html).toBe("<p>Zoë &amp; Bo</p>");
    expect(parsed.contentTypes).toEqual(["multipart/alternative", "text/plain", "text/html"]);
    expect(parsed.headers).toContainEqual(["mime-version", "1.0"]);
    expect(raw).toContain("Date: Mon, 30 Mar 2026 08:00:00 +0000\r\n");
  });

  it("keeps every line short and 7-bit, however long the names and subject", async () => {
    const subject = `${"Zoë 李小龍 🚀 ".repeat(60)}end`;
    const name = `${"Åsa-Britt ".repeat(20)}李`;
    const raw = mime({ subject, from: { name, email: "digest@agendas.test" } });
    expect(raw).toMatch(/^[\x20-\x7E\r\n]*$/u);
    expect(raw.replace(/\r\n/gu, "")).not.toMatch(/[\r\n]/u);
    for (const line of raw.split("\r\n")) expect(line.length, line).toBeLessThanOrEqual(76);
    const parsed = await control.parse(raw);
    expect(parsed.subject).toBe(subject.trim());
    expect(parsed.from[0]?.name).toBe(name.trim());
  });

  it("keeps ASCII subjects and names readable, and never lets text pose as an encoded-word", async () => {
    const raw = mime({
      subject: "Weekly 1:1 =?UTF-8?B?SGFja2Vk?= notes",
      to: [{ name: "Ada Lovelace", email: "a@example.com" }],
    });
    expect(raw).toContain("To: Ada Lovelace <a@example.com>\r\n");
    const parsed = await control.parse(raw);
    expect(parsed.subject).toBe("Weekly 1:1 =?UTF-8?B?SGFja2Vk?= notes");
    expect((await control.parse(mime({ subject: "Plain subject" }))).subject).toBe("Plain subject");
    expect(mime({ subject: "Plain subject" })).toContain("Subject: Plain subject\r\n");
  });

  it("cannot be made to add a header through a name or the subject", async () => {
    // Straight to the composer, past the schema that would refuse these.
    const raw = mime({
      from: { name: "Eve\r\nBcc: victim@example.com", email: "digest@agendas.test" },
      to: [{ name: "Bo\nX-Injected: yes", email: "bo@example.com" }],
      subject: "Hi\r\nBcc: victim@example.com\r\n\r\n<script>",
    });
    expect(headerNames(raw)).toEqual([
      "date",
      "from",
      "to",
      "subject",
      "message-id",
      "auto-submitted",
      "mime-version",
      "content-type",
    ]);
    const parsed = await control.parse(raw);
    expect(parsed.headers.map(([key]) => key)).not.toContain("bcc");
    expect(parsed.headers.map(([key]) => key)).not.toContain("x-injected");
    expect(parsed.subject).toBe("Hi Bcc: victim@example.com <script>");
    expect(parsed.to).toEqual([{ name: "Bo X-Injected: yes", address: "bo@example.com" }]);
  });

  it("gives the same bytes for the same message, so every attempt sends the same thing", () => {
    expect(mime()).toBe(mime());
    expect(mime({ messageId: "<dlv_ffff@agendas.test>" })).not.toBe(mime());
    expect(rfc5322Date(new Date("2026-01-05T07:08:09Z"))).toBe("Mon, 05 Jan 2026 07:08:09 +0000");
    expect(() => mime({ messageId: "dlv_1@agendas.test" })).toThrow(/Message-ID/u);
    expect(() => mime({ messageId: "<dlv_1@agendas.test>\r\nBcc: x" })).toThrow(/Message-ID/u);
  });
});

describe("dataBlock", () => {
  it("sends CRLF line ends, dot-stuffs lines that start with a dot, and ends with <CRLF>.<CRLF>", () => {
    expect(dataBlock("a\n.b\r\n..c\rd")).toBe("a\r\n..b\r\n...c\r\nd\r\n.\r\n");
    expect(dataBlock("x\r\n")).toBe("x\r\n.\r\n");
    expect(dataBlock(".\r\n")).toBe("..\r\n.\r\n");
  });
});
