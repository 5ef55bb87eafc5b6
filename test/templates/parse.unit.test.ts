// How template Markdown maps onto the agenda model: title, sections and roles, blocks, nesting, to-dos
// and rich text.
import { describe, expect, it } from "vitest";
import type { Block } from "../../src/domain/agenda";
import { plainText } from "../../src/domain/agenda";
import { parseTemplate } from "../../src/templates";

const ACTIONS = "\n## Action items {#actions}\n";

function parse(body: string) {
  return parseTemplate("test", `# Title\n\n${body}\n${ACTIONS}`);
}

/** The blocks before the first section heading, which is where these tests put their Markdown. */
function introOf(body: string): Block[] {
  return parse(body).intro;
}

describe("title and sections", () => {
  it("takes the title from the first # heading and keeps its placeholders", () => {
    const parsed = parseTemplate("t", `# 1:1 *{{report.name}}* · {{meeting.date}}\n${ACTIONS}`);
    expect(parsed.title).toBe("1:1 {{report.name}} · {{meeting.date}}");
  });

  it("maps ## to level 1, ### to level 2 and #### to level 3", () => {
    const parsed = parse("## One\n### Two\n#### Three");
    expect(parsed.sections.map((section) => [plainText(section.heading), section.level])).toEqual([
      ["One", 1],
      ["Two", 2],
      ["Three", 3],
      ["Action items", 1],
    ]);
  });

  it("puts blocks before the first section in the intro and the rest under their heading", () => {
    const parsed = parse("Intro text\n\n## Topic\n\nUnder topic");
    expect(parsed.intro.map((block) => block.kind === "paragraph" && plainText(block.text))).toEqual([
      "Intro text",
    ]);
    expect(parsed.sections[0]?.blocks).toEqual([
      { kind: "paragraph", text: [{ kind: "text", text: "Under topic" }], children: [] },
    ]);
  });

  it("sets a role from a {#role} attribute and strips it from the heading", () => {
    const parsed = parseTemplate("t", "# T\n\n## Next steps {#actions}\n\n## Talking points {#discussion}\n");
    expect(parsed.sections.map((section) => [section.heading, section.role])).toEqual([
      [[{ kind: "text", text: "Next steps" }], "actions"],
      [[{ kind: "text", text: "Talking points" }], "discussion"],
    ]);
    expect(parsed.carrySections).toEqual({ actions: 0, discussion: 1 });
  });

  it("knows a template's own parking lot, by its wording or a {#parked} attribute", () => {
    const parsed = parseTemplate("t", "# T\n\n## Action items\n\n## 🅿️ Parking lot {#parked}\n");
    expect(parsed.sections.map((section) => section.role)).toEqual(["actions", "parked"]);
    expect(parseTemplate("t", "# T\n\n## Action items\n\n## Parked\n").sections[1]?.role).toBe("parked");
  });

  it("refuses a role whose heading wording would not be found again in a later agenda", () => {
    expect(() => parseTemplate("t", "# T\n\n## What we will do {#actions}\n")).toThrow(
      /line 3: heading "What we will do" is marked \{#actions\} but later agendas find this section by its wording; name it like one of: action items, actions/,
    );
  });

  it("strips the attribute after styled heading text", () => {
    const parsed = parseTemplate("t", "# T\n\n## **Action** items {#actions}\n");
    expect(parsed.sections[0]?.heading).toEqual([
      { kind: "text", text: "Action", style: { bold: true } },
      { kind: "text", text: " items" },
    ]);
  });

  it("falls back to the heading's words for the role when there is no attribute", () => {
    const parsed = parseTemplate("t", "# T\n\n## ✅ Next steps:\n\n## Topics\n\n## Wins\n");
    expect(parsed.sections.map((section) => section.role)).toEqual(["actions", "discussion", null]);
    expect(parsed.carrySections).toEqual({ actions: 0, discussion: 1 });
  });

  it("gives deeper headings under a carried section its role, as the read-back does", () => {
    const parsed = parseTemplate(
      "t",
      "# T\n\n## Action items\n\n### For Ann\n\n#### Soon\n\n## Notes\n\n### Misc\n",
    );
    expect(parsed.sections.map((section) => section.role)).toEqual([
      "actions",
      "actions",
      "actions",
      null,
      null,
    ]);
    expect(parsed.carrySections.actions).toBe(0);
  });

  it("reports no discussion section when there is none", () => {
    expect(parse("## Wins").carrySections).toEqual({ actions: 1, discussion: null });
  });
});

describe("blocks", () => {
  it("maps paragraphs, bullets, numbered items, quotes and dividers", () => {
    expect(introOf("Para\n\n- bullet\n\n1. first\n2. second\n\n> quoted\n\n---")).toEqual([
      { kind: "paragraph", text: [{ kind: "text", text: "Para" }], children: [] },
      { kind: "bullet", text: [{ kind: "text", text: "bullet" }], children: [] },
      { kind: "numbered", text: [{ kind: "text", text: "first" }], children: [] },
      { kind: "numbered", text: [{ kind: "text", text: "second" }], children: [] },
      { kind: "quote", text: [{ kind: "text", text: "quoted" }], children: [] },
      { kind: "divider" },
    ]);
  });

  it("turns task items into to-dos with their checked state, in bullet and numbered lists", () => {
    expect(introOf("- [ ] open\n- [x] done\n- [X] also done\n\n1. [ ] numbered task")).toEqual([
      { kind: "todo", text: [{ kind: "text", text: "open" }], checked: false, children: [] },
      { kind: "todo", text: [{ kind: "text", text: "done" }], checked: true, children: [] },
      { kind: "todo", text: [{ kind: "text", text: "also done" }], checked: true, children: [] },
      { kind: "todo", text: [{ kind: "text", text: "numbered task" }], checked: false, children: [] },
    ]);
  });

  it("nests lists as children, at any depth and across list kinds", () => {
    const [top] = introOf("- [ ] goal\n  - step one\n    1. [x] detail\n  - step two\n- next");
    expect(top).toEqual({
      kind: "todo",
      text: [{ kind: "text", text: "goal" }],
      checked: false,
      children: [
        {
          kind: "bullet",
          text: [{ kind: "text", text: "step one" }],
          children: [{ kind: "todo", text: [{ kind: "text", text: "detail" }], checked: true, children: [] }],
        },
        { kind: "bullet", text: [{ kind: "text", text: "step two" }], children: [] },
      ],
    });
  });

  it("keeps a list item's later paragraphs and a quote's later paragraphs as children", () => {
    expect(introOf("- item\n\n  more about it\n\n> said\n>\n> and more")).toEqual([
      {
        kind: "bullet",
        text: [{ kind: "text", text: "item" }],
        children: [{ kind: "paragraph", text: [{ kind: "text", text: "more about it" }], children: [] }],
      },
      {
        kind: "quote",
        text: [{ kind: "text", text: "said" }],
        children: [{ kind: "paragraph", text: [{ kind: "text", text: "and more" }], children: [] }],
      },
    ]);
  });

  it("keeps an empty bullet as a slot to type into", () => {
    expect(introOf("Topics:\n\n-\n- second")).toEqual([
      { kind: "paragraph", text: [{ kind: "text", text: "Topics:" }], children: [] },
      { kind: "bullet", text: [], children: [] },
      { kind: "bullet", text: [{ kind: "text", text: "second" }], children: [] },
    ]);
  });
});

describe("rich text", () => {
  it("keeps bold, italic, strikethrough and code, combined where nested", () => {
    const [paragraph] = introOf("a **b _c_** ~~d~~ `e`");
    expect(paragraph?.kind === "paragraph" && paragraph.text).toEqual([
      { kind: "text", text: "a " },
      { kind: "text", text: "b ", style: { bold: true } },
      { kind: "text", text: "c", style: { bold: true, italic: true } },
      { kind: "text", text: " " },
      { kind: "text", text: "d", style: { strikethrough: true } },
      { kind: "text", text: " " },
      { kind: "text", text: "e", style: { code: true } },
    ]);
  });

  it("keeps links, styled link text and autolinked addresses", () => {
    const [paragraph] = introOf("See [the *plan*](https://example.com/plan) or https://example.org/x.");
    expect(paragraph?.kind === "paragraph" && paragraph.text).toEqual([
      { kind: "text", text: "See " },
      { kind: "text", text: "the ", link: "https://example.com/plan" },
      { kind: "text", text: "plan", style: { italic: true }, link: "https://example.com/plan" },
      { kind: "text", text: " or " },
      { kind: "text", text: "https://example.org/x", link: "https://example.org/x" },
      { kind: "text", text: "." },
    ]);
  });

  it("reads a wrapped line as one paragraph and a hard break as a new line", () => {
    const [paragraph] = introOf("*a long\n  guidance line*\n\nfirst\\\nsecond");
    expect(paragraph?.kind === "paragraph" && paragraph.text).toEqual([
      { kind: "text", text: "a long guidance line", style: { italic: true } },
    ]);
    const [, hard] = introOf("*a long\n  guidance line*\n\nfirst\\\nsecond");
    expect(hard?.kind === "paragraph" && plainText(hard.text)).toBe("first\nsecond");
  });

  it("merges runs that look the same, so one phrase stays one rich-text item", () => {
    const [paragraph] = introOf("**one** **two**");
    expect(paragraph?.kind === "paragraph" && paragraph.text).toEqual([
      { kind: "text", text: "one", style: { bold: true } },
      { kind: "text", text: " " },
      { kind: "text", text: "two", style: { bold: true } },
    ]);
    const [joined] = introOf("*one*_two_");
    expect(joined?.kind === "paragraph" && joined.text).toEqual([
      { kind: "text", text: "onetwo", style: { italic: true } },
    ]);
  });

  it("keeps placeholders in text, code and link addresses for rendering", () => {
    const [paragraph] = introOf(
      "Hi {{ report.name }} `{{meeting.time}}` [cal](https://c.example/{{meeting.date}})",
    );
    expect(paragraph?.kind === "paragraph" && paragraph.text).toEqual([
      { kind: "text", text: "Hi {{ report.name }} " },
      { kind: "text", text: "{{meeting.time}}", style: { code: true } },
      { kind: "text", text: " " },
      { kind: "text", text: "cal", link: "https://c.example/{{meeting.date}}" },
    ]);
  });
});
