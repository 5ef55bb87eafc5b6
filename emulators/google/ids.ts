/// <reference types="node" />
// Identifiers in the shapes Google uses (Drive file ids, kix ids, revision ids), from a CSPRNG.
import { randomBytes } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

function pick(length: number, alphabet: string): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** Drive file ids are 33 characters of base64url starting with "1". */
export function fileId(): string {
  return `1${pick(32, ALPHABET)}`;
}

/** Shared drive ids start "0A" and end in the base64 of "ROOT". */
export function sharedDriveId(): string {
  return `0A${pick(11, ALPHABET.slice(0, 62))}Uk9PVA`;
}

/** Docs' internal ids: "kix.<12>" for lists, named ranges and chips. */
export function kixId(): string {
  return `kix.${pick(12, ALNUM)}`;
}

export function headingId(): string {
  return `h.${pick(12, ALNUM)}`;
}

export function tabId(): string {
  return `t.${pick(12, ALNUM)}`;
}

export function dropdownOptionId(): string {
  return `dropdownItem.${pick(10, ALNUM)}`;
}

/** Opaque like Google's, and never repeated, so a stale revision is always detectable. */
export function revisionId(): string {
  return `ALBJ4L${pick(40, ALPHABET)}`;
}

export function accessToken(): string {
  return `ya29.${pick(80, ALPHABET)}`;
}

export function hex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString("hex")
    .slice(0, length);
}

export function digits(length: number): string {
  return pick(length, "0123456789").replace(/^0/, "1");
}

export function shortName(): string {
  return pick(6, ALNUM);
}
