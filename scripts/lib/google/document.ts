// Owns reading a Google Doc back from the emulator as the scripts need it: its first tab's paragraphs with
// their indices (so a "person" can edit at the right place), each one's words as the Docs editor shows
// them (chips as @Name and dates), whether all its words are struck through, what its status chip says,
// and where the named ranges are. The control API's answer is checked with zod, field by field we use.
import { z } from "zod";
import type { GoogleControl } from "../../../emulators/google/control";
import { ScriptError } from "../run";

const styleSchema = z.looseObject({ strikethrough: z.boolean().optional() }).optional();

const elementSchema = z.looseObject({
  textRun: z.looseObject({ content: z.string(), textStyle: styleSchema }).optional(),
  person: z
    .looseObject({ personProperties: z.looseObject({ email: z.string(), name: z.string().optional() }) })
    .optional(),
  dateElement: z
    .looseObject({
      dateElementProperties: z.looseObject({
        timestamp: z.string().optional(),
        displayText: z.string().optional(),
      }),
    })
    .optional(),
  dropdown: z
    .looseObject({
      dropdownProperties: z.looseObject({
        dropdownDefinitionId: z.string(),
        selectedOptionId: z.string().optional(),
        displayValue: z.string().optional(),
      }),
    })
    .optional(),
});

const structuralSchema = z.looseObject({
  startIndex: z.number().optional(),
  endIndex: z.number(),
  paragraph: z
    .looseObject({
      elements: z.array(elementSchema),
      paragraphStyle: z.looseObject({ namedStyleType: z.string().optional() }),
      bullet: z.looseObject({ listId: z.string(), nestingLevel: z.number().optional() }).optional(),
    })
    .optional(),
});

const rangeSchema = z.looseObject({ startIndex: z.number().optional(), endIndex: z.number() });

const tabSchema = z.looseObject({
  documentTab: z.looseObject({
    body: z.looseObject({ content: z.array(structuralSchema) }),
    namedRanges: z
      .record(
        z.string(),
        z.looseObject({ namedRanges: z.array(z.looseObject({ ranges: z.array(rangeSchema) })) }),
      )
      .optional(),
    dropdownDefinitions: z
      .record(
        z.string(),
        z.looseObject({
          dropdownDefinitionProperties: z.looseObject({
            options: z.array(z.looseObject({ optionId: z.string(), displayValue: z.string() })),
          }),
        }),
      )
      .optional(),
  }),
});

const documentSchema = z.looseObject({
  documentId: z.string(),
  title: z.string(),
  tabs: z.array(tabSchema).min(1),
});

type Tab = z.infer<typeof tabSchema>;
type Element = z.infer<typeof elementSchema>;

export interface Paragraph {
  start: number;
  end: number;
  /** HEADING_1…, NORMAL_TEXT, TITLE. */
  namedStyle: string;
  /** The list nesting level, or null outside a list. */
  listLevel: number | null;
  /** The words as the editor shows them: chips as `@Name` and `YYYY-MM-DD`, the status chip left out. */
  text: string;
  /** Every character of its words struck through (how Docs shows a ticked checkbox, and people say done). */
  struck: boolean;
  /** The option its status chip shows, or null without one. */
  status: string | null;
}

export interface GoogleDoc {
  documentId: string;
  title: string;
  paragraphs: Paragraph[];
  /** Named range name → its first range. */
  ranges: Map<string, { start: number; end: number }>;
}

function chipText(element: Element): string {
  if (element.person !== undefined) {
    const { name, email } = element.person.personProperties;
    return `@${name ?? email}`;
  }
  if (element.dateElement !== undefined) {
    const { timestamp, displayText } = element.dateElement.dateElementProperties;
    return timestamp?.slice(0, 10) ?? displayText ?? "";
  }
  return "";
}

function statusOf(tab: Tab, elements: readonly Element[]): string | null {
  const chip = elements.find((element) => element.dropdown !== undefined)?.dropdown?.dropdownProperties;
  if (chip === undefined) return null;
  const options =
    tab.documentTab.dropdownDefinitions?.[chip.dropdownDefinitionId]?.dropdownDefinitionProperties.options;
  return (
    options?.find((option) => option.optionId === chip.selectedOptionId)?.displayValue ??
    chip.displayValue ??
    ""
  );
}

function paragraphsOf(tab: Tab): Paragraph[] {
  const out: Paragraph[] = [];
  for (const element of tab.documentTab.body.content) {
    const paragraph = element.paragraph;
    if (paragraph === undefined) continue;
    const runs = paragraph.elements.flatMap((part) => (part.textRun === undefined ? [] : [part.textRun]));
    const worded = runs.filter((run) => run.content.trim() !== "");
    out.push({
      start: element.startIndex ?? 0,
      end: element.endIndex,
      namedStyle: paragraph.paragraphStyle.namedStyleType ?? "NORMAL_TEXT",
      listLevel: paragraph.bullet === undefined ? null : (paragraph.bullet.nestingLevel ?? 0),
      text: paragraph.elements
        .map((part) => part.textRun?.content ?? chipText(part))
        .join("")
        .replace(/\n$/, ""),
      struck: worded.length > 0 && worded.every((run) => run.textStyle?.strikethrough === true),
      status: statusOf(tab, paragraph.elements),
    });
  }
  return out;
}

function rangesOf(tab: Tab): Map<string, { start: number; end: number }> {
  const ranges = new Map<string, { start: number; end: number }>();
  for (const [name, group] of Object.entries(tab.documentTab.namedRanges ?? {})) {
    const range = group.namedRanges[0]?.ranges[0];
    if (range !== undefined) ranges.set(name, { start: range.startIndex ?? 0, end: range.endIndex });
  }
  return ranges;
}

/** The document's first tab as paragraphs and named ranges; throws when the answer is not a document. */
export async function readDocument(control: GoogleControl, documentId: string): Promise<GoogleDoc> {
  const parsed = documentSchema.safeParse(await control.document(documentId));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ScriptError(
      `Google document ${documentId}: unexpected shape (${issues.slice(0, 3).join("; ")})`,
    );
  }
  const [tab] = parsed.data.tabs;
  if (tab === undefined) throw new ScriptError(`Google document ${documentId} has no tab`);
  return {
    documentId: parsed.data.documentId,
    title: parsed.data.title,
    paragraphs: paragraphsOf(tab),
    ranges: rangesOf(tab),
  };
}

/** The paragraphs inside a named range (a running doc's meeting section); throws when it is gone. */
export function paragraphsIn(doc: GoogleDoc, rangeName: string): Paragraph[] {
  const range = doc.ranges.get(rangeName);
  if (range === undefined) {
    throw new ScriptError(`Google document ${doc.documentId} has no named range "${rangeName}"`);
  }
  return doc.paragraphs.filter((paragraph) => paragraph.start >= range.start && paragraph.end <= range.end);
}

export const isHeading = (paragraph: Paragraph): boolean => paragraph.namedStyle.startsWith("HEADING_");
