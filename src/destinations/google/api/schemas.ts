// Owns the zod schemas of the Google answers this destination depends on: the parts of a Docs `Document`
// it reads (paragraphs, runs, chips, bullets, lists, named ranges, dropdown definitions, tabs), a
// batchUpdate's replies, and Drive files. Field names follow Google's discovery documents. Google leaves
// out zero and false values (proto3 JSON), so indices and nesting levels default to 0 here.
import * as z from "zod";

const index = z.number().int().nonnegative();

const rgbSchema = z.looseObject({
  red: z.number().optional(),
  green: z.number().optional(),
  blue: z.number().optional(),
});

/** The text styles this destination reads; everything else is passed over. */
const textStyleSchema = z.looseObject({
  bold: z.boolean().optional(),
  italic: z.boolean().optional(),
  underline: z.boolean().optional(),
  strikethrough: z.boolean().optional(),
  link: z.looseObject({ url: z.string().optional() }).optional(),
  foregroundColor: z
    .looseObject({ color: z.looseObject({ rgbColor: rgbSchema.optional() }).optional() })
    .optional(),
  weightedFontFamily: z.looseObject({ fontFamily: z.string().optional() }).optional(),
});
/** A run's text style, as read. */
export type DocTextStyle = z.output<typeof textStyleSchema>;

