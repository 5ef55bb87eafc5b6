// Owns how each question of the set-up gets its answer: from its flag when one was given (a bad value
// ends the run with "--flag: what was wrong"), from its default under --yes, or from the operator at
// the prompt, asked again until the answer parses. The prompt is passed in, so the logic is tested
// without a terminal.
import type { Parsed } from "./answers";

export interface Question<T> {
  /** The flag that answers it, without the dashes. */
  flag: string;
  /** What the prompt asks. */
  prompt: string;
  parse(text: string): Parsed<T>;
  /** Used for a blank answer, and under --yes; none means an answer is required. */
  default?: string;
  /** Shown with a required question's error under --yes: an example of a good answer. */
  example?: string;
}

/** One line asked of the operator; resolves with what they typed (without the line break). */
type Prompt = (text: string) => Promise<string>;

export interface Answering {
  /** Flag values as parsed from the command line; a flag not given is absent. */
  flags: Readonly<Record<string, string | boolean | undefined>>;
  /** --yes: nothing is asked; every question takes its flag or its default. */
  yes: boolean;
  prompt: Prompt;
  /** Where a rejected answer is explained before the question is asked again. */
  say(line: string): void;
}

/** A mistake in what the operator gave on the command line: printed as its message, exit code 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** The value of a string flag, or undefined when it was not given. */
function flagText(answering: Answering, flag: string): string | undefined {
  const value = answering.flags[flag];
  return typeof value === "string" ? value : undefined;
}

export function given(answering: Answering, flag: string): boolean {
  return answering.flags[flag] !== undefined;
}

export async function ask<T>(question: Question<T>, answering: Answering): Promise<T> {
  const fromFlag = flagText(answering, question.flag);
  if (fromFlag !== undefined) {
    const parsed = question.parse(fromFlag);
    if (!parsed.ok) throw new InputError(`--${question.flag}: ${parsed.error}`);
    return parsed.value;
  }
  if (answering.yes) {
    if (question.default === undefined) {
      const example =
        question.example === undefined ? "" : ` (for example --${question.flag} "${question.example}")`;
      throw new InputError(`--${question.flag}: required with --yes${example}`);
    }
    const parsed = question.parse(question.default);
    if (!parsed.ok) throw new InputError(`--${question.flag}: ${parsed.error}`);
    return parsed.value;
  }
  const suffix = question.default === undefined || question.default === "" ? "" : ` [${question.default}]`;
  for (;;) {
    const typed = (await answering.prompt(`${question.prompt}${suffix}: `)).trim();
    if (typed === "" && question.default === undefined) {
      answering.say(
        `  needs an answer${question.example === undefined ? "" : `, like "${question.example}"`}`,
      );
      continue;
    }
    const parsed = question.parse(typed === "" ? (question.default ?? "") : typed);
    if (parsed.ok) return parsed.value;
    answering.say(`  ✖ ${parsed.error}`);
  }
}
