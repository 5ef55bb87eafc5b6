// Test helper: an in-memory Google Doc that applies batchUpdate requests the way the Docs API documents
// them (indices in UTF-16 code units, a chip is one index, a newline ends a paragraph and the new
// paragraph copies the style of the one it was inserted into, createParagraphBullets takes nesting from
// leading tabs and deletes them, named ranges move with the text) and renders the `Document` JSON Google
// returns (tabs, proto3-style omission of zero values). Small on purpose: the unit tests prove our indices
// against it; the emulator in emulators/google is the full-fidelity check.
import type { DocsRequest } from "../../../src/destinations/google/api/client";

type Style = Record<string, unknown>;

interface Para {
  namedStyleType: string;
  headingId?: string;
  bullet?: { listId: string; nestingLevel: number };
  borderBottom?: unknown;
  indentStart?: unknown;
}

type Chip =
  | { type: "person"; email: string; name?: string }
  | { type: "date"; timestamp: string; timeZoneId?: string }
  | { type: "dropdown"; definitionId: string; optionId: string };

interface Char {
  ch: string;
  style: Style;
  chip?: Chip;
  /** Only on newlines: the style of the paragraph the newline ends. */
  para?: Para;
}

interface NamedRange {
  name: string;
  id: string;
  start: number;
  end: number;
}

interface DropdownDefinition {
  dropdownDefinitionId: string;
  dropdownDefinitionProperties: { title?: string; options: { optionId: string; displayValue: string }[] };
}

interface Tab {
  tabId: string;
  title: string;
  chars: Char[];
  ranges: NamedRange[];
  definitions: Map<string, DropdownDefinition>;
  lists: Map<string, { ordered: boolean }>;
}

/** A request Google would refuse: the whole batch is refused with it. */
export class DocsRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DocsRequestError";
  }
}

/** Behaviour switches for what the Docs documentation leaves open. */
export interface FakeDocOptions {
  /** Text inserted exactly at a named range's start joins the range (the worst case for reading). */
  expandRangesAtStart?: boolean;
}

const DEFINITION_ID = /^kix\.[a-zA-Z0-9_-]{2,14}$/;
const OPTION_ID = /^dropdownItem\.[a-zA-Z0-9_-]{2,14}$/;

function clone<T>(value: T): T {
  return structuredClone(value);
}

function sameStyle(a: Style, b: Style): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** An in-memory Google Doc. */
export class FakeDoc {
  readonly documentId: string;
  title: string;
  tabs: Tab[];
  revision = 1;
  #ids = 0;
  readonly #options: FakeDocOptions;

  constructor(documentId: string, options: FakeDocOptions = {}, title = "Untitled") {
    this.documentId = documentId;
    this.title = title;
    this.#options = options;
    this.tabs = [this.#newTab("t.0", "Tab 1")];
  }

  get revisionId(): string {
    return `rev-${this.revision}`;
  }

  #newTab(tabId: string, title: string): Tab {
    return {
      tabId,
      title,
      chars: [{ ch: "\n", style: {}, para: { namedStyleType: "NORMAL_TEXT" } }],
      ranges: [],
      definitions: new Map(),
      lists: new Map(),
    };
  }

