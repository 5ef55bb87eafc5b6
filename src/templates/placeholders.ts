// Owns the placeholder names and how `{{name}}` is checked in template text: the parser reports the
// problems, the renderer fills only names that exist, so both read this and neither reads the other.

/** Every placeholder a template may use, as written between double braces. */
const PLACEHOLDERS = [
  "manager.name",
  "report.name",
  "meeting.date",
  "meeting.weekday",
  "meeting.time",
  "meeting.timeZone",
] as const;

export type Placeholder = (typeof PLACEHOLDERS)[number];

/** A placeholder problem in a piece of text; `offset` lets the parser turn it into a line number. */
export interface PlaceholderProblem {
  offset: number;
  message: string;
}

const BRACES = /\{\{|\}\}/g;

export function isPlaceholder(name: string): name is Placeholder {
  return PLACEHOLDERS.some((placeholder) => placeholder === name);
}

const KNOWN = PLACEHOLDERS.map((name) => `{{${name}}}`).join(", ");

/**
 * Every unknown or unbalanced placeholder in `text`. Checked at parse time so that a typo fails when a
 * pair is imported, not silently at the meeting, and so that rendering can never meet an unknown name.
 */
export function placeholderProblems(text: string): PlaceholderProblem[] {
  const problems: PlaceholderProblem[] = [];
  let open = -1;
  for (const match of text.matchAll(BRACES)) {
    if (match[0] === "{{") {
      if (open !== -1) problems.push({ offset: open, message: "unbalanced {{ (no closing }})" });
      open = match.index;
      continue;
    }
    if (open === -1) {
      problems.push({ offset: match.index, message: "unbalanced }} (no opening {{)" });
      continue;
    }
    const name = text.slice(open + 2, match.index).trim();
    if (!isPlaceholder(name)) {
      problems.push({ offset: open, message: `unknown placeholder {{${name}}} (known: ${KNOWN})` });
    }
    open = -1;
  }
  if (open !== -1) problems.push({ offset: open, message: "unbalanced {{ (no closing }})" });
  return problems;
}
