// Structured logging with redaction: every line is one JSON object, and any secret the Worker holds is
// replaced before it is written, so a token that sneaks into an error message never reaches the logs.

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Replaces every occurrence of each secret in `text`. Secrets shorter than 6 characters are ignored. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 6) out = out.split(secret).join("[redacted]");
  }
  return out;
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
  const write = (level: LogLevel, event: string, fields: LogFields = {}) => {
    if (RANK[level] < RANK[options.level]) return;
    sink(redact(JSON.stringify({ level, event, ...fields }), options.secrets), level);
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
