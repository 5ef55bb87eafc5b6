// Rendering fills placeholders with plain text everywhere a template has text, and keeps the structure.
import { describe, expect, it } from "vitest";
import type { TemplateContext } from "../../src/templates";
import { parseTemplate, renderTemplate } from "../../src/templates";

const context: TemplateContext = {
  pairId: "pair-1",
  manager: { name: "Maria" },
  report: { name: "Ravi" },
  meeting: { date: "2026-10-27", weekday: "Tuesday", time: "09:30", timeZone: "America/New_York" },
};

function render(markdown: string, overrides: Partial<TemplateContext> = {}) {
  return renderTemplate(parseTemplate("test", markdown), { ...context, ...overrides });
}

describe("renderTemplate", () => {
  it("fills every placeholder in the title, headings, blocks and nested children", () => {
    const agenda = render(
      [
        "# {{manager.name}} / {{report.name}} · {{meeting.date}}",
        "",
        "*{{meeting.weekday}} at {{meeting.time}} ({{meeting.timeZone}})*",
        "",
        "## For {{report.name}}",
        "",
        "- [ ] **{{report.name}}** prepares",
        "  - ask {{ manager.name }}",
        "",
        "> {{meeting.date}}",
        "",
        "## Action items {#actions}",
      ].join("\n"),
    );
    expect(agenda).toEqual({
      title: "Maria / Ravi · 2026-10-27",
      intro: [
        {
          kind: "paragraph",
          text: [{ kind: "text", text: "Tuesday at 09:30 (America/New_York)", style: { italic: true } }],
          children: [],
        },
      ],
      sections: [
        {
          heading: [{ kind: "text", text: "For Ravi" }],
          level: 1,
          role: null,
          blocks: [
            {
              kind: "todo",
              text: [
                { kind: "text", text: "Ravi", style: { bold: true } },
                { kind: "text", text: " prepares" },
              ],
              checked: false,
              children: [{ kind: "bullet", text: [{ kind: "text", text: "ask Maria" }], children: [] }],
            },
            { kind: "quote", text: [{ kind: "text", text: "2026-10-27" }], children: [] },
          ],
        },
        { heading: [{ kind: "text", text: "Action items" }], level: 1, role: "actions", blocks: [] },
      ],
    });
  });

  it("treats values as plain text, never as Markdown or as more placeholders", () => {
    const agenda = render(
      "# {{report.name}}\n\n{{manager.name}} and `{{report.name}}`\n\n## Action items\n",
      {
        manager: { name: "$& {{report.name}}" },
        report: { name: "*Ann* [x](y)" },
      },
    );
    expect(agenda.title).toBe("*Ann* [x](y)");
    expect(agenda.intro).toEqual([
      {
        kind: "paragraph",
        text: [
          { kind: "text", text: "$& {{report.name}} and " },
          { kind: "text", text: "*Ann* [x](y)", style: { code: true } },
        ],
        children: [],
      },
    ]);
  });

  it("keeps styles and links, and percent-encodes values placed in a link address", () => {
    const agenda = render(
      "# T\n\nSee [notes for {{report.name}}](https://notes.example/{{report.name}}?d={{meeting.date}}) ~~old~~\n\n## Action items\n",
      { report: { name: "Ann Lee/2" } },
    );
    expect(agenda.intro[0]).toEqual({
      kind: "paragraph",
      text: [
        { kind: "text", text: "See " },
        {
          kind: "text",
          text: "notes for Ann Lee/2",
          link: "https://notes.example/Ann%20Lee%2F2?d=2026-10-27",
        },
        { kind: "text", text: " " },
        { kind: "text", text: "old", style: { strikethrough: true } },
      ],
      children: [],
    });
  });

  it("drops a run that a value left empty", () => {
    const agenda = render("# T\n\nZone: *{{meeting.timeZone}}*\n\n## Action items\n", {
      meeting: { ...context.meeting, timeZone: "" },
    });
    expect(agenda.intro[0]).toEqual({
      kind: "paragraph",
      text: [{ kind: "text", text: "Zone: " }],
      children: [],
    });
  });

  it("keeps checked states, dividers, numbered items and heading levels", () => {
    const agenda = render("# T\n\n## A\n\n### B\n\n1. one\n\n---\n\n- [x] done\n\n## Action items\n");
    expect(agenda.sections.map((section) => section.level)).toEqual([1, 2, 1]);
    expect(agenda.sections[1]?.blocks).toEqual([
      { kind: "numbered", text: [{ kind: "text", text: "one" }], children: [] },
      { kind: "divider" },
      { kind: "todo", text: [{ kind: "text", text: "done" }], checked: true, children: [] },
    ]);
  });

  it("returns an agenda without the template's bookkeeping", () => {
    const agenda = render("# T\n\n## Action items\n");
    expect(Object.keys(agenda).sort()).toEqual(["intro", "sections", "title"]);
  });
});
