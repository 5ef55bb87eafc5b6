// The shipped templates and the registry: each template is valid, has its sections in order with the
// right carry roles, and renders with every placeholder filled.
import { describe, expect, it } from "vitest";
import type { Agenda, Block } from "../../src/domain/agenda";
import { agendaBlocks, plainText } from "../../src/domain/agenda";
import { carryRoleOfHeading, openTodoIndices } from "../../src/domain/sections";
import type { TemplateContext, TemplateId } from "../../src/templates";
import {
  getTemplate,
  hasDiscussionSection,
  renderTemplate,
  TEMPLATE_IDS,
  templateErrors,
  templateSchema,
} from "../../src/templates";

const context: TemplateContext = {
  pairId: "pair-1",
  manager: { name: "Maria Manager" },
  report: { name: "Ravi Report" },
  meeting: { date: "2026-03-10", weekday: "Tuesday", time: "10:00", timeZone: "Europe/Berlin" },
};

function outline(id: TemplateId): [string, number, string | null][] {
  return getTemplate(id).sections.map((section) => [plainText(section.heading), section.level, section.role]);
}

function allBlocks(blocks: readonly Block[]): Block[] {
  return blocks.flatMap((block) =>
    block.kind === "divider" || block.kind === "heading" ? [block] : [block, ...allBlocks(block.children)],
  );
}

/** Every piece of text a person will see or follow: title, run texts and link addresses. */
function textsOf(agenda: Agenda): string[] {
  const runs = [
    ...agenda.sections.map((section) => section.heading),
    ...allBlocks(agendaBlocks(agenda)).map((block) => ("text" in block ? block.text : [])),
  ].flat();
  return [
    agenda.title,
    ...runs.flatMap((run) =>
      run.kind === "text" && run.link !== undefined ? [run.text, run.link] : [run.text],
    ),
  ];
}

describe("every shipped template", () => {
  it.each(TEMPLATE_IDS)("%s parses without errors", (id) => {
    expect(templateErrors(id)).toEqual([]);
    expect(getTemplate(id).id).toBe(id);
  });

  it.each(TEMPLATE_IDS)("%s has exactly one action-items section, at level 1", (id) => {
    const template = getTemplate(id);
    const actions = template.sections.filter((section) => section.role === "actions");
    expect(actions).toHaveLength(1);
    expect(template.sections[template.carrySections.actions]).toBe(actions[0]);
    expect(actions[0]?.level).toBe(1);
  });

  it.each(TEMPLATE_IDS)("%s names its carried sections in words the read-back matches", (id) => {
    // Destinations find carried sections again by heading text; an explicit {#role} whose heading text
    // is not an alias would be written but never read back, and its open items would be dropped.
    for (const section of getTemplate(id).sections) {
      expect(carryRoleOfHeading(plainText(section.heading))).toBe(section.role);
    }
  });

  it.each(TEMPLATE_IDS)("%s has no open to-do in a carried section", (id) => {
    // A template to-do there would be carried into every next meeting on top of the fresh copy.
    const agenda = renderTemplate(getTemplate(id), context);
    const open = openTodoIndices(agendaBlocks(agenda), ["actions", "discussion", "parked"]);
    expect(open).toEqual({ actions: [], discussion: [], parked: [] });
  });

  it.each(TEMPLATE_IDS)("%s renders with no placeholder left anywhere", (id) => {
    const agenda = renderTemplate(getTemplate(id), context);
    const texts = textsOf(agenda);
    expect(texts.length).toBeGreaterThan(10);
    expect(texts.filter((text) => text.includes("{{") || text.includes("}}"))).toEqual([]);
    expect(agenda.title).toContain("2026-03-10");
    expect(texts.some((text) => text.includes("Ravi Report"))).toBe(true);
    expect(texts.some((text) => text.includes("Maria Manager"))).toBe(true);
  });

  it.each(TEMPLATE_IDS)("%s has italic guidance, prompt bullets and a preparation checklist", (id) => {
    const agenda: Agenda = renderTemplate(getTemplate(id), context);
    const blocks = allBlocks(agendaBlocks(agenda));
    const guidance = blocks.filter(
      (block) => block.kind === "paragraph" && block.text.every((run) => run.style?.italic === true),
    );
    expect(guidance.length).toBeGreaterThanOrEqual(getTemplate(id).sections.length);
    expect(blocks.some((block) => block.kind === "bullet")).toBe(true);
    const todos = agenda.intro.filter((block) => block.kind === "todo");
    expect(todos.length).toBeGreaterThanOrEqual(2);
    expect(todos.every((todo) => todo.kind === "todo" && !todo.checked)).toBe(true);
  });

  it.each(TEMPLATE_IDS)("%s shows the meeting's weekday, time and time zone", (id) => {
    const text = JSON.stringify(renderTemplate(getTemplate(id), context));
    expect(text).toContain("Tuesday 2026-03-10 at 10:00 (Europe/Berlin)");
  });
});

