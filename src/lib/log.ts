// Structured logging with redaction: every line is one JSON object, and any secret the Worker holds is
// replaced before it is written, so a token that sneaks into an error message never reaches the logs.
//
// Redaction walks the fields BEFORE they are serialised: JSON.stringify escapes `"`, `\` and line breaks,
// so a secret holding them (a Google service-account key file, its PEM, a password with a quote) no longer
// matches itself once serialised. Strings are also searched for the secrets' JSON-escaped spellings, for
// text that was serialised before it reached the logger (a request body, a stringified key file), and the
// finished line is searched once more for all of them.

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

const REDACTED = "[redacted]";
/** Secrets shorter than this are ignored: replacing "abc" everywhere would shred the logs, not guard them. */
const MIN_SECRET_LENGTH = 6;
/** How deep fields are walked; deeper values are summarised rather than risked. */
const MAX_DEPTH = 32;

/** The content of a JSON string literal holding `text`: how `text` reads once serialised. */
function jsonEscaped(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/**
 * Every spelling of each secret that redaction looks for: as it is, serialised once (a key file inside a
 * JSON body) and serialised twice (that body logged as a string, then the line). Longest first, so a
 * longer spelling is replaced whole before a shorter one could cut into it.
 */
function secretSpellings(secrets: readonly string[]): string[] {
  const spellings = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    const once = jsonEscaped(secret);
    spellings.add(secret).add(once).add(jsonEscaped(once));
  }
  return [...spellings].sort((a, b) => b.length - a.length);
}

function replaceAll(text: string, spellings: readonly string[]): string {
  let out = text;
  for (const spelling of spellings) {
    if (out.includes(spelling)) out = out.split(spelling).join(REDACTED);
  }
  return out;
}

/**
 * Replaces every occurrence of each secret in `text`, in any of its spellings (see `secretSpellings`).
 * Secrets shorter than 6 characters are ignored.
 */
export function redact(text: string, secrets: readonly string[]): string {
  return replaceAll(text, secretSpellings(secrets));
}

/**
 * `value` made safe to serialise: strings redacted, objects and arrays walked (keys too), an Error as its
 * name, message and cause (JSON.stringify would drop all three), cycles and over-deep nesting cut, and
 * values JSON cannot hold (bigint, functions, symbols) written as text.
 */
function scrubValue(
  value: unknown,
  spellings: readonly string[],
  ancestors: Set<object>,
  depth: number,
): unknown {
  if (typeof value === "string") return replaceAll(value, spellings);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "function" || typeof value === "symbol") return `[${typeof value}]`;
  if (typeof value !== "object" || value === null) return value;
  if (ancestors.has(value)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[too deep]";
  ancestors.add(value);
  try {
    const walk = (inner: unknown) => scrubValue(inner, spellings, ancestors, depth + 1);
    if (value instanceof Error) {
      const error: Record<string, unknown> = { name: walk(value.name), message: walk(value.message) };
      if (value.cause !== undefined) error.cause = walk(value.cause);
      return error;
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value instanceof Map) return walk(Object.fromEntries(value));
    if (value instanceof Set) return walk([...value]);
    // Dates, URLs and the like say how they serialise; what they say is walked like anything else.
    if ("toJSON" in value && typeof value.toJSON === "function") return walk(value.toJSON());
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[replaceAll(key, spellings)] = walk(inner);
    return out;
  } finally {
    ancestors.delete(value);
  }
}

/** A logger that writes JSON lines to `sink` (console by default) at or above `level`. */
export function createLogger(options: {
  level: LogLevel;
  secrets: readonly string[];
  sink?: (line: string, level: LogLevel) => void;
}): Logger {
  const sink =
    options.sink ??
    ((line: string, level: LogLevel) => {
      if (level === "error") console.error(line);
      else if (level === "warn") console.warn(line);
      else console.log(line);
    });
  const spellings = secretSpellings(options.secrets);
  const write = (level: LogLevel, event: string, fields: LogFields = {}) => {
    if (RANK[level] < RANK[options.level]) return;
    const body = scrubValue({ level, event, ...fields }, spellings, new Set(), 0);
    sink(replaceAll(JSON.stringify(body), spellings), level);
  };
  return {
    debug: (event, fields) => write("debug", event, fields),
    info: (event, fields) => write("info", event, fields),
    warn: (event, fields) => write("warn", event, fields),
    error: (event, fields) => write("error", event, fields),
  };
}

/** A logger that drops everything, for tests and dry runs that must stay quiet. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** The message of anything thrown, without its stack. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
