// How a delivery is posted, for each channel module to name one: its JSON body to the webhook URL a
// secret holds; the same, signed per Standard Webhooks; or an email. A delivery stores only the NAME of a
// secret or binding, read here at send time. Senders never throw: what cannot be sent at all (no secret,
// not an http(s) URL, a bad signing secret) is "unsendable", with a reason naming the secret, never its
// value, and needs a person like a 4xx does.
//
// Secrets convention (the `webhook` channel): the signing secret (`whsec_<base64>`) is in the secret
// named `${secretName}_SIGNING_SECRET`, e.g. ACME_DIGEST_URL and ACME_DIGEST_URL_SIGNING_SECRET. Deriving
// the name keeps one name per channel in the pair's config, and the two secrets side by side in
// `wrangler secret list`. Email: the secret names the send_email binding (`via: "cloudflare"`) or holds
// the SMTP URL (`via: "smtp"`; format in ../email/smtp-url.ts); see ../email/send.ts.
import type { DigestChannelName } from "../../domain/channels";
import { SIGNING_SECRET_SUFFIX } from "../../domain/channels";
import { httpUrl } from "../../lib/http-url";
import type { EmailOutcome } from "../email/outcome";
import { sendEmailDelivery } from "../email/send";
import type { SendOutcome } from "../http-sender";
import { postJson } from "../http-sender";
import { SigningSecretError, standardWebhookHeaders } from "../standard-webhooks";

/** What a sender needs of an outbox row. */
interface OutboxDelivery {
  id: string;
  channel: DigestChannelName;
  /** The NAME of the secret (or binding) the delivery is sent with. */
  secretName: string;
  /** The exact body to send. */
  payload: string;
  /** ISO 8601: when it was enqueued (an email's Date). */
  createdAt: string;
}

/** What a sender needs of the Worker and of the run. */
export interface SendContext {
  /** Reads a Worker secret by name. */
  secrets: (name: string) => string | undefined;
  /** Reads a binding by name (email through Cloudflare's send_email binding). */
  binding?: ((name: string) => unknown) | undefined;
  fetch: typeof fetch;
  /** ALLOW_PRIVATE_DIGEST_HOSTS: loopback and private hosts, and plain http, are allowed. */
  allowPrivateHosts: boolean;
  /** Per request; for email, per SMTP reply or binding call. */
  timeoutMs: number;
  /** Per SMTP session. */
  smtpSessionTimeoutMs: number;
  /** When this attempt was claimed (the real clock). */
  nowMs: number;
  /** The receivers' clock, for the Standard Webhooks timestamp they check against their own. */
  signingClock: () => number;
}

/** What one attempt came to, whatever the channel. */
export type SendResult = SendOutcome | EmailOutcome | { kind: "unsendable"; reason: string };

export interface Sender {
  /** How it is posted, for people reading the registry: JSON, signed JSON, or email. */
  kind: "json" | "standard-webhooks" | "email";
  send(delivery: OutboxDelivery, context: SendContext): Promise<SendResult>;
}

/** The webhook URL the delivery's secret holds, or why it cannot be used. */
function webhookUrl(
  delivery: OutboxDelivery,
  secrets: SendContext["secrets"],
): { ok: true; url: string } | { ok: false; reason: string } {
  const url = secrets(delivery.secretName)?.trim();
  if (url === undefined || url === "")
    return { ok: false, reason: `secret ${delivery.secretName} is not set` };
  if (httpUrl(url) === null) {
    return { ok: false, reason: `secret ${delivery.secretName} does not hold an http(s) URL` };
  }
  return { ok: true, url };
}

function post(
  delivery: OutboxDelivery,
  context: SendContext,
  url: string,
  headers: Record<string, string>,
): Promise<SendOutcome> {
  return postJson({
    url,
    body: delivery.payload,
    headers,
    channel: delivery.channel,
    secretName: delivery.secretName,
    allowPrivateHosts: context.allowPrivateHosts,
    timeoutMs: context.timeoutMs,
    fetch: context.fetch,
    nowMs: context.nowMs,
  });
}

/** The Standard Webhooks headers for a delivery, or why it cannot be signed. */
async function signatureHeaders(
  delivery: OutboxDelivery,
  context: SendContext,
): Promise<{ ok: true; headers: Record<string, string> } | { ok: false; reason: string }> {
  const signingName = `${delivery.secretName}${SIGNING_SECRET_SUFFIX}`;
  const signingSecret = context.secrets(signingName);
  if (signingSecret === undefined || signingSecret.trim() === "") {
    return { ok: false, reason: `secret ${signingName} is not set` };
  }
  try {
    const headers = await standardWebhookHeaders({
      secret: signingSecret,
      id: delivery.id,
      nowMs: context.signingClock(),
      body: delivery.payload,
      label: `secret ${signingName}`,
    });
    return { ok: true, headers: { ...headers } };
  } catch (error) {
    // SigningSecretError messages name the secret, never its value; anything else is summarised.
    return {
      ok: false,
      reason:
        error instanceof SigningSecretError ? error.message : `could not sign with secret ${signingName}`,
    };
  }
}

/** The body as JSON to the webhook URL in the delivery's secret (Slack, Teams, Discord, Google Chat). */
export const jsonWebhookSender: Sender = {
  kind: "json",
  async send(delivery, context) {
    const url = webhookUrl(delivery, context.secrets);
    if (!url.ok) return { kind: "unsendable", reason: url.reason };
    return post(delivery, context, url.url, {});
  },
};

/** The body as JSON, signed per Standard Webhooks with the key in `<secret>_SIGNING_SECRET`. */
export const standardWebhookSender: Sender = {
  kind: "standard-webhooks",
  async send(delivery, context) {
    const url = webhookUrl(delivery, context.secrets);
    if (!url.ok) return { kind: "unsendable", reason: url.reason };
    const signed = await signatureHeaders(delivery, context);
    if (!signed.ok) return { kind: "unsendable", reason: signed.reason };
    return post(delivery, context, url.url, signed.headers);
  },
};

/** The stored message as email, over SMTP or through Cloudflare's send_email binding. */
export const emailSender: Sender = {
  kind: "email",
  send(delivery, context) {
    return sendEmailDelivery(delivery, {
      secrets: context.secrets,
      binding: context.binding,
      timeoutMs: context.timeoutMs,
      sessionTimeoutMs: context.smtpSessionTimeoutMs,
      nowMs: context.nowMs,
      allowPrivateHosts: context.allowPrivateHosts,
    });
  },
};
