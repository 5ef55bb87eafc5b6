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
