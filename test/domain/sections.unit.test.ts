// Tolerant heading matching, the open to-dos found under each carried section, and the closed ones counted.
import { describe, expect, it } from "vitest";
import type { Block } from "../../src/domain/agenda";
import { carryRoleOfHeading, closedTodoCounts, openTodoIndices } from "../../src/domain/sections";

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
/** An item with the carry mark the Worker writes, in a run of its own as it writes it. */
const marked = (text: string, times: number, checked = false): Block => ({
  kind: "todo",
  text: [
    { kind: "text", text },
    { kind: "text", text: ` ↻ open since 2026-10-06 · carried ${times}×`, style: { italic: true } },
  ],
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
    ["Parking lot", "parked"],
    ["🅿️ Parking lot:", "parked"],
    ["parked", "parked"],
    ["PARKING-LOT", "parked"],
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
    expect(openTodoIndices(blocks, ["actions"])).toEqual({ actions: [4, 7], discussion: [], parked: [] });
    expect(openTodoIndices(blocks, ["actions", "discussion"])).toEqual({
      actions: [4, 7],
      discussion: [2],
      parked: [],
    });
  });

  it("counts the checked to-dos under the same headings as closed, and no others", () => {
    const withDone = [
      ...blocks,
      item("done outside", true),
      heading("Discussion points"),
      item("settled", true),
    ];
    expect(closedTodoCounts(withDone, ["actions"]).closed).toBe(1);
    expect(closedTodoCounts(withDone, ["actions", "discussion"]).closed).toBe(2);
  });
});

describe("the parking lot", () => {
  const blocks: Block[] = [
    heading("Action items"),
    item("open action"),
    heading("🅿️ Parking lot"),
    marked("parked", 5),
    marked("closed from the lot", 6, true),
  ];

  it("is a carried section of its own, read when asked for", () => {
    expect(openTodoIndices(blocks, ["actions", "parked"])).toEqual({
      actions: [1],
      discussion: [],
      parked: [3],
    });
    expect(openTodoIndices(blocks, ["actions"]).parked).toEqual([]);
  });
});

describe("closedTodoCounts", () => {
  it("counts as closed within a week only the done items that carry no carry mark", () => {
    const blocks: Block[] = [
      heading("Action items"),
      item("new and done", true),
      item("also new and done", true),
      marked("carried then done", 2, true),
      item("still open"),
      heading("Parking lot"),
      marked("parked then done", 6, true),
    ];
    expect(closedTodoCounts(blocks, ["actions", "parked"])).toEqual({ closed: 4, closedWithinWeek: 2 });
    expect(closedTodoCounts(blocks, ["actions"])).toEqual({ closed: 3, closedWithinWeek: 2 });
  });
});
