// People insert chips where they like: a status dropdown anywhere in an item's line decides whether it is
// done, a person chip anywhere in it stays a mention (the owner), and a dropdown that is not a status
// (a priority) keeps its words.
import { describe, expect, it } from "vitest";
import { statusDefinitionIds } from "../../../src/destinations/google/read/status";
import { blockFromParagraph, type ReadContext } from "../../../src/destinations/google/read/to-model";
import { plainText } from "../../../src/domain/agenda";
import { ownerOf } from "../../../src/domain/carry";

const definitions = {
  "kix.status": {
    dropdownDefinitionId: "kix.status",
    dropdownDefinitionProperties: {
      title: "Status",
      options: [
        { optionId: "dropdownItem.todo", displayValue: "Pending" },
        { optionId: "dropdownItem.fin", displayValue: "Done" },
      ],
    },
  },
  "kix.prio": {
    dropdownDefinitionId: "kix.prio",
    dropdownDefinitionProperties: {
      options: [
        { optionId: "dropdownItem.hi", displayValue: "High" },
        { optionId: "dropdownItem.lo", displayValue: "Low" },
      ],
    },
  },
};
const context: ReadContext = {
  lists: {},
  doneOptionIds: new Set(["dropdownItem.fin"]),
  statusDefinitionIds: statusDefinitionIds(definitions),
};

type Element = Record<string, unknown> & { startIndex: number; endIndex: number };
function run(content: string): Record<string, unknown> {
  return { textRun: { content } };
}
const ada = { person: { personId: "p1", personProperties: { email: "ada@example.com", name: "Ada" } } };
function chip(definition: string, option: string, shown?: string) {
  return {
    dropdown: {
      dropdownId: `d-${option}`,
      dropdownProperties: {
        dropdownDefinitionId: definition,
        selectedOptionId: option,
        ...(shown === undefined ? {} : { displayValue: shown }),
      },
    },
  };
}
function item(...parts: Record<string, unknown>[]) {
  let at = 1;
  const elements: Element[] = parts.map((part) => {
    const length =
      typeof (part.textRun as { content?: string } | undefined)?.content === "string"
        ? (part.textRun as { content: string }).content.length
        : 1;
    const element = { startIndex: at, endIndex: at + length, ...part };
    at += length;
    return element;
  });
  return { elements, bullet: { listId: "l", nestingLevel: 0 } };
}

describe("chips anywhere in the line", () => {
  it("a Done chip at the end of the line closes the item, and its word is not kept", () => {
    const block = blockFromParagraph(
      item(run("Send the offer letter "), chip("kix.status", "dropdownItem.fin", "Done"), run("\n")),
      context,
    );
    expect(block).toMatchObject({ kind: "todo", checked: true });
    expect(block !== null && "text" in block ? plainText(block.text).trim() : "").toBe(
      "Send the offer letter",
    );
  });

  it("Done wins over the Open chip the item starts with", () => {
    const block = blockFromParagraph(
      item(
        chip("kix.status", "dropdownItem.todo", "Open"),
        run(" Book travel "),
        chip("kix.status", "dropdownItem.fin", "Done"),
        run("\n"),
      ),
      context,
    );
    expect(block).toMatchObject({ kind: "todo", checked: true });
  });

  it("a status chip mid-line that is not Done makes an open item, known by its definition even without a shown value", () => {
    const block = blockFromParagraph(
      item(run("Review "), chip("kix.status", "dropdownItem.todo"), run(" the plan\n")),
      context,
    );
    expect(block).toMatchObject({ kind: "todo", checked: false });
  });

  it("a person chip mid-line stays a mention and is the item's owner", () => {
    const block = blockFromParagraph(
      item(
        run("Draft the memo with "),
        ada,
        run(" by Friday "),
        chip("kix.status", "dropdownItem.todo", "Pending"),
        run("\n"),
      ),
      context,
    );
    expect(block?.kind).toBe("todo");
    const text = block !== null && "text" in block ? block.text : [];
    expect(text.some((inline) => inline.kind === "mention")).toBe(true);
    expect(ownerOf(text)).toBe("ada@example.com");
  });

  it("a dropdown that is not a status keeps its words and decides nothing", () => {
    const block = blockFromParagraph(
      item(run("Hire a designer "), chip("kix.prio", "dropdownItem.hi", "High"), run("\n")),
      context,
    );
    expect(block?.kind).toBe("bullet");
    expect(block !== null && "text" in block ? plainText(block.text) : "").toBe("Hire a designer High");
  });
});
