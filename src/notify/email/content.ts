// What an email digest says, before it is addressed and encoded: the one shape the meeting digest and
// the weekly roll-up both render to, and the one the email transports (Cloudflare binding, SMTP) send.

export interface EmailContent {
  /** One line; user text in it is already cleaned of line breaks and control characters. */
  subject: string;
  /** The plain-text part, lines separated by "\n". */
  text: string;
  /** The HTML part: a complete document, every piece of user text escaped. */
  html: string;
}