describe("the weekly template", () => {
  it("has the seed's five sections in order, with discussion and action items carried", () => {
    expect(outline("weekly")).toEqual([
      ["How did you feel about the week?", 1, null],
      ["Discussion points", 1, "discussion"],
      ["Progress on priorities", 1, null],
      ["Feedback", 1, null],
      ["Action items", 1, "actions"],
    ]);
  });

  it("renders a title with both names and the date", () => {
    expect(renderTemplate(getTemplate("weekly"), context).title).toBe(
      "1:1 Maria Manager & Ravi Report · 2026-03-10",
    );
  });

  it("nests the progress prompts under a priority", () => {
    const progress = getTemplate("weekly").sections[2];
    const [priority] = progress?.blocks.filter((block) => block.kind === "bullet") ?? [];
    expect(priority?.kind === "bullet" && priority.children.map((child) => child.kind)).toEqual([
      "bullet",
      "bullet",
    ]);
  });
});

describe("the other framings", () => {
  it("employee-led gives the report the discussion points and the manager open questions", () => {
    expect(outline("employee-led")).toEqual([
      ["Check-in", 1, null],
      ["Discussion points", 1, "discussion"],
      ["Open questions", 1, null],
      ["Action items", 1, "actions"],
    ]);
    expect(JSON.stringify(getTemplate("employee-led").intro)).toContain("90%");
  });

  it("three key areas covers work, career and coaching", () => {
    expect(outline("three-key-areas")).toEqual([
      ["Work performance", 1, null],
      ["Career performance", 1, null],
      ["Coaching", 1, null],
      ["Action items", 1, "actions"],
    ]);
  });

  it("past-future looks back, then ahead", () => {
    expect(outline("past-future")).toEqual([
      ["Past performance", 1, null],
      ["Future opportunities", 1, null],
      ["Action items", 1, "actions"],
    ]);
  });
});

describe("the registry", () => {
  it("lists the four templates with weekly first", () => {
    expect(TEMPLATE_IDS).toEqual(["weekly", "employee-led", "three-key-areas", "past-future"]);
  });

  it("accepts a known id", () => {
    expect(templateSchema.parse("past-future")).toBe("past-future");
  });

  it("rejects an unknown id, naming the valid ones", () => {
    const result = templateSchema.safeParse("weekley");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      "template must be one of: weekly, employee-led, three-key-areas, past-future",
    );
  });

  it("parses each template once and keeps it read-only", () => {
    const template = getTemplate("weekly");
    expect(getTemplate("weekly")).toBe(template);
    expect(() => template.sections[0]?.blocks.push({ kind: "divider" })).toThrow(TypeError);
  });

  it("says which templates have a discussion section to carry into", () => {
    expect(Object.fromEntries(TEMPLATE_IDS.map((id) => [id, hasDiscussionSection(id)]))).toEqual({
      weekly: true,
      "employee-led": true,
      "three-key-areas": false,
      "past-future": false,
    });
  });

  it("hands out a fresh agenda each time, so carrying into one never changes the next", () => {
    const first = renderTemplate(getTemplate("weekly"), context);
    const actions = first.sections.find((section) => section.role === "actions");
    actions?.blocks.push({
      kind: "todo",
      text: [{ kind: "text", text: "MARKER-carried-item" }],
      checked: false,
      children: [],
    });
    first.intro.length = 0;
    const second = renderTemplate(getTemplate("weekly"), context);
    expect(JSON.stringify(second)).not.toContain("MARKER-carried-item");
    expect(second.intro.length).toBeGreaterThan(0);
    expect(JSON.stringify(getTemplate("weekly"))).not.toContain("MARKER-carried-item");
  });
});
