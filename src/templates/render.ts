// Owns placeholders: which names exist, how `{{name}}` is checked in template text, and how a parsed
// template becomes one meeting's agenda by filling them in.
import type { Agenda, Block, Inline, RichText, Section } from "../domain/agenda";
import type { ParsedTemplate } from "./parse";

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

/** What one meeting fills into a template. Dates and times are the meeting's local ones, in its time zone. */
export interface TemplateContext {
  pairId: string;
  manager: { name: string };
  report: { name: string };
  /** `date` is YYYY-MM-DD, `weekday` an English day name, `time` HH:MM, `timeZone` an IANA name. */
  meeting: { date: string; weekday: string; time: string; timeZone: string };
}

/** A placeholder problem in a piece of text; `offset` lets the parser turn it into a line number. */
export interface PlaceholderProblem {
  offset: number;
  message: string;
}

// Whitespace inside the braces is allowed because people coming from Handlebars or Liquid write `{{ x }}`.
const PLACEHOLDER_PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;
const BRACES = /\{\{|\}\}/g;

function isPlaceholder(name: string): name is Placeholder {
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

/** The value of every placeholder for one meeting, for destinations that fill a template of their own. */
export function placeholderValues(context: TemplateContext): Record<Placeholder, string> {
  return {
    "manager.name": context.manager.name,
    "report.name": context.report.name,
    "meeting.date": context.meeting.date,
    "meeting.weekday": context.meeting.weekday,
    "meeting.time": context.meeting.time,
    "meeting.timeZone": context.meeting.timeZone,
  };
}

// A replacer function (not a replacement string) so that `$&` or `$1` in a name stays literal; the
// result is never parsed again, so values are plain text and a value holding `{{x}}` is not expanded.
function fill(text: string, values: Record<Placeholder, string>, encode: (value: string) => string): string {
  return text.replace(PLACEHOLDER_PATTERN, (whole, name: string) =>
    isPlaceholder(name) ? encode(values[name]) : whole,
  );
}

const asText = (value: string): string => value;

function renderInline(inline: Inline, values: Record<Placeholder, string>): Inline {
  if (inline.kind === "mention") {
    const mention = { ...inline, text: fill(inline.text, values, asText), mention: { ...inline.mention } };
    if (inline.style !== undefined) mention.style = { ...inline.style };
    return mention;
  }
  const rendered: Inline = { ...inline, text: fill(inline.text, values, asText) };
  // A name in a URL must not change where the link goes, so it is percent-encoded.
  if (inline.link !== undefined) rendered.link = fill(inline.link, values, encodeURIComponent);
  if (inline.style !== undefined) rendered.style = { ...inline.style };
  return rendered;
}

function renderText(text: RichText, values: Record<Placeholder, string>): RichText {
  // A value may be empty (an unknown time zone, say); an empty run is noise to every destination.
  return text.map((inline) => renderInline(inline, values)).filter((inline) => inline.text !== "");
}

function renderBlock(block: Block, values: Record<Placeholder, string>): Block {
  switch (block.kind) {
    case "divider":
      return { kind: "divider" };
    case "heading":
      return { kind: "heading", level: block.level, text: renderText(block.text, values) };
    case "todo":
      return {
        kind: "todo",
        text: renderText(block.text, values),
        checked: block.checked,
        children: renderBlocks(block.children, values),
      };
    default:
      return {
        kind: block.kind,
        text: renderText(block.text, values),
        children: renderBlocks(block.children, values),
      };
  }
}

function renderBlocks(blocks: readonly Block[], values: Record<Placeholder, string>): Block[] {
  return blocks.map((block) => renderBlock(block, values));
}

function renderSection(section: Section, values: Record<Placeholder, string>): Section {
  return {
    heading: renderText(section.heading, values),
    level: section.level,
    role: section.role,
    blocks: renderBlocks(section.blocks, values),
  };
}

/**
 * One meeting's agenda from a parsed template. Always a fresh tree: callers append carried items to it,
 * and that must never leak into the memoised template or the next meeting's agenda.
 */
export function renderTemplate(parsed: ParsedTemplate, context: TemplateContext): Agenda {
  const values = placeholderValues(context);
  return {
    title: fill(parsed.title, values, asText),
    intro: renderBlocks(parsed.intro, values),
    sections: parsed.sections.map((section) => renderSection(section, values)),
  };
}