/** A paragraph element: a text run, or a chip (person, date, dropdown, rich link), one index each. */
const paragraphElementSchema = z.looseObject({
  startIndex: index.default(0),
  endIndex: index,
  textRun: z.looseObject({ content: z.string(), textStyle: textStyleSchema.optional() }).optional(),
  person: z
    .looseObject({
      personProperties: z.looseObject({ email: z.string(), name: z.string().optional() }),
      textStyle: textStyleSchema.optional(),
    })
    .optional(),
  dateElement: z
    .looseObject({
      dateElementProperties: z
        .looseObject({
          timestamp: z.string().optional(),
          timeZoneId: z.string().optional(),
          displayText: z.string().optional(),
        })
        .optional(),
      textStyle: textStyleSchema.optional(),
    })
    .optional(),
  dropdown: z
    .looseObject({
      dropdownId: z.string().optional(),
      dropdownProperties: z
        .looseObject({
          dropdownDefinitionId: z.string().optional(),
          selectedOptionId: z.string().optional(),
          displayValue: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
  richLink: z
    .looseObject({
      richLinkProperties: z
        .looseObject({ title: z.string().optional(), uri: z.string().optional() })
        .optional(),
      textStyle: textStyleSchema.optional(),
    })
    .optional(),
  horizontalRule: z.looseObject({}).optional(),
});
/** A paragraph element, as read. */
export type DocParagraphElement = z.output<typeof paragraphElementSchema>;

/** A paragraph: its elements, its named style (headings), and its bullet when it is a list item. */
const paragraphSchema = z.looseObject({
  elements: z.array(paragraphElementSchema).default([]),
  paragraphStyle: z
    .looseObject({
      namedStyleType: z.string().optional(),
      headingId: z.string().optional(),
      borderBottom: z
        .looseObject({ width: z.looseObject({ magnitude: z.number().optional() }).optional() })
        .optional(),
    })
    .optional(),
  bullet: z.looseObject({ listId: z.string().optional(), nestingLevel: index.default(0) }).optional(),
});
/** A paragraph, as read. */
export type DocParagraph = z.output<typeof paragraphSchema>;

/** A structural element: paragraphs are read; a table's cells are read as the paragraphs they hold. */
export interface DocStructuralElement {
  startIndex: number;
  endIndex: number;
  paragraph?: DocParagraph | undefined;
  table?: { tableRows: { tableCells: { content: DocStructuralElement[] }[] }[] } | undefined;
}

/** A body element; recursive through table cells. */
const structuralElementSchema: z.ZodType<DocStructuralElement, unknown> = z.lazy(() =>
  z.looseObject({
    startIndex: index.default(0),
    endIndex: index,
    paragraph: paragraphSchema.optional(),
    table: z
      .looseObject({
        tableRows: z
          .array(
            z.looseObject({
              tableCells: z
                .array(z.looseObject({ content: z.array(structuralElementSchema).default([]) }))
                .default([]),
            }),
          )
          .default([]),
      })
      .optional(),
  }),
);

const rangeSchema = z.looseObject({
  startIndex: index.default(0),
  endIndex: index,
  tabId: z.string().optional(),
  segmentId: z.string().optional(),
});

const namedRangesSchema = z.record(
  z.string(),
  z.looseObject({
    name: z.string(),
    namedRanges: z
      .array(
        z.looseObject({
          namedRangeId: z.string(),
          name: z.string(),
          ranges: z.array(rangeSchema).default([]),
        }),
      )
      .default([]),
  }),
);

const dropdownDefinitionsSchema = z.record(
  z.string(),
  z.looseObject({
    dropdownDefinitionId: z.string().optional(),
    dropdownDefinitionProperties: z
      .looseObject({
        title: z.string().optional(),
        options: z
          .array(z.looseObject({ optionId: z.string().optional(), displayValue: z.string().optional() }))
          .default([]),
      })
      .optional(),
  }),
);
/** A tab's dropdown definitions by id. */
export type DocDropdownDefinitions = z.output<typeof dropdownDefinitionsSchema>;

const listsSchema = z.record(
  z.string(),
  z.looseObject({
    listProperties: z
      .looseObject({
        nestingLevels: z
          .array(z.looseObject({ glyphType: z.string().optional(), glyphSymbol: z.string().optional() }))
          .default([]),
      })
      .optional(),
  }),
);
/** A tab's lists by id: the glyph of each nesting level tells bullets from numbers. */
export type DocLists = z.output<typeof listsSchema>;

const documentTabSchema = z.looseObject({
  body: z.looseObject({ content: z.array(structuralElementSchema).default([]) }).default({ content: [] }),
  namedRanges: namedRangesSchema.default({}),
  dropdownDefinitions: dropdownDefinitionsSchema.default({}),
  lists: listsSchema.default({}),
});
/** One tab's content, as read. */
type DocDocumentTab = z.output<typeof documentTabSchema>;

/** A tab with its child tabs. */
export interface DocTabNode {
  tabProperties: { tabId: string; title?: string | undefined };
  documentTab?: DocDocumentTab | undefined;
  childTabs: DocTabNode[];
}

const tabSchema: z.ZodType<DocTabNode, unknown> = z.lazy(() =>
  z.looseObject({
    tabProperties: z.looseObject({ tabId: z.string(), title: z.string().optional() }),
    documentTab: documentTabSchema.optional(),
    childTabs: z.array(tabSchema).default([]),
  }),
);

/** `documents.get` with `includeTabsContent=true`; the legacy single-tab fields are read when tabs are absent. */
export const documentSchema = z.looseObject({
  documentId: z.string(),
  title: z.string().optional(),
  revisionId: z.string().optional(),
  tabs: z.array(tabSchema).default([]),
  body: z.looseObject({ content: z.array(structuralElementSchema).default([]) }).optional(),
  namedRanges: namedRangesSchema.optional(),
  lists: listsSchema.optional(),
});
/** A document, as read. */
export type DocDocument = z.output<typeof documentSchema>;

/** `documents.batchUpdate`: replies in request order, and the revision after the update. */
export const batchUpdateResponseSchema = z.looseObject({
  documentId: z.string().optional(),
  replies: z
    .array(
      z.looseObject({
        createNamedRange: z.looseObject({ namedRangeId: z.string() }).optional(),
        addDocumentTab: z.looseObject({ tabProperties: z.looseObject({ tabId: z.string() }) }).optional(),
      }),
    )
    .default([]),
  writeControl: z.looseObject({ requiredRevisionId: z.string().optional() }).optional(),
});
/** A batchUpdate answer, as read. */
export type BatchUpdateResponse = z.output<typeof batchUpdateResponseSchema>;

/** A Drive file as this destination asks for it (`fields=id,name,appProperties,...`). */
export const driveFileSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  mimeType: z.string().optional(),
  appProperties: z.record(z.string(), z.string()).optional(),
  webViewLink: z.string().optional(),
  trashed: z.boolean().optional(),
});
/** A Drive file, as read. */
export type DriveFile = z.output<typeof driveFileSchema>;

/** `files.list`: one page of files. */
export const driveFileListSchema = z.looseObject({
  files: z.array(driveFileSchema).default([]),
  nextPageToken: z.string().optional(),
  incompleteSearch: z.boolean().optional(),
});
/** A page of `files.list`, as read. */
export type DriveFileList = z.output<typeof driveFileListSchema>;

/** `changes.getStartPageToken`: where a list of later changes starts. */
export const driveStartPageTokenSchema = z.looseObject({ startPageToken: z.string().min(1) });

/**
 * `changes.list`: one page of changes (`fields=nextPageToken,newStartPageToken,changes(fileId,removed)`).
 * Every page but the last names the next; the last names where the next look starts.
 */
export const driveChangeListSchema = z
  .looseObject({
    changes: z
      .array(z.looseObject({ fileId: z.string().min(1), removed: z.boolean().optional() }))
      .default([]),
    nextPageToken: z.string().min(1).optional(),
    newStartPageToken: z.string().min(1).optional(),
  })
  .refine((list) => list.nextPageToken !== undefined || list.newStartPageToken !== undefined, {
    message: "names neither nextPageToken nor newStartPageToken",
  });
/** A page of `changes.list`, as read. */
export type DriveChangeList = z.output<typeof driveChangeListSchema>;

/** Google's JSON error body: `{ error: { code, message, status, errors: [{ reason }] } }`. */
export const googleErrorSchema = z.looseObject({
  error: z.looseObject({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    errors: z.array(z.looseObject({ reason: z.string().optional() })).optional(),
  }),
});
