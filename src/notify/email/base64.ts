// Base64 of text as UTF-8 bytes, for MIME bodies, encoded-words and SMTP AUTH. `btoa` alone is wrong for
// these: it takes a "binary string" and throws on (or mangles) anything past U+00FF, so "Zoë" or a
// password with "ü" would be refused or sent as Latin-1 bytes a server decodes as something else.

const encoder = new TextEncoder();
/** Bytes per String.fromCharCode call: well under engines' argument limits. */
const CHUNK = 0x8000;

/** Standard base64 (RFC 4648 §4, with padding) of raw bytes, on one line. */
function base64Bytes(bytes: Uint8Array): string {
  let binary = "";
  for (let start = 0; start < bytes.length; start += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(start, start + CHUNK));
  }
  return btoa(binary);
}

/** Standard base64 of `text` encoded as UTF-8, on one line. */
export function base64Utf8(text: string): string {
  return base64Bytes(encoder.encode(text));
}

/** UTF-8 byte length of `text`. */
export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}
