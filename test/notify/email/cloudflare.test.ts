// Email digests through Cloudflare's send_email binding: Miniflare's local binding (configured in
// vitest.config.ts) checks what Cloudflare checks (the raw message parses, has a Message-ID, its From
// matches the envelope sender, sender and recipient are allowed); a recording binding shows exactly what
// was handed over, parsed by mailparser on the SMTP test server's /parse; and the outbox turns a missing
// binding, a refusal or an outage into a clear failure or a retry.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { smtpControl } from "../../../emulators/smtp/control";
import { capture, enqueueEmail, FROM, store, tick } from "./support";

const control = smtpControl(inject("smtp").controlUrl);
const secrets = (_name: string) => undefined;
const bindings = (name: string): unknown => Reflect.get(env, name);

const ADA = { name: "Ada Lovelace", email: "ada@example.com" };
const BO = { name: "Bo Chen 陈波", email: "bo@example.com" };

interface Sent {
  from: string;
  to: string;
  raw: string;
}

/**
 * A binding that records each message. Reading the raw text back relies on how Miniflare's EmailMessage
 * keeps it ("EmailMessage::raw"): if that changes, this test fails loudly rather than passing emptily.
 */
function recordingBinding(answer: (sent: Sent, index: number) => Promise<void> = async () => {}) {
  const sent: Sent[] = [];
  const binding = {
    async send(message: unknown): Promise<EmailSendResult> {
      const from = Reflect.get(Object(message), "from");
      const to = Reflect.get(Object(message), "to");
      const raw = Reflect.get(Object(message), "EmailMessage::raw");
      if (typeof from !== "string" || typeof to !== "string" || typeof raw !== "string") {
        throw new Error("the recording binding did not get an EmailMessage with a raw string");
      }
      const entry = { from, to, raw };
      sent.push(entry);
      await answer(entry, sent.length - 1);
      return { messageId: `<recorded-${sent.length}@example.com>` };
    },
  };
  return { sent, binding };
}

beforeEach(async () => {
  await env.DB.prepare("DELETE FROM deliveries").run();
});

describe("email via the send_email binding (happy)", () => {
  it("passes Miniflare's own checks of the raw message, once per recipient", async () => {
    const { id } = await enqueueEmail({
      meetingKey: "cf/2026-03-31",
      via: "cloudflare",
      secretName: "TEST_SEND_EMAIL",
      to: [ADA, BO],
    });
    const { lines, log } = capture();
    const result = await tick(0, { secrets, binding: bindings, log });
    expect(result.results).toEqual([{ id, channel: "email", status: "delivered", attempts: 1 }]);
    expect(lines.some((line) => line.includes('"outbox.delivered"'))).toBe(true);
  });

  it("hands over a raw message a mail client reads as written, one copy per recipient", async () => {
    const { sent, binding } = recordingBinding();
    const { id } = await enqueueEmail({
      meetingKey: "cf-recorded/2026-03-31",
      via: "cloudflare",
      secretName: "RECORDING_EMAIL",
      to: [ADA, BO],
    });
    const result = await tick(0, {
      secrets,
      binding: (name) => (name === "RECORDING_EMAIL" ? binding : undefined),
    });
    expect(result.results[0]).toMatchObject({ status: "delivered" });

    expect(sent.map(({ from, to }) => [from, to])).toEqual([
      [FROM.email, ADA.email],
      [FROM.email, BO.email],
    ]);
    // The same bytes to each, so both hold the same Message-ID and Date.
    expect(sent[1]?.raw).toBe(sent[0]?.raw);
    const parsed = await control.parse(sent[0]?.raw ?? "");
    expect(parsed.messageId).toBe(`<${id}@agendas.test>`);
    expect(parsed.from).toEqual([{ name: "Zoë Åström", address: FROM.email }]);
    expect(parsed.to).toEqual([
      { name: ADA.name, address: ADA.email },
      { name: BO.name, address: BO.email },
    ]);
    expect(parsed.subject).toBe(
      "1:1 Ada 🚀 Lovelace / Zoë Åström — Tue 31 Mar 2026: 2 open items (1 overdue)",
    );
    expect(parsed.contentTypes).toEqual(["multipart/alternative", "text/plain", "text/html"]);
    expect(parsed.text).toContain("Book the offsite 🏕️");
    expect(parsed.html).toContain("Book the offsite 🏕️");
  });
});

