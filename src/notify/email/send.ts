// Sends one email delivery from the outbox: reads the stored message back (zod), composes the MIME with
// the delivery id as Message-ID and the row's creation time as Date (so every attempt is the same
// message), and hands it to the transport its `via` names. Everything that makes the delivery unsendable
// (a bad payload, a missing or malformed secret, a missing binding) is a permanent outcome whose reason
// names the secret or binding, never its value.

import { checkDigestHost } from "../address-rule";
import { isSendEmailBinding, sendWithBinding } from "./cloudflare";
import { domainOf, parseEmailMessage } from "./message";
import { composeMime } from "./mime";
import type { EmailOutcome } from "./outcome";
import { sendSmtp } from "./smtp";
import { parseSmtpUrl } from "./smtp-url";

export interface EmailDelivery {
  /** `dlv_<hex>`: becomes the Message-ID's left part. */
  id: string;
  /** The binding's name (via cloudflare) or the name of the secret with the SMTP URL (via smtp). */
  secretName: string;
  payload: string;
  /** ISO 8601: when the delivery was enqueued, the message's Date. */
  createdAt: string;
}

export interface EmailTransports {
  /** Reads a Worker secret by name. */
  secrets: (name: string) => string | undefined;
  /** Reads a binding by name; absent means no binding is reachable. */
  binding?: (name: string) => unknown;
  /** For each SMTP reply or binding call. */
  timeoutMs: number;
  /** For a whole SMTP session. */
  sessionTimeoutMs: number;
  /** When `createdAt` does not parse (it always should). */
  nowMs: number;
  /** Whether the SMTP server may be on loopback or another non-public host (ALLOW_PRIVATE_DIGEST_HOSTS). */
  allowPrivateHosts: boolean;
}

/** The Message-ID for a delivery: its id at the sender's domain, so repeats of it are recognisable. */
export function messageIdFor(deliveryId: string, fromEmail: string): string {
  return `<${deliveryId}@${domainOf(fromEmail)}>`;
}

/** Sends one email delivery. Never throws. */
export async function sendEmailDelivery(
  delivery: EmailDelivery,
  transports: EmailTransports,
): Promise<EmailOutcome> {
  const parsed = parseEmailMessage(delivery.payload);
  if (!parsed.ok) return { kind: "permanent", reason: parsed.reason };
  const { message } = parsed;

  const created = Date.parse(delivery.createdAt);
  let raw: string;
  try {
    raw = composeMime({
      from: message.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: messageIdFor(delivery.id, message.from.email),
      date: new Date(Number.isNaN(created) ? transports.nowMs : created),
    });
  } catch {
    return { kind: "permanent", reason: `delivery id ${delivery.id} cannot be a Message-ID` };
  }
  const recipients = message.to.map((mailbox) => mailbox.email);

  if (message.via === "cloudflare") {
    const binding = transports.binding?.(delivery.secretName);
    if (binding === undefined || binding === null) {
      return { kind: "permanent", reason: `binding ${delivery.secretName} is not available to the Worker` };
    }
    if (!isSendEmailBinding(binding)) {
      return { kind: "permanent", reason: `binding ${delivery.secretName} is not a send_email binding` };
    }
    return sendWithBinding({
      binding,
      bindingName: delivery.secretName,
      from: message.from.email,
      to: recipients,
      raw,
      timeoutMs: transports.timeoutMs,
    });
  }

  const url = transports.secrets(delivery.secretName);
  if (url === undefined || url.trim() === "") {
    return { kind: "permanent", reason: `secret ${delivery.secretName} is not set` };
  }
  const settings = parseSmtpUrl(url, delivery.secretName);
  if (!settings.ok) return { kind: "permanent", reason: settings.reason };
  // The same address rule as the webhooks'; the host is judged as written (a Worker cannot resolve DNS).
  const allowed = checkDigestHost(settings.settings.hostname, transports.allowPrivateHosts);
  if (!allowed.ok) {
    return { kind: "permanent", reason: `email not sent: secret ${delivery.secretName} ${allowed.problem}` };
  }
  return sendSmtp({
    settings: settings.settings,
    clientName: domainOf(message.from.email),
    from: message.from.email,
    to: recipients,
    message: raw,
    replyTimeoutMs: transports.timeoutMs,
    sessionTimeoutMs: transports.sessionTimeoutMs,
  });
}
