// Drive's `q` search language (the subset agenda tools use) and `orderBy`, parsed into predicates and comparators.
import type { DriveItem } from "./store";

export class QueryError extends Error {
  constructor(
    message: string,
    /** A real Drive query term the emulator does not evaluate (a gap, not a client error). */
    readonly gap = false,
  ) {
    super(message);
  }
}

interface QueryContext {
  /** The app (service account) whose private appProperties the query sees. */
  app: string;
  /** Lowercased searchable text of a file (name + document text), for fullText. */
  text(item: DriveItem): string;
}

export type Predicate = (item: DriveItem, ctx: QueryContext) => boolean;

type Token =
  | { kind: "string"; value: string }
  | { kind: "word"; value: string }
  | { kind: "op"; value: string };

/** Drive fields that exist in the query language but are not evaluated here. */
const KNOWN_UNSUPPORTED = new Set([
  "sharedWithMe",
  "viewedByMeTime",
  "visibility",
  "shortcutDetails",
  "memberCount",
  "organizerCount",
  "hidden",
  "itemCount",
  "labels",
]);

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i] ?? "";
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      let value = "";
      i++;
      while (i < q.length && q[i] !== c) {
        if (q[i] === "\\" && i + 1 < q.length) i++;
        value += q[i];
        i++;
      }
      if (i >= q.length) throw new QueryError("Invalid Value");
      i++;
      tokens.push({ kind: "string", value });
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(q.slice(i));
      const word = match?.[0] ?? c;
      tokens.push({ kind: "word", value: word });
      i += word.length;
    } else {
      const match = /^(!=|<=|>=|=|<|>|\(|\)|\{|\})/.exec(q.slice(i));
      if (match === null) throw new QueryError("Invalid Value");
      tokens.push({ kind: "op", value: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

function compare(op: string, a: string | boolean, b: string | boolean): boolean {
  switch (op) {
    case "=":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    default:
      throw new QueryError("Invalid Value");
  }
}

/** `name contains 'x'` is prefix matching on the words of the name (and on the whole name). */
function nameContains(name: string, needle: string): boolean {
  const lower = needle.toLowerCase();
  const haystack = name.toLowerCase();
  return (
    haystack.startsWith(lower) || haystack.split(/[^\p{L}\p{N}]+/u).some((word) => word.startsWith(lower))
  );
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Predicate {
    const predicate = this.or();
    if (this.pos !== this.tokens.length) throw new QueryError("Invalid Value");
    return predicate;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const token = this.tokens[this.pos++];
    if (token === undefined) throw new QueryError("Invalid Value");
    return token;
  }

  private isWord(value: string): boolean {
    const token = this.peek();
    return token?.kind === "word" && token.value.toLowerCase() === value;
  }

  private expect(kind: Token["kind"], value?: string): Token {
    const token = this.next();
    if (token.kind !== kind || (value !== undefined && token.value.toLowerCase() !== value)) {
      throw new QueryError("Invalid Value");
    }
    return token;
  }

  private string(): string {
    return this.expect("string").value;
  }

  private or(): Predicate {
    const parts = [this.and()];
    while (this.isWord("or")) {
      this.pos++;
      parts.push(this.and());
    }
    return parts.length === 1 && parts[0] ? parts[0] : (item, ctx) => parts.some((p) => p(item, ctx));
  }

  private and(): Predicate {
    const parts = [this.unary()];
    while (this.isWord("and")) {
      this.pos++;
      parts.push(this.unary());
    }
    return parts.length === 1 && parts[0] ? parts[0] : (item, ctx) => parts.every((p) => p(item, ctx));
  }

  private unary(): Predicate {
    if (this.isWord("not")) {
      this.pos++;
      const inner = this.unary();
      return (item, ctx) => !inner(item, ctx);
    }
    const token = this.peek();
    if (token?.kind === "op" && token.value === "(") {
      this.pos++;
      const inner = this.or();
      this.expect("op", ")");
      return inner;
    }
    return this.term();
  }

  private term(): Predicate {
    const first = this.next();
    if (first.kind === "string") {
      this.expect("word", "in");
      const collection = this.expect("word").value;
      const value = first.value;
      switch (collection) {
        case "parents":
          return (item) => item.parents.includes(value);
        case "owners":
          return (item) => item.owner === value;
        case "writers":
          return (item) => ["writer", "fileOrganizer", "organizer", "owner"].includes(item.acl[value] ?? "");
        case "readers":
          return (item) => item.acl[value] !== undefined;
        default:
          throw new QueryError("Invalid Value");
      }
    }
    if (first.kind !== "word") throw new QueryError("Invalid Value");
    const field = first.value;
    if (field === "appProperties" || field === "properties") {
      this.expect("word", "has");
      this.expect("op", "{");
      this.expect("word", "key");
      this.expect("op", "=");
      const key = this.string();
      this.expect("word", "and");
      this.expect("word", "value");
      this.expect("op", "=");
      const value = this.string();
      this.expect("op", "}");
      return field === "appProperties"
        ? (item, ctx) => item.appProperties[ctx.app]?.[key] === value
        : (item) => item.properties[key] === value;
    }
    if (KNOWN_UNSUPPORTED.has(field.split(".")[0] ?? field)) {
      throw new QueryError(`the Drive query term ${field} is not evaluated by the emulator`, true);
    }
    const op = this.next();
    const operator = op.kind === "word" ? op.value.toLowerCase() : op.value;
    if (op.kind === "string") throw new QueryError("Invalid Value");
    switch (field) {
      case "name":
      case "mimeType": {
        const value = this.string();
        const get = (item: DriveItem) => (field === "name" ? item.name : item.mimeType);
        if (operator === "contains") {
          return field === "name"
            ? (item) => nameContains(item.name, value)
            : (item) => item.mimeType.includes(value);
        }
        if (operator !== "=" && operator !== "!=") throw new QueryError("Invalid Value");
        return (item) => compare(operator, get(item), value);
      }
      case "fullText": {
        if (operator !== "contains") throw new QueryError("Invalid Value");
        const value = this.string().toLowerCase();
        return (item, ctx) => ctx.text(item).includes(value);
      }
      case "trashed":
      case "starred": {
        const literal = this.expect("word").value.toLowerCase();
        if (literal !== "true" && literal !== "false") throw new QueryError("Invalid Value");
        if (operator !== "=" && operator !== "!=") throw new QueryError("Invalid Value");
        const wanted = literal === "true";
        return (item) => compare(operator, field === "trashed" ? item.trashed : false, wanted);
      }
      case "createdTime":
      case "modifiedTime": {
        const raw = this.string();
        const ms = Date.parse(raw);
        if (Number.isNaN(ms)) throw new QueryError("Invalid Value");
        const value = new Date(ms).toISOString();
        return (item) =>
          compare(operator, field === "createdTime" ? item.createdTime : item.modifiedTime, value);
      }
      default:
        throw new QueryError("Invalid Value");
    }
  }
}

export function parseQuery(q: string): Predicate {
  return new Parser(tokenize(q)).parse();
}

export type Comparator = (a: DriveItem, b: DriveItem) => number;

const SORT_KEYS = new Set([
  "createdTime",
  "modifiedTime",
  "recency",
  "name",
  "name_natural",
  "folder",
  "starred",
]);
const SORT_UNSUPPORTED = new Set([
  "modifiedByMeTime",
  "sharedWithMeTime",
  "viewedByMeTime",
  "quotaBytesUsed",
]);

export function parseOrderBy(orderBy: string): Comparator {
  const keys = orderBy
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part) => {
      const [key = "", direction = "", extra] = part.split(/\s+/);
      if (extra !== undefined || (direction !== "" && direction.toLowerCase() !== "desc")) {
        throw new QueryError("Invalid Value");
      }
      if (SORT_UNSUPPORTED.has(key)) throw new QueryError(`orderBy ${key} is not emulated`, true);
      if (!SORT_KEYS.has(key)) throw new QueryError("Invalid Value");
      const sign = direction === "" ? 1 : -1;
      const value = (item: DriveItem): string | number => {
        switch (key) {
          case "createdTime":
            return item.createdTime;
          case "modifiedTime":
          case "recency":
            return item.modifiedTime;
          case "name":
          case "name_natural":
            return item.name.toLowerCase();
          case "folder":
            return item.mimeType === "application/vnd.google-apps.folder" ? 0 : 1;
          default:
            return 0;
        }
      };
      return { sign, value, natural: key === "name_natural" };
    });
  return (a, b) => {
    for (const { sign, value, natural } of keys) {
      const x = value(a);
      const y = value(b);
      const order =
        natural && typeof x === "string" && typeof y === "string"
          ? x.localeCompare(y, "en", { numeric: true })
          : x < y
            ? -1
            : x > y
              ? 1
              : 0;
      if (order !== 0) return sign * order;
    }
    return 0;
  };
}
