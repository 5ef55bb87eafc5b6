// Email digests: the stored message and its payload builder, the MIME composer, and the two transports
// (Cloudflare's send_email binding, SMTP over a TCP socket) the outbox sends through.
export type { EmailContent } from "./content";
export { escapeHtml } from "./html";
export {
  EMAIL_VIA,
  type EmailEnvelope,
  EmailMessageError,
  type EmailVia,
  emailMessagePayload,
  emailMessageSchema,
  MAX_EMAIL_RECIPIENTS,
  type Mailbox,
  mailboxSchema,
  parseEmailMessage,
  type StoredEmailMessage,
} from "./message";
export { composeMime, type MimeMessageInput } from "./mime";
export type { EmailOutcome } from "./outcome";
export { type EmailDelivery, type EmailTransports, messageIdFor, sendEmailDelivery } from "./send";
export { parseSmtpUrl, type SmtpSecurity, type SmtpSettings } from "./smtp-url";
