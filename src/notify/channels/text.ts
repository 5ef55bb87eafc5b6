// Text helpers every channel's layouts share: visible truncation that never splits an emoji or a
// combining sequence, bidi isolation of user text, the "and N more" overflow line, a payload's size on
// the wire, and the one http(s) URL check (layouts' links and senders' webhook URLs alike).
import type { Digest, DigestItem } from "../../domain/digest";

const ELLIPSIS = "…";

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * `text` cut to at most `max` UTF-16 code units, ending in "…" when cut. Vendors count characters in
 * different ways; UTF-16 length is never smaller than any of them, so staying under it is safe.
 * Cutting at grapheme boundaries keeps a family emoji or an accented letter whole.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = "";
  for (const { segment } of graphemes.segment(text)) {
    if (out.length + segment.length + ELLIPSIS.length > max) break;
    out += segment;
  }
  return `${out.trimEnd()}${ELLIPSIS}`;
}

/**
 * User text wrapped in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE, so a right-to-left item
 * cannot reorder the labels around it ("· due 2026-03-01") on the same line. The digest already
 * removed any isolates or overrides the user typed, so the pair here is always balanced.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

/** "and 7 more — open the agenda": the words every channel uses when items do not fit. */
export function overflowWords(hidden: number): string {
  return `and ${hidden} more — open the agenda`;
}

/** The marks that make an item stand out, in words so they survive any channel's rendering. */
export function urgencyLabel(item: DigestItem): string | null {
  const parts: string[] = [];
  if (item.overdueDays > 0) parts.push(`🔴 OVERDUE ${item.overdueDays}d`);
  if (item.longCarried) parts.push(`🔁 stuck · carried ${item.timesCarried}×`);
  return parts.length > 0 ? parts.join(" · ") : null;
}

/**
 * How many of `items` fit, given a function that says whether the first `n` fit with an overflow
 * line for the rest. Fitting is monotone in `n` (fewer items never take more room), so a binary
 * search finds the largest `n` in log(n) builds instead of one build per item.
 */
export function fittingCount(items: readonly DigestItem[], fits: (shown: number) => boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** UTF-8 size of a JSON payload as it goes on the wire, for the channels whose limits are in bytes. */
export function payloadBytes(payload: unknown): number {
  return new TextEncoder().encode(JSON.stringify(payload)).length;
}

/** A URL made safe inside a Markdown link `[label](url)`: parentheses, spaces and angle brackets encoded. */
export function markdownUrl(url: string): string {
  return url.replace(
    /[()<> ]/gu,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

/** The digest's heading line, shared so all channels say the same thing. */
export function headline(digest: Digest): string {
  return `${digest.title} — ${digest.meeting.shortDate}`;
}

/**
 * `text` truncated so that `escapeFor(result)` is at most `max` long. Escaping lengthens text unevenly
 * ("&" becomes "&amp;"), and cutting escaped text could split an entity, so the raw text is cut
 * (at grapheme boundaries, visibly) and escaped again until it fits.
 */
export function fitEscaped(text: string, escapeFor: (raw: string) => string, max: number): string {
  const whole = escapeFor(text);
  if (whole.length <= max) return whole;
  let low = 0;
  let high = Math.min(text.length, max);
  let best = escapeFor(truncate(text, 0));
  while (low <= high) {
    const middle = Math.floor((low + high) / 2);
    const candidate = escapeFor(truncate(text, middle));
    if (candidate.length <= max) {
      best = candidate;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return best;
}
