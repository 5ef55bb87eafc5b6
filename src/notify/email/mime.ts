// Composes the raw RFC 5322 message for an email digest: From and To with UTF-8 display names, a UTF-8
// Subject, Date, Message-ID, MIME-Version and a multipart/alternative body with a text/plain and a
// text/html part. The output is 7-bit ASCII with CRLF line ends and no line over 76 characters except
// the Message-ID's (a msg-id cannot be folded; ours is about 100), far inside RFC 5322's 998, so it passes
// any SMTP server (no 8BITMIME or SMTPUTF8 needed) and Cloudflare's send_email unchanged.
//
// Why not `mimetext` (installed, and tried first): its Subject and display names become ONE base64
// encoded-word however long they are, so a real digest subject (~110 characters after encoding) breaks
// RFC 2047's 75-character limit, and a long one breaks RFC 5322's 998-character line limit (measured:
// 1,205); it labels bodies "7bit" and leaves encoding them to the caller; its Date comes from the clock and
// its boundaries from Math.random, so a retry would not send the same bytes; and its browser build pulls
// in @babel/runtime-corejs3. Doing these few things right takes less code than working around them.
//
// Header injection: every piece of user text in a header is either an RFC 2047 encoded-word (base64, so
// CR and LF cannot survive) or a quoted-string of printable ASCII; addresses are zod-validated (no
// spaces, quotes, angle brackets or control characters) before they get here.
import { controlCharactersAsSpaces } from "../../lib/control-characters";
import { base64Utf8 } from "./base64";
import type { Mailbox } from "./message";

export interface MimeMessageInput {
  from: Mailbox;
  to: readonly Mailbox[];
  subject: string;
  /** Plain text, lines separated by "\n" (any line ending is accepted and sent as CRLF). */
  text: string;
  /** A complete HTML document. */
  html: string;
  /** With angle brackets: `<dlv_…@example.com>`. */
  messageId: string;
  /** When the message was ready to send (RFC 5322 §3.6.1), not when this attempt runs. */
  date: Date;
}

const CRLF = "\r\n";
/** RFC 2047 §2: a line with encoded-words is at most 76 characters; an encoded-word at most 75. */
const MAX_LINE = 76;
const WORD_PREFIX = "=?UTF-8?B?";
const WORD_SUFFIX = "?=";
/** Base64 body lines: RFC 2045 §6.8 says at most 76 characters. */
const BODY_LINE = 76;

const encoder = new TextEncoder();
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/u;

/**
 * Splits `text` into encoded-words. Each holds whole characters (RFC 2047 §5: an encoded-word must not
 * split a character's bytes) and at most `firstBudget` characters for the first word, `MAX_LINE - 1`
 * for the others (they start continuation lines after one space).
 */
function encodedWords(text: string, firstBudget: number): string[] {
  const words: string[] = [];
  let budget = firstBudget;
  let chunk = "";
  let chunkBytes = 0;
  const maxBytes = (chars: number) => Math.floor((chars - WORD_PREFIX.length - WORD_SUFFIX.length) / 4) * 3;
  const flush = () => {
    words.push(`${WORD_PREFIX}${base64Utf8(chunk)}${WORD_SUFFIX}`);
    chunk = "";
    chunkBytes = 0;
    budget = MAX_LINE - 1;
  };
  for (const char of text) {
    const bytes = encoder.encode(char).length;
    if (chunk !== "" && chunkBytes + bytes > maxBytes(budget)) flush();
    chunk += char;
    chunkBytes += bytes;
  }
  if (chunk !== "" || words.length === 0) flush();
  return words;
}

/**
 * Joins tokens with single spaces and folds (CRLF + space) before a token that would pass MAX_LINE.
 * Unfolding (removing the CRLFs) gives back the tokens joined by spaces, which is the header's value.
 */
function fold(name: string, tokens: readonly string[]): string {
  let out = `${name}:`;
  let lineLength = out.length;
  for (const token of tokens) {
    if (lineLength + 1 + token.length > MAX_LINE && lineLength > name.length + 1) {
      out += `${CRLF} ${token}`;
      lineLength = 1 + token.length;
    } else {
      out += ` ${token}`;
      lineLength += 1 + token.length;
    }
  }
  return out;
}

/** Longest plain word kept as is; a longer one (a pasted URL, say) could not be folded, so it is encoded. */
const MAX_PLAIN_WORD = MAX_LINE - "Subject: ".length;
/** RFC 5322 atext: the characters a display name may use without quoting. */
const ATOM = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+$/u;

