// Whether a link may be shown as one: only http(s) URLs, normalised. Digests, roll-ups and the console's
// preview all show links that came from elsewhere, and none may turn into a `javascript:` link.

/**
 * The URL, normalised, when it is an http(s) link; else null. Agenda URLs come from our own
 * destinations, but a digest, roll-up or preview must never turn a malformed one into a `javascript:`
 * link: it costs that link instead. Normalising percent-encodes spaces, quotes and angle brackets,
 * which would otherwise end a link early in some channels' syntax.
 */
export function httpUrl(url: string): string | null {
  const trimmed = url.trim();
  if (!URL.canParse(trimmed)) return null;
  const parsed = new URL(trimmed);
  return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
}
