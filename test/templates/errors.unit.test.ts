// A broken template names itself, the line and the problem, and reports every problem at once.
import { describe, expect, it } from "vitest";
import { parseTemplate, TemplateError } from "../../src/templates";

const VALID_END = "\n## Action items {#actions}\n";

function problemsOf(markdown: string, id = "weekly"): readonly string[] {
  try {
    parseTemplate(id, markdown);
  } catch (error) {
    if (error instanceof TemplateError) return error.problems;
    throw error;
  }
  throw new Error("expected a TemplateError");
}

/** A valid template with `body` starting on line 3. */
function withBody(body: string): string {
  return `# Title\n\n${body}\n${VALID_END}`;
}

describe("unsupported Markdown", () => {
  it.each([
    ["a table", "| a | b |\n| - | - |\n| 1 | 2 |", 3, "tables are not supported; use a list"],
    ["a fenced code block", "```\ncode\n```", 3, "code blocks are not supported"],
    ["an indented code block", "Para\n\n    code", 5, "code blocks are not supported"],
    ["an HTML block", "<div>hi</div>", 3, "HTML is not supported"],
    ["an HTML comment", "<!-- note -->", 3, "HTML is not supported"],
    ["inline HTML", "Line\n\nsome <b>bold</b>", 5, "HTML is not supported"],
    ["an image", "![logo](https://x.example/l.png)", 3, "images are not supported"],
    ["a reference link", "[docs][d]\n\n[d]: https://x.example", 3, "reference links are not supported"],
    ["a footnote", "Text[^1]\n\n[^1]: note", 3, "footnotes are not supported"],
    ["a heading in a list", "- ## heading", 3, "headings inside lists or quotes are not supported"],
    ["a code block in a list", "- item\n\n      code", 5, "code blocks are not supported"],
  ])("rejects %s with its line", (_name, body, line, message) => {
    const problems = problemsOf(withBody(body));
    expect(problems[0]).toContain(`template "weekly" line ${line}: ${message}`);
  });

  it("rejects a heading deeper than ####", () => {
    expect(problemsOf(withBody("Intro\n\n##### Too deep"))).toEqual([
      'template "weekly" line 5: heading level 5 is too deep; use "## " to "#### "',
    ]);
  });
});

