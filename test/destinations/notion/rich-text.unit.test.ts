// Rich text between the model and Notion: styles, links and mentions survive a round trip through what
// Notion returns; long text is split, never dropped; no array passes Notion's item limit.
import type { RichTextItemResponse } from "@notionhq/client";
import { describe, expect, it } from "vitest";
import {
  chunkRichText,
  inlineFromNotion,
  MAX_RICH_TEXT_ITEMS,
  MAX_TEXT_LENGTH,
  type RichTextItemRequest,
  richTextFromNotion,
  richTextToNotion,
  splitText,
} from "../../../src/destinations/notion/rich-text";
import type { RichText } from "../../../src/domain/agenda";
import { plainText } from "../../../src/domain/agenda";
import { notionModel } from "./notion-model";

const notion = notionModel();
const ALICE = notion.person("Alice");
const ROADMAP = notion.page("Roadmap");

function roundTrip(text: RichText): RichText {
  return richTextFromNotion(notion.richText(richTextToNotion(text)));
}

function textContent(item: RichTextItemRequest): string {
  return "text" in item ? item.text.content : "";
}

describe("rich text round trip", () => {
  it("happy: keeps every style, colour, link and mention", () => {
    const text: RichText = [
      { kind: "text", text: "Ship ", style: { bold: true } },
      { kind: "text", text: "the ", style: { italic: true, underline: true } },
      { kind: "text", text: "old", style: { strikethrough: true } },
      { kind: "text", text: " plan", style: { code: true, color: "red_background" } },
      { kind: "text", text: " (spec)", link: "https://example.com/spec" },
      { kind: "text", text: " owner ", style: { color: "blue" } },
      { kind: "mention", text: "@Alice", mention: { type: "user", userId: ALICE } },
      { kind: "text", text: " due " },
      {
        kind: "mention",
        text: "2026-12-01",
        mention: { type: "date", start: "2026-12-01" },
        style: { bold: true },
      },
      { kind: "text", text: " to " },
      {
        kind: "mention",
        // Notion's plain_text for a date range names both ends.
        text: "2026-12-01 → 2026-12-03",
        mention: { type: "date", start: "2026-12-01", end: "2026-12-03" },
      },
      { kind: "text", text: " see " },
      { kind: "mention", text: "Roadmap", mention: { type: "page", pageId: ROADMAP } },
    ];
    expect(roundTrip(text)).toEqual(text);
  });

  it("happy: an empty rich text stays empty", () => {
    expect(richTextToNotion([])).toEqual([]);
    expect(roundTrip([])).toEqual([]);
  });

  it("reads a Notion-relative page link as an absolute URL Notion accepts on write", () => {
    const [stored] = notion.richText([
      { type: "text", text: { content: "notes", link: { url: "https://x.test" } } },
    ]);
    if (stored === undefined) throw new Error("nothing stored");
    const item: RichTextItemResponse = { ...stored, href: "/0123456789abcdef0123456789abcdef" };
    if (item.type !== "text") throw new Error("expected text");
    item.text.link = { url: "/0123456789abcdef0123456789abcdef" };
    expect(inlineFromNotion(item)).toEqual({
      kind: "text",
      text: "notes",
      link: "https://www.notion.so/0123456789abcdef0123456789abcdef",
    });
  });

  it("reads mentions the model has no kind for as text with their link", () => {
    const item: RichTextItemResponse = {
      type: "mention",
      mention: { type: "database", database: { id: ROADMAP } },
      plain_text: "Projects",
      href: "https://www.notion.so/projects",
      annotations: {
        bold: true,
        italic: false,
        strikethrough: false,
        underline: false,
        code: false,
        color: "default",
      },
    };
    expect(inlineFromNotion(item)).toEqual({
      kind: "text",
      text: "Projects",
      link: "https://www.notion.so/projects",
      style: { bold: true },
    });
  });

  it("drops a colour Notion does not know and a link it would refuse, keeping the text", () => {
    const [item] = richTextToNotion([
      { kind: "text", text: "keep me", style: { color: "chartreuse", bold: true }, link: "not a url" },
    ]);
    expect(item).toEqual({ type: "text", text: { content: "keep me" }, annotations: { bold: true } });
  });
});

describe("rich text limits", () => {
  it("splits a run longer than 2,000 characters into runs that keep style and link", () => {
    const long = "a".repeat(4500);
    const items = richTextToNotion([
      { kind: "text", text: long, style: { italic: true }, link: "https://x.test" },
    ]);
    expect(items.map(textContent).map((content) => content.length)).toEqual([2000, 2000, 500]);
    for (const item of items) {
      expect(item.annotations).toEqual({ italic: true });
      expect("text" in item && item.text.link).toEqual({ url: "https://x.test" });
    }
    expect(plainText(roundTrip([{ kind: "text", text: long }]))).toBe(long);
  });

  it("never splits inside a surrogate pair", () => {
    const text = `${"a".repeat(MAX_TEXT_LENGTH - 1)}😀b`;
    const pieces = splitText(text);
    expect(pieces.join("")).toBe(text);
    expect(pieces.every((piece) => piece.length <= MAX_TEXT_LENGTH)).toBe(true);
    expect(pieces[0]?.endsWith("a")).toBe(true);
    expect(pieces[1]?.startsWith("😀")).toBe(true);
  });

  it("keeps adjacent runs separate (the carry mark is its own run)", () => {
    const items = richTextToNotion([
      { kind: "text", text: "Do it" },
      { kind: "text", text: " ↻ open since 2026-11-03 · carried 2×" },
    ]);
    expect(items).toHaveLength(2);
  });

  it("chunks more than 100 items into arrays of at most 100, in order, nothing lost", () => {
    const text: RichText = Array.from({ length: 250 }, (_, index) =>
      index % 2 === 0
        ? { kind: "text" as const, text: `run ${index};`, style: { bold: true } }
        : { kind: "text" as const, text: `run ${index};` },
    );
    const chunks = chunkRichText(richTextToNotion(text));
    expect(chunks.map((chunk) => chunk.length)).toEqual([100, 100, 50]);
    expect(chunks.flat().map(textContent).join("")).toBe(plainText(text));
  });

  it("chunks by bytes too, so one block's text cannot pass Notion's request size", () => {
    const wide = "漢".repeat(2000); // 6,000 bytes per run
    const items = richTextToNotion(Array.from({ length: 40 }, () => ({ kind: "text" as const, text: wide })));
    const chunks = chunkRichText(items);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((chunk) => chunk.length <= MAX_RICH_TEXT_ITEMS)).toBe(true);
    expect(chunks.flat()).toHaveLength(40);
  });

  it("returns one empty array for empty text", () => {
    expect(chunkRichText([])).toEqual([[]]);
  });
});