  #id(prefix: string): string {
    this.#ids += 1;
    return `${prefix}${this.#ids}`;
  }

  /** A copy with another id (Drive's files.copy). */
  copy(documentId: string, title: string): FakeDoc {
    const copy = new FakeDoc(documentId, this.#options, title);
    copy.tabs = clone(this.tabs);
    copy.#ids = this.#ids;
    return copy;
  }

  #tab(tabId: string | null | undefined): Tab {
    if (tabId === undefined || tabId === null) {
      const first = this.tabs[0];
      if (first === undefined) throw new DocsRequestError("no tab");
      return first;
    }
    const tab = this.tabs.find((candidate) => candidate.tabId === tabId);
    if (tab === undefined) throw new DocsRequestError(`Invalid tab id: ${tabId}`);
    return tab;
  }

  /** The position (in `chars`) of the newline that ends the paragraph holding `position`. */
  #paragraphEnd(tab: Tab, position: number): number {
    for (let at = position; at < tab.chars.length; at += 1) if (tab.chars[at]?.ch === "\n") return at;
    throw new DocsRequestError("index outside the body");
  }

  #paragraphStart(tab: Tab, position: number): number {
    let at = position;
    while (at > 0 && tab.chars[at - 1]?.ch !== "\n") at -= 1;
    return at;
  }

  #checkInsert(tab: Tab, index: number) {
    if (!Number.isInteger(index) || index < 1 || index > tab.chars.length) {
      throw new DocsRequestError(`Index ${index} must be inside the bounds of an existing paragraph`);
    }
  }

  #moveRanges(tab: Tab, index: number, delta: number) {
    for (const range of tab.ranges) {
      const atStart = index === range.start && !this.#options.expandRangesAtStart;
      if (index < range.start || atStart) {
        range.start += delta;
        range.end += delta;
      } else if (index < range.end) {
        range.end += delta;
      }
    }
  }

  #insert(tab: Tab, index: number, chars: Char[]) {
    this.#checkInsert(tab, index);
    const position = index - 1;
    const before = tab.chars[position - 1];
    const after = tab.chars[position];
    const inherited = before !== undefined && before.ch !== "\n" ? before.style : (after?.style ?? {});
    const paraOfInsertion = tab.chars[this.#paragraphEnd(tab, position)]?.para ?? {
      namedStyleType: "NORMAL_TEXT",
    };
    const placed = chars.map((char) => ({
      ...char,
      style: char.chip === undefined && Object.keys(char.style).length === 0 ? clone(inherited) : char.style,
      ...(char.ch === "\n" ? { para: clone(paraOfInsertion) } : {}),
    }));
    tab.chars.splice(position, 0, ...placed);
    this.#moveRanges(tab, index, chars.length);
  }

  #delete(tab: Tab, position: number, count: number) {
    tab.chars.splice(position, count);
    const index = position + 1;
    for (const range of tab.ranges) {
      const cut = (value: number) => (value <= index ? value : Math.max(index, value - count));
      range.start = cut(range.start);
      range.end = cut(range.end);
    }
  }

  #range(tab: Tab, range: { startIndex?: number | null; endIndex?: number | null } | undefined) {
    const start = range?.startIndex ?? 0;
    const end = range?.endIndex ?? 0;
    if (start < 1 || end <= start || end > tab.chars.length + 1) {
      throw new DocsRequestError(`Invalid range ${start}..${end} (segment ends at ${tab.chars.length + 1})`);
    }
    return { start: start - 1, end: end - 1 };
  }

  /** Paragraph end positions (newlines) of the paragraphs overlapping [start, end) in `chars`. */
  #paragraphsIn(tab: Tab, start: number, end: number): number[] {
    const ends: number[] = [];
    let at = this.#paragraphEnd(tab, start);
    ends.push(at);
    while (at + 1 < end && at + 1 < tab.chars.length) {
      at = this.#paragraphEnd(tab, at + 1);
      ends.push(at);
    }
    return ends;
  }

  /** Applies a batch atomically: on any refused request nothing changes. Returns the replies. */
  batchUpdate(
    requests: readonly DocsRequest[],
    requiredRevisionId?: string,
  ): { replies: object[]; revisionId: string } {
    if (requiredRevisionId !== undefined && requiredRevisionId !== this.revisionId) {
      throw new DocsRequestError(
        `The required revision ID ${requiredRevisionId} does not match the latest revision`,
      );
    }
    const saved = { tabs: clone(this.tabs), ids: this.#ids };
    try {
      const replies = requests.map((request) => this.#apply(request));
      this.revision += 1;
      return { replies, revisionId: this.revisionId };
    } catch (error) {
      this.tabs = saved.tabs;
      this.#ids = saved.ids;
      throw error;
    }
  }

  #apply(request: DocsRequest): object {
    const keys = Object.keys(request);
    if (keys.length !== 1)
      throw new DocsRequestError(`a request must have exactly one kind, got ${keys.join(",")}`);
    if (request.insertText) {
      const { text, location } = request.insertText;
      const tab = this.#tab(location?.tabId);
      this.#insert(
        tab,
        location?.index ?? -1,
        (text ?? "").split("").map((ch) => ({ ch, style: {} })),
      );
      return {};
    }
    if (request.insertPerson) {
      const { personProperties, location } = request.insertPerson;
      const email = personProperties?.email;
      if (!email) throw new DocsRequestError("personProperties.email is required");
      const chip: Chip = {
        type: "person",
        email,
        ...(personProperties?.name ? { name: personProperties.name } : {}),
      };
      this.#insert(this.#tab(location?.tabId), location?.index ?? -1, [{ ch: "\ue907", style: {}, chip }]);
      return {};
    }
    if (request.insertDate) {
      const { dateElementProperties, location } = request.insertDate;
      const timestamp = dateElementProperties?.timestamp;
      if (!timestamp || Number.isNaN(Date.parse(timestamp)))
        throw new DocsRequestError("timestamp is required");
      const chip: Chip = {
        type: "date",
        timestamp,
        ...(dateElementProperties?.timeZoneId ? { timeZoneId: dateElementProperties.timeZoneId } : {}),
      };
      this.#insert(this.#tab(location?.tabId), location?.index ?? -1, [{ ch: "\ue907", style: {}, chip }]);
      return {};
    }
    if (request.insertDropdown) {
      const { dropdownDefinitionId, selectedOptionId, location } = request.insertDropdown;
      const tab = this.#tab(location?.tabId);
      const definition = tab.definitions.get(dropdownDefinitionId);
      if (definition === undefined)
        throw new DocsRequestError(`No dropdown definition ${dropdownDefinitionId}`);
      const options = definition.dropdownDefinitionProperties.options;
      const optionId = selectedOptionId ?? options[0]?.optionId ?? "";
      if (!options.some((option) => option.optionId === optionId)) {
        throw new DocsRequestError(`Invalid selectedOptionId ${optionId}`);
      }
      const chip: Chip = { type: "dropdown", definitionId: dropdownDefinitionId, optionId };
      this.#insert(tab, location?.index ?? -1, [{ ch: "\ue907", style: {}, chip }]);
      return {};
    }
    if (request.createDropdownDefinition) {
      const { tabId, dropdownDefinition } = request.createDropdownDefinition;
      const tab = this.#tab(tabId);
      const id = dropdownDefinition.dropdownDefinitionId ?? this.#id("kix.gen");
      if (!DEFINITION_ID.test(id) || tab.definitions.has(id))
        throw new DocsRequestError(`Invalid or taken id ${id}`);
      const options = (dropdownDefinition.dropdownDefinitionProperties?.options ?? []).map((option) => {
        const optionId = option.optionId ?? this.#id("dropdownItem.g");
        if (!OPTION_ID.test(optionId)) throw new DocsRequestError(`Invalid option id ${optionId}`);
        return { optionId, displayValue: option.displayValue ?? "" };
      });
      if (options.length < 2 || options.length > 50) throw new DocsRequestError("2 to 50 options");
      const definition: DropdownDefinition = {
        dropdownDefinitionId: id,
        dropdownDefinitionProperties: {
          ...(dropdownDefinition.dropdownDefinitionProperties?.title
            ? { title: dropdownDefinition.dropdownDefinitionProperties.title }
            : {}),
          options,
        },
      };
      tab.definitions.set(id, definition);
      return { createDropdownDefinition: { dropdownDefinition: definition } };
    }
    if (request.updateTextStyle) {
      const { range, textStyle, fields } = request.updateTextStyle;
      if (!fields) throw new DocsRequestError("fields is required");
      const tab = this.#tab(range?.tabId);
      const { start, end } = this.#range(tab, range ?? undefined);
      for (let at = start; at < end && at < tab.chars.length; at += 1) {
        const char = tab.chars[at];
        if (char === undefined) continue;
        for (const field of fields.split(",")) {
          const value = (textStyle as Style | undefined)?.[field];
          if (value === undefined) delete char.style[field];
          else char.style[field] = clone(value);
        }
      }
      return {};
    }
    if (request.updateParagraphStyle) {
      const { range, paragraphStyle, fields } = request.updateParagraphStyle;
      if (!fields) throw new DocsRequestError("fields is required");
      const tab = this.#tab(range?.tabId);
      const { start, end } = this.#range(tab, range ?? undefined);
      for (const at of this.#paragraphsIn(tab, start, end)) {
        const para = tab.chars[at]?.para;
        if (para === undefined) continue;
        for (const field of fields.split(",")) {
          const value = (paragraphStyle as Style | undefined)?.[field];
          if (value === undefined) delete (para as unknown as Style)[field];
          else (para as unknown as Style)[field] = clone(value);
        }
        para.namedStyleType ??= "NORMAL_TEXT";
        if (para.namedStyleType.startsWith("HEADING") || para.namedStyleType === "TITLE") {
          para.headingId ??= this.#id("h.");
        } else {
          delete para.headingId;
        }
      }
      return {};
    }
    if (request.deleteParagraphBullets) {
      const tab = this.#tab(request.deleteParagraphBullets.range?.tabId);
      const { start, end } = this.#range(tab, request.deleteParagraphBullets.range ?? undefined);
      for (const at of this.#paragraphsIn(tab, start, end)) {
        const para = tab.chars[at]?.para;
        if (para?.bullet !== undefined) {
          delete para.bullet;
          para.indentStart = { magnitude: 36, unit: "PT" };
        }
      }
      return {};
    }
    if (request.createParagraphBullets) {
      const { range, bulletPreset } = request.createParagraphBullets;
      const tab = this.#tab(range?.tabId);
      const { start, end } = this.#range(tab, range ?? undefined);
      const ordered = (bulletPreset ?? "").startsWith("NUMBERED");
      const firstStart = this.#paragraphStart(tab, start);
      const previous = firstStart > 0 ? tab.chars[firstStart - 1]?.para?.bullet : undefined;
      const listId =
        previous !== undefined && tab.lists.get(previous.listId)?.ordered === ordered
          ? previous.listId
          : this.#id("kix.list");
      tab.lists.set(listId, { ordered });
      // From the last paragraph to the first, so deleting tabs does not move the ones still to do.
      for (const at of this.#paragraphsIn(tab, start, end).reverse()) {
        const paraStart = this.#paragraphStart(tab, at);
        let tabs = 0;
        while (tab.chars[paraStart + tabs]?.ch === "\t") tabs += 1;
        if (tabs > 0) this.#delete(tab, paraStart, tabs);
        const para = tab.chars[at - tabs]?.para;
        if (para !== undefined) para.bullet = { listId, nestingLevel: tabs };
      }
      return {};
    }
    if (request.createNamedRange) {
      const { name, range } = request.createNamedRange;
      if (!name || name.length > 256) throw new DocsRequestError("a named range needs a name of 1 to 256");
      const tab = this.#tab(range?.tabId);
      const { start, end } = this.#range(tab, range ?? undefined);
      const id = this.#id("kix.nr");
      tab.ranges.push({ name, id, start: start + 1, end: end + 1 });
      return { createNamedRange: { namedRangeId: id } };
    }
    if (request.addDocumentTab) {
      const properties = request.addDocumentTab.tabProperties ?? {};
      const tab = this.#newTab(this.#id("t."), properties.title ?? "Untitled tab");
      this.tabs.splice(properties.index ?? this.tabs.length, 0, tab);
      return { addDocumentTab: { tabProperties: { tabId: tab.tabId, title: tab.title } } };
    }
    if (request.deleteTab) {
      const tabId = request.deleteTab.tabId;
      this.#tab(tabId);
      this.tabs = this.tabs.filter((tab) => tab.tabId !== tabId);
      return {};
    }
    if (request.replaceAllText) {
      const { containsText, replaceText } = request.replaceAllText;
      const needle = containsText?.text ?? "";
      if (needle === "") throw new DocsRequestError("containsText.text is required");
      let occurrences = 0;
      for (const tab of this.tabs) {
        for (let at = 0; at + needle.length <= tab.chars.length; at += 1) {
          const slice = tab.chars.slice(at, at + needle.length);
          if (slice.some((char) => char.chip !== undefined)) continue;
          const text = slice.map((char) => char.ch).join("");
          const match = containsText?.matchCase
            ? text === needle
            : text.toLowerCase() === needle.toLowerCase();
          if (!match) continue;
          const style = slice[0]?.style ?? {};
          this.#delete(tab, at, needle.length);
          const replacement = (replaceText ?? "").split("").map((ch) => ({ ch, style: clone(style) }));
          tab.chars.splice(at, 0, ...replacement);
          this.#moveRanges(tab, at + 1, replacement.length);
          at += replacement.length - 1;
          occurrences += 1;
        }
      }
      return { replaceAllText: { occurrencesChanged: occurrences } };
    }
    throw new DocsRequestError(`request kind ${keys[0]} is not supported by the fake`);
  }

  /** The text of a tab with chips as `[person:email]`, `[date:…]`, `[status:…]`: for assertions. */
  text(tabIndex = 0): string {
    const tab = this.tabs[tabIndex];
    if (tab === undefined) return "";
    return tab.chars
      .map((char) => {
        const chip = char.chip;
        if (chip === undefined) return char.ch;
        if (chip.type === "person") return `[person:${chip.email}]`;
        if (chip.type === "date") return `[date:${chip.timestamp.slice(0, 10)}]`;
        const option = tab.definitions
          .get(chip.definitionId)
          ?.dropdownDefinitionProperties.options.find((candidate) => candidate.optionId === chip.optionId);
        return `[status:${option?.displayValue ?? "?"}]`;
      })
      .join("");
  }

  /** A person's edit: text typed at `index` (like the editor, it takes the style around it). */
  type(index: number, text: string, tabIndex = 0): void {
    const tab = this.tabs[tabIndex];
    if (tab === undefined) throw new Error("no tab");
    this.#insert(
      tab,
      index,
      text.split("").map((ch) => ({ ch, style: {} })),
    );
    this.revision += 1;
  }

  /** A person's edit: replace the text in [start, end) (doc indices) with `text`, keeping its style. */
  replace(start: number, end: number, text: string, tabIndex = 0): void {
    const tab = this.tabs[tabIndex];
    if (tab === undefined) throw new Error("no tab");
    const style = tab.chars[start - 1]?.style ?? {};
    this.#delete(tab, start - 1, end - start);
    tab.chars.splice(start - 1, 0, ...text.split("").map((ch) => ({ ch, style: clone(style) })));
    this.#moveRanges(tab, start, text.length);
    this.revision += 1;
  }

  /** A person's edit: select another option of the dropdown chip at `index`. */
  selectOption(index: number, displayValue: string, tabIndex = 0): void {
    const tab = this.tabs[tabIndex];
    const char = tab?.chars[index - 1];
    if (tab === undefined || char?.chip?.type !== "dropdown") throw new Error(`no dropdown at ${index}`);
    const definition = tab.definitions.get(char.chip.definitionId);
    const option = definition?.dropdownDefinitionProperties.options.find(
      (o) => o.displayValue === displayValue,
    );
    if (option === undefined) throw new Error(`no option ${displayValue}`);
    char.chip = { ...char.chip, optionId: option.optionId };
    this.revision += 1;
  }

  /** A person's edit: set a text style field over [start, end). */
  styleText(start: number, end: number, field: string, value: unknown, tabIndex = 0): void {
    const tab = this.tabs[tabIndex];
    if (tab === undefined) throw new Error("no tab");
    for (let at = start - 1; at < end - 1; at += 1) {
      const char = tab.chars[at];
      if (char !== undefined && char.ch !== "\n") char.style[field] = value;
    }
    this.revision += 1;
  }

  /** The doc index where `text` first occurs in a tab's plain text (chips count as one index). */
  indexOf(text: string, tabIndex = 0): number {
    const tab = this.tabs[tabIndex];
    const plain = (tab?.chars ?? []).map((char) => (char.chip === undefined ? char.ch : "\ue907")).join("");
    const at = plain.indexOf(text);
    if (at < 0) throw new Error(`"${text}" is not in the document`);
    return at + 1;
  }

  /** The document as `documents.get?includeTabsContent=true` returns it. */
  toJSON(): object {
    return {
      documentId: this.documentId,
      title: this.title,
      revisionId: this.revisionId,
      tabs: this.tabs.map((tab, index) => ({
        tabProperties: { tabId: tab.tabId, title: tab.title, ...(index === 0 ? {} : { index }) },
        documentTab: this.#tabJson(tab),
      })),
    };
  }

  #tabJson(tab: Tab) {
    const content: object[] = [{ endIndex: 1, sectionBreak: { sectionStyle: {} } }];
    let paraStart = 0;
    tab.chars.forEach((char, at) => {
      if (char.ch !== "\n") return;
      content.push(this.#paragraphJson(tab, paraStart, at));
      paraStart = at + 1;
    });
    const namedRanges: Record<string, object> = {};
    for (const range of tab.ranges) {
      if (range.end <= range.start) continue;
      const group = (namedRanges[range.name] ?? { name: range.name, namedRanges: [] }) as {
        name: string;
        namedRanges: object[];
      };
      group.namedRanges.push({
        namedRangeId: range.id,
        name: range.name,
        ranges: [{ startIndex: range.start, endIndex: range.end, tabId: tab.tabId }],
      });
      namedRanges[range.name] = group;
    }
    const lists: Record<string, object> = {};
    for (const [id, list] of tab.lists) {
      lists[id] = {
        listProperties: {
          nestingLevels: Array.from({ length: 9 }, () =>
            list.ordered
              ? { glyphType: "DECIMAL", glyphFormat: "%0." }
              : { glyphSymbol: "●", glyphFormat: "%0" },
          ),
        },
      };
    }
    return {
      body: { content },
      ...(Object.keys(namedRanges).length > 0 ? { namedRanges } : {}),
      ...(tab.definitions.size > 0 ? { dropdownDefinitions: Object.fromEntries(tab.definitions) } : {}),
      ...(tab.lists.size > 0 ? { lists } : {}),
    };
  }

  #paragraphJson(tab: Tab, start: number, newline: number) {
    const elements: object[] = [];
    let run: { start: number; text: string; style: Style } | null = null;
    const flushRun = (end: number) => {
      if (run === null) return;
      const textStyle = Object.fromEntries(Object.entries(run.style).filter(([, value]) => value !== false));
      elements.push({
        startIndex: run.start + 1,
        endIndex: end + 1,
        textRun: { content: run.text, textStyle },
      });
      run = null;
    };
    for (let at = start; at <= newline; at += 1) {
      const char = tab.chars[at];
      if (char === undefined) continue;
      const chip = char.chip;
      if (chip === undefined) {
        if (run !== null && sameStyle(run.style, char.style)) run.text += char.ch;
        else {
          flushRun(at);
          run = { start: at, text: char.ch, style: char.style };
        }
        continue;
      }
      flushRun(at);
      const place = { startIndex: at + 1, endIndex: at + 2 };
      if (chip.type === "person") {
        elements.push({
          ...place,
          person: {
            personId: `p.${at}`,
            personProperties: { email: chip.email, ...(chip.name ? { name: chip.name } : {}) },
            textStyle: char.style,
          },
        });
      } else if (chip.type === "date") {
        elements.push({
          ...place,
          dateElement: {
            dateId: `d.${at}`,
            dateElementProperties: {
              timestamp: chip.timestamp,
              dateFormat: "DATE_FORMAT_ISO8601",
              displayText: chip.timestamp.slice(0, 10),
              ...(chip.timeZoneId ? { timeZoneId: chip.timeZoneId } : {}),
            },
            textStyle: char.style,
          },
        });
      } else {
        const option = tab.definitions
          .get(chip.definitionId)
          ?.dropdownDefinitionProperties.options.find((candidate) => candidate.optionId === chip.optionId);
        elements.push({
          ...place,
          dropdown: {
            dropdownId: `dd.${at}`,
            dropdownProperties: {
              dropdownDefinitionId: chip.definitionId,
              selectedOptionId: chip.optionId,
              ...(option ? { displayValue: option.displayValue } : {}),
            },
            textStyle: char.style,
          },
        });
      }
    }
    flushRun(newline + 1);
    const para = tab.chars[newline]?.para ?? { namedStyleType: "NORMAL_TEXT" };
    const { bullet, ...paragraphStyle } = para;
    return {
      startIndex: start + 1,
      endIndex: newline + 2,
      paragraph: {
        elements,
        paragraphStyle,
        ...(bullet === undefined
          ? {}
          : {
              bullet: {
                listId: bullet.listId,
                ...(bullet.nestingLevel === 0 ? {} : { nestingLevel: bullet.nestingLevel }),
              },
            }),
      },
    };
  }
}
