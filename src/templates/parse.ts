// Owns the template syntax: Markdown (CommonMark plus GFM task lists, strikethrough and autolinks) read
// into the neutral agenda model with placeholders still in the text, and every problem a person must
// fix, reported with the template's name and line. Rendering a meeting's values in is render.ts's job.
import type { ListItem, Nodes, PhrasingContent, RootContent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import type { Agenda, Block, CarryRole, HeadingLevel, Inline, RichText, TextStyle } from "../domain/agenda";
import { plainText } from "../domain/agenda";
import { carryRoleOfHeading, headingAliases } from "../domain/sections";
import { placeholderProblems } from "./placeholders";

/** A template read and checked, with `{{placeholders}}` still in its text. */
export interface ParsedTemplate extends Agenda {
  id: string;
  /**
   * Index in `sections` of the section whose heading owns each carry role. Deeper sections under it
   * share its role (as `openTodoIndices` reads them back), so this is where carried items belong.
   */
  carrySections: { actions: number; discussion: number | null };
}

/** A template a person must fix. `problems` holds every problem found, one message each. */
export class TemplateError extends Error {
  constructor(
    readonly templateId: string,
    readonly problems: readonly string[],
  ) {
    super(problems.join("\n"));
    this.name = "TemplateError";
  }
}

type TextRun = Extract<Inline, { kind: "text" }>;

interface InlineScope {
  style: TextStyle;
  link: string | undefined;
}

class Problems {
  readonly messages: string[] = [];

  constructor(private readonly templateId: string) {}

  add(line: number | undefined, message: string): void {
    const where = line === undefined ? "" : ` line ${line}`;
    this.messages.push(`template "${this.templateId}"${where}: ${message}`);
  }
}

const ROLE_NAMES: Record<CarryRole, string> = {
  actions: "action-items",
  discussion: "discussion-points",
  parked: "parking-lot",
};

const UNSUPPORTED: Record<string, string> = {
  table: "tables are not supported; use a list",
  code: "code blocks are not supported; use `inline code` in a paragraph",
  html: "HTML is not supported (comments included); write guidance as *italic text*",
  image: "images are not supported",
  imageReference: "images are not supported",
  linkReference: "reference links are not supported; write links inline as [text](https://...)",
  definition: "link reference definitions are not supported; write links inline as [text](https://...)",
  footnoteReference: "footnotes are not supported",
  footnoteDefinition: "footnotes are not supported",
  yaml: "front matter is not supported",
};

function unsupported(type: string): string {
  return UNSUPPORTED[type] ?? `${type} is not supported`;
}

function lineOf(node: Nodes): number | undefined {
  return node.position?.start.line;
}

function checkPlaceholders(text: string, line: number | undefined, problems: Problems): void {
  for (const problem of placeholderProblems(text)) {
    const linesBefore = text.slice(0, problem.offset).split("\n").length - 1;
    problems.add(line === undefined ? undefined : line + linesBefore, problem.message);
  }
}

const STYLE_KEYS = ["bold", "italic", "strikethrough", "underline", "code", "color"] as const;

function sameStyle(a: TextStyle, b: TextStyle): boolean {
  return STYLE_KEYS.every((key) => a[key] === b[key]);
}

// Adjacent runs with the same look are merged, so `**a** **b**`-style splits made by the parser do not
// turn into needless rich-text items (Notion counts them).
function pushRun(runs: TextRun[], text: string, scope: InlineScope): void {
  if (text === "") return;
  const last = runs.at(-1);
  if (last !== undefined && last.link === scope.link && sameStyle(last.style ?? {}, scope.style)) {
    last.text += text;
    return;
  }
  const run: TextRun = { kind: "text", text };
  if (Object.keys(scope.style).length > 0) run.style = { ...scope.style };
  if (scope.link !== undefined) run.link = scope.link;
  runs.push(run);
}

function styled(scope: InlineScope, key: "bold" | "italic" | "strikethrough" | "code"): InlineScope {
  return { ...scope, style: { ...scope.style, [key]: true } };
}

// A soft line break is a space in Markdown; people wrap long guidance lines and expect one paragraph.
const SOFT_BREAK = /[ \t]*\r?\n[ \t]*/g;

function collectInline(
  nodes: readonly PhrasingContent[],
  scope: InlineScope,
  runs: TextRun[],
  problems: Problems,
): void {
  for (const node of nodes) {
    switch (node.type) {
      case "text":
        checkPlaceholders(node.value, lineOf(node), problems);
        pushRun(runs, node.value.replace(SOFT_BREAK, " "), scope);
        break;
      case "inlineCode":
        checkPlaceholders(node.value, lineOf(node), problems);
        pushRun(runs, node.value, styled(scope, "code"));
        break;
      case "emphasis":
        collectInline(node.children, styled(scope, "italic"), runs, problems);
        break;
      case "strong":
        collectInline(node.children, styled(scope, "bold"), runs, problems);
        break;
      case "delete":
        collectInline(node.children, styled(scope, "strikethrough"), runs, problems);
        break;
      case "break":
        pushRun(runs, "\n", scope);
        break;
      case "link":
        checkPlaceholders(node.url, lineOf(node), problems);
        collectInline(
          node.children,
          { ...scope, link: node.url === "" ? undefined : node.url },
          runs,
          problems,
        );
        break;
      default:
        problems.add(lineOf(node), unsupported(node.type));
    }
  }
}

function richText(nodes: readonly PhrasingContent[], problems: Problems): TextRun[] {
  const runs: TextRun[] = [];
  collectInline(nodes, { style: {}, link: undefined }, runs, problems);
  return runs;
}

/** A list item's or quote's first paragraph is its text; whatever follows nests under it. */
function leadAndChildren(
  nodes: readonly RootContent[],
  problems: Problems,
): { text: RichText; children: Block[] } {
  const [first, ...rest] = nodes;
  if (first?.type !== "paragraph") {
    return { text: [], children: nodes.flatMap((node) => blocksOf(node, problems)) };
  }
  return {
    text: richText(first.children, problems),
    children: rest.flatMap((node) => blocksOf(node, problems)),
  };
}

function listItemBlock(item: ListItem, ordered: boolean, problems: Problems): Block {
  const { text, children } = leadAndChildren(item.children, problems);
  if (typeof item.checked === "boolean") return { kind: "todo", text, checked: item.checked, children };
  return { kind: ordered ? "numbered" : "bullet", text, children };
}

function blocksOf(node: RootContent, problems: Problems): Block[] {
  switch (node.type) {
    case "paragraph":
      return [{ kind: "paragraph", text: richText(node.children, problems), children: [] }];
    case "list":
      return node.children.map((item) => listItemBlock(item, node.ordered === true, problems));
    case "blockquote":
      return [{ kind: "quote", ...leadAndChildren(node.children, problems) }];
    case "thematicBreak":
      return [{ kind: "divider" }];
    case "heading":
      // Only top-level headings start sections; one inside a list or quote has nowhere to go.
      problems.add(lineOf(node), "headings inside lists or quotes are not supported");
      return [];
    default:
      problems.add(lineOf(node), unsupported(node.type));
      return [];
  }
}

// Pandoc-style `{#actions}` at the end of a heading; any `{#word}` is taken so that a typo is reported
// rather than left in the heading text.
const ROLE_ATTRIBUTE = /\s*\{#([^{}\s]*)\}\s*$/;

/** Removes a trailing `{#role}` from a heading's runs and returns the word inside, or null. */
function takeRoleAttribute(runs: TextRun[]): string | null {
  const last = runs.at(-1);
  if (last === undefined || last.style?.code === true) return null;
  const match = ROLE_ATTRIBUTE.exec(last.text);
  if (match === null) return null;
  last.text = last.text.slice(0, match.index);
  if (last.text === "") runs.pop();
  return match[1] ?? "";
}

function roleOfAttribute(attribute: string, line: number | undefined, problems: Problems): CarryRole | null {
  if (attribute === "actions" || attribute === "discussion" || attribute === "parked") return attribute;
  problems.add(line, `unknown section role {#${attribute}} (use {#actions}, {#discussion} or {#parked})`);
  return null;
}

function levelOfDepth(depth: number): HeadingLevel | null {
  switch (depth) {
    case 2:
      return 1;
    case 3:
      return 2;
    case 4:
      return 3;
    default:
      return null;
  }
}

/** What reading the headings keeps from one heading to the next. */
interface HeadingState {
  parsed: ParsedTemplate;
  problems: Problems;
  /** The title's line once read (undefined when the node had no position); null before. */
  titleLine: number | undefined | null;
  /** The line of the section heading that owns each carry role; null while none does. */
  ownerLines: Record<CarryRole, number | undefined | null>;
  /** The role a deeper heading inherits, read the same way `openTodoIndices` reads an agenda back. */
  scope: { role: CarryRole; level: HeadingLevel } | null;
}

/** The "# " title: once, before everything else, not empty, with no role attribute. */
function readTitle(
  state: HeadingState,
  line: number | undefined,
  runs: TextRun[],
  attribute: string | null,
): void {
  const { parsed, problems } = state;
  if (state.titleLine !== null) {
    problems.add(
      line,
      `a second "# " title (the first is on line ${state.titleLine}); use "## " for a section`,
    );
    return;
  }
  state.titleLine = line;
  if (parsed.intro.length > 0 || parsed.sections.length > 0) {
    problems.add(line, `the "# " title must come before everything else`);
  }
  if (attribute !== null) problems.add(line, "a role attribute belongs on a section heading, not the title");
  parsed.title = plainText(runs).trim();
  if (parsed.title === "") problems.add(line, "the title is empty");
}

/** The carry role a section heading owns: by its `{#role}` attribute or its wording; null for neither. */
function ownRoleOf(
  runs: TextRun[],
  attribute: string | null,
  line: number | undefined,
  problems: Problems,
): CarryRole | null {
  const declared = attribute === null ? null : roleOfAttribute(attribute, line, problems);
  const worded = carryRoleOfHeading(plainText(runs));
  if (declared !== null && worded !== declared && plainText(runs).trim() !== "") {
    // Earlier agendas are read back by heading wording alone, so a role the wording does not name
    // would be written once and never carried again.
    problems.add(
      line,
      `heading "${plainText(runs)}" is marked {#${declared}} but later agendas find this section by its wording; name it like one of: ${headingAliases(declared).join(", ")}`,
    );
  }
  return declared ?? worded;
}

/** A "## " to "#### " section: its role (owned once per role, or inherited from a shallower one). */
function readSection(
  state: HeadingState,
  depth: number,
  line: number | undefined,
  runs: TextRun[],
  attribute: string | null,
): void {
  const { parsed, problems } = state;
  const level = levelOfDepth(depth);
  if (level === null) {
    problems.add(line, `heading level ${depth} is too deep; use "## " to "#### "`);
    return;
  }
  const lastRun = runs.at(-1);
  if (lastRun !== undefined) lastRun.text = lastRun.text.trimEnd();
  if (plainText(runs).trim() === "") problems.add(line, "a section heading is empty");

  const own = ownRoleOf(runs, attribute, line, problems);
  if (own !== null) {
    const firstLine = state.ownerLines[own];
    if (firstLine !== null) {
      problems.add(line, `a second ${ROLE_NAMES[own]} section (the first is on line ${firstLine})`);
    } else {
      state.ownerLines[own] = line;
      if (own === "actions") parsed.carrySections.actions = parsed.sections.length;
      else if (own === "discussion") parsed.carrySections.discussion = parsed.sections.length;
    }
  }
  const scope = state.scope;
  const role = own ?? (scope !== null && level > scope.level ? scope.role : null);
  if (own !== null) state.scope = { role: own, level };
  else if (role === null) state.scope = null;
  parsed.sections.push({ heading: runs, level, role, blocks: [] });
}

/**
 * Reads a template. Throws a `TemplateError` listing every problem (unsupported Markdown, unknown or
 * unbalanced placeholders, a missing or second title, a missing or second action-items section), each
 * as `template "<id>" line <n>: <what>`.
 */
export function parseTemplate(id: string, markdown: string): ParsedTemplate {
  const problems = new Problems(id);
  const tree = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const state: HeadingState = {
    parsed: { id, title: "", intro: [], sections: [], carrySections: { actions: -1, discussion: null } },
    problems,
    titleLine: null,
    ownerLines: { actions: null, discussion: null, parked: null },
    scope: null,
  };
  const { parsed } = state;

  for (const node of tree.children) {
    if (node.type !== "heading") {
      (parsed.sections.at(-1)?.blocks ?? parsed.intro).push(...blocksOf(node, problems));
      continue;
    }
    const line = lineOf(node);
    const runs = richText(node.children, problems);
    const attribute = takeRoleAttribute(runs);
    if (node.depth === 1) readTitle(state, line, runs, attribute);
    else readSection(state, node.depth, line, runs, attribute);
  }

  if (state.titleLine === null) problems.add(undefined, 'no title: start the template with a "# " line');
  if (state.ownerLines.actions === null) {
    problems.add(undefined, 'no action-items section: add a heading such as "## Action items {#actions}"');
  }
  if (problems.messages.length > 0) throw new TemplateError(id, problems.messages);
  return parsed;
}