describe("placeholders", () => {
  it("rejects an unknown placeholder, naming it and the known ones", () => {
    const problems = problemsOf(withBody("Line one\n\nHello {{repot.name}}"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^template "weekly" line 5: unknown placeholder \{\{repot\.name\}\} \(known: /,
    );
    expect(problems[0]).toContain("{{report.name}}");
    expect(problems[0]).toContain("{{meeting.timeZone}}");
  });

  it("counts lines inside a wrapped paragraph", () => {
    expect(problemsOf(withBody("First line\nsecond {{nope}}\nthird"))).toEqual([
      expect.stringMatching(/^template "weekly" line 4: unknown placeholder \{\{nope\}\}/),
    ]);
  });

  it("rejects an unbalanced {{ and a stray }}", () => {
    expect(problemsOf(withBody("Hi {{report.name\n\nBye report.name}}"))).toEqual([
      'template "weekly" line 3: unbalanced {{ (no closing }})',
      'template "weekly" line 5: unbalanced }} (no opening {{)',
    ]);
  });

  it("rejects a {{ opened again before it was closed", () => {
    expect(problemsOf(withBody("{{report.name {{manager.name}}"))).toEqual([
      'template "weekly" line 3: unbalanced {{ (no closing }})',
    ]);
  });

  it("checks the title, headings, inline code and link addresses too", () => {
    const problems = problemsOf(
      `# 1:1 {{pair.name}}\n\n## About {{who}}\n\n\`{{code}}\` [x](https://x.example/{{url}})\n${VALID_END}`,
    );
    expect(problems.map((problem) => problem.replace(/ \(known: .*\)$/, ""))).toEqual([
      'template "weekly" line 1: unknown placeholder {{pair.name}}',
      'template "weekly" line 3: unknown placeholder {{who}}',
      'template "weekly" line 5: unknown placeholder {{code}}',
      'template "weekly" line 5: unknown placeholder {{url}}',
    ]);
  });

  it("rejects a placeholder split by formatting", () => {
    expect(problemsOf(withBody("{{report.*name*}}"))).toEqual([
      'template "weekly" line 3: unbalanced {{ (no closing }})',
      'template "weekly" line 3: unbalanced }} (no opening {{)',
    ]);
  });
});

describe("title", () => {
  it("rejects a template with no title", () => {
    expect(problemsOf("Intro\n\n## Action items {#actions}\n")).toEqual([
      'template "weekly": no title: start the template with a "# " line',
    ]);
  });

  it("rejects a second title, pointing at the first", () => {
    expect(problemsOf(withBody("Intro\n\n# Another title"))).toEqual([
      'template "weekly" line 5: a second "# " title (the first is on line 1); use "## " for a section',
    ]);
  });

  it("rejects a title after other content", () => {
    expect(problemsOf(`Intro\n\n# Title\n${VALID_END}`)).toEqual([
      'template "weekly" line 3: the "# " title must come before everything else',
    ]);
  });

  it("rejects an empty title and a role attribute on the title", () => {
    expect(problemsOf(`# {#actions}\n${VALID_END}`)).toEqual([
      'template "weekly" line 1: a role attribute belongs on a section heading, not the title',
      'template "weekly" line 1: the title is empty',
    ]);
  });
});

describe("sections", () => {
  it("rejects a template without an action-items section", () => {
    expect(problemsOf("# Title\n\n## Discussion points {#discussion}\n")).toEqual([
      'template "weekly": no action-items section: add a heading such as "## Action items {#actions}"',
    ]);
  });

  it("rejects a second action-items section, by attribute or by name", () => {
    expect(problemsOf("# T\n\n## Action items\n\n## Actions {#actions}\n\n## Next steps\n")).toEqual([
      'template "weekly" line 5: a second action-items section (the first is on line 3)',
      'template "weekly" line 7: a second action-items section (the first is on line 3)',
    ]);
  });

  it("rejects a second discussion-points section", () => {
    expect(problemsOf(withBody("## Topics\n\n## Discussion points"))).toEqual([
      'template "weekly" line 5: a second discussion-points section (the first is on line 3)',
    ]);
  });

  it("rejects an unknown role attribute instead of leaving it in the heading", () => {
    expect(problemsOf(withBody("## Things {#action}"))).toEqual([
      'template "weekly" line 3: unknown section role {#action} (use {#actions}, {#discussion} or {#parked})',
    ]);
  });

  it("rejects an empty section heading", () => {
    expect(problemsOf(withBody("## {#discussion}"))).toEqual([
      'template "weekly" line 3: a section heading is empty',
    ]);
  });
});

describe("reporting", () => {
  it("collects every problem in one error, in document order, named after the template", () => {
    const markdown = [
      "Intro", // 1
      "", // 2
      "| a |", // 3
      "| - |", // 4
      "", // 5
      "Hi {{repot.name}}", // 6
      "", // 7
      "##### deep", // 8
      "", // 9
      "<br>", // 10
    ].join("\n");
    let caught: unknown;
    try {
      parseTemplate("past-future", markdown);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TemplateError);
    const error = caught instanceof TemplateError ? caught : null;
    expect(error?.templateId).toBe("past-future");
    expect(error?.problems.map((problem) => problem.replace(/ \(known: .*\)$/, ""))).toEqual([
      'template "past-future" line 3: tables are not supported; use a list',
      'template "past-future" line 6: unknown placeholder {{repot.name}}',
      'template "past-future" line 8: heading level 5 is too deep; use "## " to "#### "',
      'template "past-future" line 10: HTML is not supported (comments included); write guidance as *italic text*',
      'template "past-future": no title: start the template with a "# " line',
      'template "past-future": no action-items section: add a heading such as "## Action items {#actions}"',
    ]);
    expect(error?.message).toBe(error?.problems.join("\n"));
  });

  it("accepts a minimal valid template", () => {
    const parsed = parseTemplate("t", "# T\n\n## Action items\n");
    expect(parsed.title).toBe("T");
    expect(parsed.sections.map((section) => section.role)).toEqual(["actions"]);
  });
});
