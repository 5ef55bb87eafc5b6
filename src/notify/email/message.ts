// The stored email message: what an email delivery's `payload` column holds (JSON), the schema that
// checks it when it is written and again when it is sent, and how to build it from a digest's content.
//
// Outbox convention for email rows: `channel` is "email"; `secret_name` is the NAME of the send_email
// binding when `via` is "cloudflare", or the NAME of the Worker secret holding the SMTP URL when `via` is
// "smtp". The MIME message is composed at send time (see send.ts), with the delivery id as its Message-ID
// (`<dlv_…@from-domain>`) and the row's creation time as its Date, so every attempt sends the same
// message and receivers can drop repeats by Message-ID.
import * as z from "zod";
import { hasControlCharacters, toOneLine } from "../../lib/control-characters";
import type { EmailContent } from "./content";

/** How an email delivery leaves the Worker. */
const EMAIL_VIA = ["cloudflare", "smtp"] as const;
export type EmailVia = (typeof EMAIL_VIA)[number];

/** At most this many recipients per message: Cloudflare's send builder's limit, well within SMTP servers'. */
export const MAX_EMAIL_RECIPIENTS = 50;

// A display name or subject with control characters is refused (lib/control-characters.ts says why). The
// composer encodes names and subjects anyway, so this is defence in depth at the edge where the JSON is
// read back.

const oneLine = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !hasControlCharacters(value), "must be one line without control characters");

/**
 * An address as it goes into SMTP commands and headers. zod's email pattern is deliberately narrow
 * (ASCII, no quotes, spaces or angle brackets), which is what makes it safe in `RCPT TO:<…>` unescaped.
 */
const mailboxSchema = z.object({
  name: oneLine(200).optional(),
  email: z.email("must be an email address").max(254),
});
export type Mailbox = z.infer<typeof mailboxSchema>;

export const emailMessageSchema = z.object({
  version: z.literal(1),
  via: z.enum(EMAIL_VIA),
  from: mailboxSchema,
  to: z.array(mailboxSchema).min(1, "must list at least one recipient").max(MAX_EMAIL_RECIPIENTS),
  subject: oneLine(500).pipe(z.string().min(1, "must not be empty")),
  text: z.string(),
  html: z.string(),
});
export type StoredEmailMessage = z.infer<typeof emailMessageSchema>;

/** Who sends and receives an email digest, and how it leaves the Worker. */
export interface EmailEnvelope {
  via: EmailVia;
  from: Mailbox;
  to: readonly Mailbox[];
}

/** A message that cannot be stored; the message names the field, never the content of secrets. */
export class EmailMessageError extends Error {
  override readonly name = "EmailMessageError";
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}`)
    .join("; ");
}

/** A display name as one clean line, or undefined when nothing printable is left. */
function cleanName(name: string | undefined): string | undefined {
  const cleaned = name === undefined ? undefined : toOneLine(name);
  return cleaned === undefined || cleaned === "" ? undefined : cleaned;
}

function cleanMailbox(mailbox: Mailbox): Mailbox {
  const name = cleanName(mailbox.name);
  const email = mailbox.email.trim();
  return name === undefined ? { email } : { name, email };
}

/**
 * The `payload` to enqueue for an email delivery: the content with its envelope, validated and
 * serialised. Display names are cleaned to one line (a pair's name with a stray newline still sends);
 * anything else invalid (a bad address, no recipients, an empty subject) throws EmailMessageError naming
 * the field, because it is a configuration mistake to report when enqueueing, not a day of retries later.
 */
export function emailMessagePayload(content: EmailContent, envelope: EmailEnvelope): string {
  const candidate: StoredEmailMessage = {
    version: 1,
    via: envelope.via,
    from: cleanMailbox(envelope.from),
    to: envelope.to.map(cleanMailbox),
    subject: content.subject,
    text: content.text,
    html: content.html,
  };
  const parsed = emailMessageSchema.safeParse(candidate);
  if (!parsed.success) throw new EmailMessageError(`invalid email message: ${describeIssues(parsed.error)}`);
  return JSON.stringify(parsed.data);
}

/** Reads a stored payload back; a payload that is not JSON or not a message says why (never its content). */
export function parseEmailMessage(
  payload: string,
): { ok: true; message: StoredEmailMessage } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { ok: false, reason: "email payload is not JSON" };
  }
  const parsed = emailMessageSchema.safeParse(json);
  return parsed.success
    ? { ok: true, message: parsed.data }
    : { ok: false, reason: `email payload is not a valid message: ${describeIssues(parsed.error)}` };
}

/** The domain of an address (validated by mailboxSchema, so it has exactly one "@"), lower case. */
export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1).toLowerCase();
}