function plainWords(text: string, word: RegExp): string[] | null {
  // "=?" in plain text would be read as the start of an encoded-word, so such text is encoded too.
  if (!PRINTABLE_ASCII.test(text) || text.includes("=?")) return null;
  const words = text.split(/ +/u).filter((part) => part !== "");
  return words.every((part) => part.length <= MAX_PLAIN_WORD && word.test(part)) ? words : null;
}

/** Tokens for unstructured text (Subject): plain ASCII words when that is safe, else encoded-words. */
function textTokens(text: string, firstLineUsed: number): string[] {
  const clean = controlCharactersAsSpaces(text);
  return plainWords(clean, /^[\x21-\x7E]+$/u) ?? encodedWords(clean, MAX_LINE - firstLineUsed - 1);
}

/**
 * Tokens for a display name (a phrase): atoms when every word is one, else encoded-words. Encoded-words
 * also cover names with specials ("Chen, Bo", quotes, angle brackets), so no quoting rules are needed.
 */
function nameTokens(name: string, firstLineUsed: number): string[] {
  const clean = controlCharactersAsSpaces(name);
  return plainWords(clean, ATOM) ?? encodedWords(clean, MAX_LINE - firstLineUsed - 1);
}

function mailboxTokens(mailbox: Mailbox, firstLineUsed: number): string[] {
  const name = mailbox.name?.trim() ?? "";
  const address = `<${mailbox.email}>`;
  return name === "" ? [address] : [...nameTokens(name, firstLineUsed), address];
}

function addressHeader(name: string, mailboxes: readonly Mailbox[]): string {
  const tokens: string[] = [];
  mailboxes.forEach((mailbox, index) => {
    const own = mailboxTokens(mailbox, index === 0 ? name.length + 1 : 1);
    if (index < mailboxes.length - 1) own[own.length - 1] += ",";
    tokens.push(...own);
  });
  return fold(name, tokens);
}

/** RFC 5322 date-time in UTC: "Tue, 31 Mar 2026 08:00:00 +0000". */
export function rfc5322Date(date: Date): string {
  // toUTCString is specified (ECMA-262 §21.4.4.43) as "Tue, 31 Mar 2026 08:00:00 GMT".
  return date.toUTCString().replace(/GMT$/u, "+0000");
}

/** Base64 of the UTF-8 text with CRLF line ends, in lines of at most 76 characters. */
function base64Body(text: string): string {
  const encoded = base64Utf8(text.replace(/\r\n|\r|\n/gu, CRLF));
  const lines: string[] = [];
  for (let start = 0; start < encoded.length; start += BODY_LINE) {
    lines.push(encoded.slice(start, start + BODY_LINE));
  }
  return lines.join(CRLF);
}

/**
 * The boundary between the parts. Base64 never contains "-" or "=" mid-line, so "--=_…" cannot occur
 * inside a part; deriving it from the Message-ID keeps the bytes the same on every attempt.
 */
function boundaryFor(messageId: string): string {
  return `=_alt_${messageId.replace(/[^A-Za-z0-9]/gu, "").slice(0, 40)}`;
}

/** The complete message, ready for SMTP DATA (before dot-stuffing) or an EmailMessage. */
export function composeMime(input: MimeMessageInput): string {
  if (!/^<[\x21-\x3B\x3D\x3F-\x7E]+@[A-Za-z0-9.-]+>$/u.test(input.messageId)) {
    throw new Error("Message-ID must look like <id@domain>");
  }
  const boundary = boundaryFor(input.messageId);
  const headers = [
    `Date: ${rfc5322Date(input.date)}`,
    addressHeader("From", [input.from]),
    addressHeader("To", input.to),
    fold("Subject", textTokens(input.subject, "Subject:".length)),
    `Message-ID: ${input.messageId}`,
    // RFC 3834: out-of-office and other auto-responders must not answer a generated digest.
    "Auto-Submitted: auto-generated",
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative;${CRLF} boundary="${boundary}"`,
  ];
  const part = (type: string, body: string) =>
    [
      `--${boundary}`,
      `Content-Type: ${type}; charset=UTF-8`,
      "Content-Transfer-Encoding: base64",
      "",
      base64Body(body),
    ].join(CRLF);
  return [
    ...headers,
    "",
    "This is a multi-part message in MIME format.",
    part("text/plain", input.text),
    part("text/html", input.html),
    `--${boundary}--`,
    "",
  ].join(CRLF);
}