describe("email via the send_email binding (error)", () => {
  it("fails a recipient the binding does not allow, by name, and still sends the other delivery", async () => {
    const refused = await enqueueEmail({
      meetingKey: "cf-refused/2026-03-31",
      via: "cloudflare",
      secretName: "TEST_SEND_EMAIL",
      to: [{ name: "Mallory", email: "mallory@example.com" }],
    });
    const fine = await enqueueEmail({
      meetingKey: "cf-fine/2026-03-31",
      via: "cloudflare",
      secretName: "TEST_SEND_EMAIL",
      to: [ADA],
    });
    await tick(0, { secrets, binding: bindings });
    expect(await store.get(refused.id)).toMatchObject({
      status: "failed",
      lastError:
        "send_email binding TEST_SEND_EMAIL refused mallory@example.com: email to mallory@example.com not allowed",
    });
    expect((await store.get(fine.id))?.status).toBe("delivered");
  });

  it("fails a sender the binding does not allow", async () => {
    const { id } = await enqueueEmail({
      meetingKey: "cf-sender/2026-03-31",
      via: "cloudflare",
      secretName: "TEST_SEND_EMAIL",
      from: { name: "Someone", email: "someone@elsewhere.test" },
      to: [ADA],
    });
    await tick(0, { secrets, binding: bindings });
    expect(await store.get(id)).toMatchObject({
      status: "failed",
      lastError:
        "send_email binding TEST_SEND_EMAIL refused ada@example.com: email from someone@elsewhere.test not allowed",
    });
  });

  it("fails a missing binding, or one that is not send_email, naming it", async () => {
    const missing = await enqueueEmail({
      meetingKey: "cf-missing/2026-03-31",
      via: "cloudflare",
      secretName: "NO_SUCH_BINDING",
      to: [ADA],
    });
    const wrongKind = await enqueueEmail({
      meetingKey: "cf-wrong/2026-03-31",
      via: "cloudflare",
      secretName: "DB",
      to: [ADA],
    });
    const withoutOption = await enqueueEmail({
      meetingKey: "cf-no-option/2026-03-31",
      via: "cloudflare",
      secretName: "TEST_SEND_EMAIL",
      to: [ADA],
    });
    await tick(0, {
      secrets,
      binding: (name) => (name === "TEST_SEND_EMAIL" ? undefined : bindings(name)),
    });
    expect((await store.get(missing.id))?.lastError).toBe(
      "binding NO_SUCH_BINDING is not available to the Worker",
    );
    expect((await store.get(wrongKind.id))?.lastError).toBe("binding DB is not a send_email binding");
    expect((await store.get(withoutOption.id))?.lastError).toBe(
      "binding TEST_SEND_EMAIL is not available to the Worker",
    );
  });

  it("retries an outage and a binding that does not answer, then delivers", async () => {
    const { sent, binding } = recordingBinding(async (_sent, index) => {
      if (index === 0) throw new Error("internal error; reference = abc123");
      if (index === 1) await new Promise(() => {});
    });
    const { id } = await enqueueEmail({
      meetingKey: "cf-outage/2026-03-31",
      via: "cloudflare",
      secretName: "FLAKY_EMAIL",
      to: [ADA],
    });
    const options = { secrets, binding: () => binding, policy: { timeoutMs: 50 } };
    const first = await tick(0, options);
    expect(first.results[0]).toMatchObject({
      status: "retry",
      reason: "send_email binding FLAKY_EMAIL refused ada@example.com: internal error; reference = abc123",
    });
    const second = await tick(3_600_000, options);
    expect(second.results[0]).toMatchObject({
      status: "retry",
      reason: "send_email binding FLAKY_EMAIL did not answer for ada@example.com within 50 ms",
    });
    expect((await tick(7_200_000, options)).results[0]).toMatchObject({ status: "delivered", attempts: 3 });
    expect(sent).toHaveLength(3);
    expect(await store.get(id)).toMatchObject({ status: "delivered", lastError: null });
  });
});
