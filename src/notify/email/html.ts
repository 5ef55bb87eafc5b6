// HTML escaping for email parts. Every piece of user text passes through `escapeHtml` before it meets
// markup, so `<script>` or a stray `&` in an item arrives as the characters a person typed.

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/gu, (char) => ENTITIES[char] ?? char);
}

/**
 * Gmail clips an HTML body past 102 KB behind "[Message clipped] View entire message", hiding the tail
 * without saying what is missing. Every email keeps its HTML under this budget, with room to spare, so
 * our own "and N more" line says what did not fit instead.
 */
export const EMAIL_HTML_BUDGET_BYTES = 90_000;

/** UTF-8 size of an HTML part, as mail clients count it. */
export function htmlBytes(html: string): number {
  return new TextEncoder().encode(html).length;
}

/** Grey for secondary lines, shared so the meeting digest and the roll-up look like one product. */
export const EMAIL_MUTED_COLOR = "#57606a";

/**
 * The HTML document every email part sits in: one centred column, inline styles only (mail clients
 * drop <style> blocks), and a footer saying the agenda is where items are closed. `title` and
 * `footer` are escaped here; `body` is markup the caller built from escaped text.
 */
export function emailDocument(title: string, body: readonly string[], footer: string): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    `<head><meta charset="UTF-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>`,
    "<body style=\"margin:0;padding:24px 16px;background:#ffffff;color:#1f2328;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;\">",
    '<div style="max-width:640px;margin:0 auto;">',
    ...body,
    `<p style="margin:24px 0 0;color:${EMAIL_MUTED_COLOR};font-size:12px;">${escapeHtml(footer)}</p>`,
    "</div>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
