// Tolerant heading matching, the open to-dos found under each carried section, and the closed ones counted.
import { describe, expect, it } from "vitest";
import type { Block } from "../../src/domain/agenda";
import { carryRoleOfHeading, closedTodoCount, openTodoIndices } from "../../src/domain/sections";

const heading = (text: string, level: 1 | 2 | 3 = 1): Block => ({
  kind: "heading",
  level,
  text: [{ kind: "text", text }],
});
const item = (text: string, checked = false): Block => ({
  kind: "todo",
  text: [{ kind: "text", text }],
  checked,
  children: [],
});

describe("carryRoleOfHeading", () => {
  it.each([
    ["Action items", "actions"],
    ["✅ ACTION ITEMS:", "actions"],
    ["action-items", "actions"],
    ["  Next steps ", "actions"],
    ["🗣️ Discussion points", "discussion"],
    ["Feedback", null],
    ["Actions taken last week", null],
  ])("%s → %s", (text, role) => {
    expect(carryRoleOfHeading(text)).toBe(role);
  });
});

describe("openTodoIndices", () => {
  const blocks: Block[] = [
    item("outside any section"),
    heading("Discussion points"),
    item("topic"),
    heading("Action items"),
    item("open"),
    item("done", true),
    heading("Details", 2),
    item("still in actions: a deeper heading does not end the section"),
    heading("Feedback"),
    item("not an action"),
  ];

  it("finds the unchecked to-dos under each wanted heading only", () => {
    expect(openTodoIndices(blocks, ["actions"])).toEqual({ actions: [4, 7], discussion: [] });
    expect(openTodoIndices(blocks, ["actions", "discussion"])).toEqual({ actions: [4, 7], discussion: [2] });
  });

  it("counts the checked to-dos under the same headings as closed, and no others", () => {
    const withDone = [
      ...blocks,
      item("done outside", true),
      heading("Discussion points"),
      item("settled", true),
    ];
    expect(closedTodoCount(withDone, ["actions"])).toBe(1);
    expect(closedTodoCount(withDone, ["actions", "discussion"])).toBe(2);
  });
});
