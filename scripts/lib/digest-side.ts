// Owns the digest half of the local stack: the webhook receivers (one loopback server that answers like
// Slack, Teams, Discord, Google Chat and a Standard Webhooks receiver, and records every request) in this
// process, the SMTP test server as its own process, and the Worker secrets that point the demo's digest
// channels at them. Every value here is a demo value for loopback only: the hook URLs, the signing
// secret and the SMTP URL (no TLS, no password: the Worker allows that only for a relay on loopback).
import { z } from "zod";
import type { ReceiversControl } from "../../emulators/receivers/control";
import { receiversControl } from "../../emulators/receivers/control";
import type { ReceiverKind, Receivers } from "../../emulators/receivers/server";
import { startReceivers } from "../../emulators/receivers/server";
import type { SmtpTestServer } from "../../emulators/smtp/start";
import { startSmtpTestServer } from "../../emulators/smtp/start";
import { request } from "./http";
import { onCleanup, ScriptError } from "./run";

/** A demo value, not a secret: only the local receivers ever see what it signs. */
export const DEMO_SIGNING_SECRET = `whsec_${Buffer.from("demo signing secret, loopback only").toString("base64")}`;
/** The secret naming the SMTP server; `?tls=none` is accepted for loopback hosts without credentials only. */
export const DEMO_SMTP_SECRET = "DEMO_SMTP_URL";

/**
 * The demo's webhook secrets, by name, and the receiver hook each points at. The hook is what a vendor's
 * URL names: a Slack channel, a Teams channel, a Chat space. Pairs that share a secret post to one hook.
 */
export const DEMO_HOOKS: Readonly<Record<string, { kind: ReceiverKind; hook: string }>> = {
  DEMO_SLACK_URL: { kind: "slack", hook: "one-on-ones" },
  DEMO_ROLLUP_SLACK_URL: { kind: "slack", hook: "cy-direct-messages" },
  DEMO_TEAMS_URL: { kind: "teams", hook: "cy-team" },
  DEMO_DISCORD_URL: { kind: "discord", hook: "cy-team" },
  DEMO_CHAT_URL: { kind: "google-chat", hook: "gus-space" },
  DEMO_HOOK_URL: { kind: "webhook", hook: "agenda-events" },
};

const addressSchema = z.looseObject({ name: z.string(), address: z.string() });
/** What the demo reads of a message the SMTP server received and parsed (emulators/smtp/constants.ts). */
const messageSchema = z.looseObject({
  listener: z.string(),
  envelope: z.looseObject({ mailFrom: z.string(), rcptTo: z.array(z.string()) }),
  messageId: z.string().nullable(),
  subject: z.string().nullable(),
  from: z.array(addressSchema),
  to: z.array(addressSchema),
  text: z.string().nullable(),
});
const messagesSchema = z.array(messageSchema);

export type SmtpMessage = z.infer<typeof messageSchema>;

export interface DigestSide {
  receivers: Receivers;
  /** The receivers' control API (what arrived, how a hook answers next), over HTTP like any client. */
  receiversControl: ReceiversControl;
  smtp: SmtpTestServer;
  /** The Worker's digest secrets: hook URLs, the signing secret and the SMTP URL. */
  vars: Record<string, string>;
  /** Every message the SMTP server accepted, oldest first, as its parser read it. */
  messages(): Promise<SmtpMessage[]>;
}

async function readMessages(controlUrl: string): Promise<SmtpMessage[]> {
  const answer = await request(`${controlUrl}/messages`, { timeoutMs: 10_000 });
  const parsed = answer.status === 200 ? messagesSchema.safeParse(JSON.parse(answer.text)) : null;
  if (parsed?.success !== true) {
    throw new ScriptError(
      `the SMTP test server's GET /messages answered oddly (HTTP ${answer.status}): ${answer.text.slice(0, 200)}`,
    );
  }
  return parsed.data;
}

export async function startDigestSide(): Promise<DigestSide> {
  const [receivers, smtp] = await Promise.all([
    startReceivers().then((started) => {
      onCleanup(() => started.close());
      return started;
    }),
    startSmtpTestServer().then(
      (started) => {
        onCleanup(() => started.close());
        return started;
      },
      (error: unknown) => {
        throw new ScriptError(
          `the SMTP test server did not start: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      },
    ),
  ]);
  const hooks = Object.entries(DEMO_HOOKS).map(([name, { kind, hook }]) => [
    name,
    `${receivers.url}/${kind}/${hook}`,
  ]);
  return {
    receivers,
    receiversControl: receiversControl(receivers.url),
    smtp,
    vars: {
      ...Object.fromEntries(hooks),
      DEMO_HOOK_URL_SIGNING_SECRET: DEMO_SIGNING_SECRET,
      [DEMO_SMTP_SECRET]: `smtp://127.0.0.1:${smtp.info.ports.plain}?tls=none`,
      // The demo's receivers and SMTP server listen on loopback, where digests go only by this setting.
      ALLOW_PRIVATE_DIGEST_HOSTS: "true",
    },
    messages: () => readMessages(smtp.info.controlUrl),
  };
}
