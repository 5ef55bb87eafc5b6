// The JSON shapes Docs v1 and Drive v3 send, as far as tests and clients read them (the discovery documents are the full reference).

interface DocsLink {
  url?: string;
  headingId?: string;
  bookmarkId?: string;
  tabId?: string;
}

interface DocsTextStyle {
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  smallCaps?: boolean;
  link?: DocsLink;
  [other: string]: unknown;
}

interface DocsTextRun {
  content: string;
  textStyle: DocsTextStyle;
}

interface DocsPerson {
  personId: string;
  personProperties: { email: string; name?: string };
  textStyle?: DocsTextStyle;
}

export type DocsDateFormat =
  | "DATE_FORMAT_UNSPECIFIED"
  | "DATE_FORMAT_CUSTOM"
  | "DATE_FORMAT_MONTH_DAY_ABBREVIATED"
  | "DATE_FORMAT_MONTH_DAY_FULL"
  | "DATE_FORMAT_MONTH_DAY_YEAR_ABBREVIATED"
  | "DATE_FORMAT_ISO8601";

export type DocsTimeFormat =
  | "TIME_FORMAT_UNSPECIFIED"
  | "TIME_FORMAT_DISABLED"
  | "TIME_FORMAT_HOUR_MINUTE"
  | "TIME_FORMAT_HOUR_MINUTE_TIMEZONE";

interface DocsDateElementProperties {
  timestamp?: string;
  dateFormat?: DocsDateFormat;
  timeFormat?: DocsTimeFormat;
  locale?: string;
  timeZoneId?: string;
  displayText?: string;
}

interface DocsDateElement {
  dateId: string;
  dateElementProperties: DocsDateElementProperties;
  textStyle?: DocsTextStyle;
}

interface DocsDropdown {
  dropdownId: string;
  dropdownProperties: { dropdownDefinitionId: string; selectedOptionId?: string; displayValue?: string };
  textStyle?: DocsTextStyle;
}

interface DocsParagraphElement {
  startIndex?: number;
  endIndex: number;
  textRun?: DocsTextRun;
  person?: DocsPerson;
  dateElement?: DocsDateElement;
  dropdown?: DocsDropdown;
}

type DocsNamedStyleType =
  | "NAMED_STYLE_TYPE_UNSPECIFIED"
  | "NORMAL_TEXT"
  | "TITLE"
  | "SUBTITLE"
  | "HEADING_1"
  | "HEADING_2"
  | "HEADING_3"
  | "HEADING_4"
  | "HEADING_5"
  | "HEADING_6";

interface DocsParagraphStyle {
  namedStyleType?: DocsNamedStyleType;
  headingId?: string;
  direction?: string;
  [other: string]: unknown;
}

interface DocsBullet {
  listId: string;
  /** Absent at level 0: proto3 JSON leaves out zeros. */
  nestingLevel?: number;
  textStyle?: DocsTextStyle;
}

export interface DocsParagraph {
  elements: DocsParagraphElement[];
  paragraphStyle: DocsParagraphStyle;
  bullet?: DocsBullet;
}

export interface DocsStructuralElement {
  /** Absent for the section break at index 0. */
  startIndex?: number;
  endIndex: number;
  paragraph?: DocsParagraph;
  sectionBreak?: Record<string, unknown>;
}

interface DocsBody {
  content: DocsStructuralElement[];
}

interface DocsRange {
  startIndex?: number;
  endIndex: number;
  tabId?: string;
  segmentId?: string;
}

interface DocsNamedRange {
  namedRangeId: string;
  name: string;
  ranges: DocsRange[];
}

interface DocsNestingLevel {
  glyphType?: string;
  glyphSymbol?: string;
  glyphFormat?: string;
  [other: string]: unknown;
}

interface DocsList {
  listProperties: { nestingLevels: DocsNestingLevel[] };
}

interface DocsDropdownOption {
  optionId: string;
  displayValue: string;
  textStyle?: DocsTextStyle;
}

interface DocsDropdownDefinition {
  dropdownDefinitionId: string;
  dropdownDefinitionProperties: { title?: string; options: DocsDropdownOption[] };
}

interface DocsDocumentTab {
  body: DocsBody;
  lists?: Record<string, DocsList>;
  namedRanges?: Record<string, { name: string; namedRanges: DocsNamedRange[] }>;
  dropdownDefinitions?: Record<string, DocsDropdownDefinition>;
  documentStyle?: Record<string, unknown>;
  namedStyles?: Record<string, unknown>;
}

interface DocsTabProperties {
  tabId: string;
  title: string;
  /** Absent for the first tab: proto3 JSON leaves out zeros. */
  index?: number;
  nestingLevel?: number;
  parentTabId?: string;
  iconEmoji?: string;
}

interface DocsTab {
  tabProperties: DocsTabProperties;
  documentTab: DocsDocumentTab;
  childTabs?: DocsTab[];
}

export interface DocsDocument {
  documentId: string;
  title: string;
  revisionId: string;
  suggestionsViewMode?: string;
  /** With includeTabsContent=true. */
  tabs?: DocsTab[];
  /** Without includeTabsContent: the first tab's content. */
  body?: DocsBody;
  lists?: Record<string, DocsList>;
  namedRanges?: Record<string, { name: string; namedRanges: DocsNamedRange[] }>;
  documentStyle?: Record<string, unknown>;
  namedStyles?: Record<string, unknown>;
}

/** One element of batchUpdate's `requests[]`: exactly one kind, e.g. `{ insertText: {...} }`. */
export type DocsRequest = Record<string, unknown>;

export interface DocsBatchUpdateResponse {
  documentId: string;
  replies: Array<Record<string, unknown>>;
  writeControl?: { requiredRevisionId?: string };
}

export interface DriveFile {
  kind?: string;
  id?: string;
  name?: string;
  mimeType?: string;
  parents?: string[];
  appProperties?: Record<string, string>;
  properties?: Record<string, string>;
  description?: string;
  driveId?: string;
  createdTime?: string;
  modifiedTime?: string;
  trashed?: boolean;
  webViewLink?: string;
  ownedByMe?: boolean;
  owners?: Array<{ emailAddress?: string; displayName?: string }>;
  capabilities?: Record<string, boolean>;
  [other: string]: unknown;
}

export interface DriveFileList {
  kind?: string;
  incompleteSearch?: boolean;
  files?: DriveFile[];
  nextPageToken?: string;
}

export interface DriveStartPageToken {
  kind?: string;
  startPageToken?: string;
}

interface DriveChange {
  kind?: string;
  changeType?: string;
  time?: string;
  removed?: boolean;
  fileId?: string;
  driveId?: string;
  file?: DriveFile;
}

export interface DriveChangeList {
  kind?: string;
  nextPageToken?: string;
  newStartPageToken?: string;
  changes?: DriveChange[];
}
