// Owns what counts as a control character in text that must stay on one line (a mail header, a display
// name, a failure reason, a digest item): C0 (U+0000 to U+001F, CR and LF among them), DEL and C1 (U+007F to U+009F). CR
// or LF in a header would end its line and start one of the sender's choosing; the others confuse mail
// clients and logs.

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_RUNS = /[\u0000-\u001F\u007F-\u009F]+/gu;
const WHITESPACE_RUNS = /\s+/gu;

/** Whether `text` holds any control character. */
export function hasControlCharacters(text: string): boolean {
  // `search` always starts at 0 and leaves the global pattern's `lastIndex` alone, unlike `test`.
  return text.search(CONTROL_RUNS) !== -1;
}

/** `text` with every control character taken out. */
export function withoutControlCharacters(text: string): string {
  return text.replace(CONTROL_RUNS, "");
}

/** `text` with each run of control characters turned into one space, and its ends trimmed. */
export function controlCharactersAsSpaces(text: string): string {
  return text.replace(CONTROL_RUNS, " ").trim();
}

/** `text` as one tidy line: each run of control characters or whitespace becomes one space, ends trimmed. */
export function toOneLine(text: string): string {
  return text.replace(CONTROL_RUNS, " ").replace(WHITESPACE_RUNS, " ").trim();
}
