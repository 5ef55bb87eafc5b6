// The template registry: the shipped templates (bundled as text by wrangler), their ids and schema, and
// each one parsed once per isolate. Parsing and rendering live in parse.ts and render.ts.
import * as z from "zod";
import employeeLed from "../../templates/employee-led.md";
import pastFuture from "../../templates/past-future.md";
import threeKeyAreas from "../../templates/three-key-areas.md";
import weekly from "../../templates/weekly.md";
import type { TemplateId } from "./ids";
import { TEMPLATE_IDS } from "./ids";
import type { ParsedTemplate } from "./parse";
import { parseTemplate, TemplateError } from "./parse";

export type { TemplateId } from "./ids";
export { TEMPLATE_IDS } from "./ids";
export type { ParsedTemplate } from "./parse";
export { parseTemplate, TemplateError } from "./parse";
export type { TemplateContext } from "./render";
export { renderTemplate } from "./render";

const SOURCES: Record<TemplateId, string> = {
  weekly,
  "employee-led": employeeLed,
  "three-key-areas": threeKeyAreas,
  "past-future": pastFuture,
};

/** Validates a pair's template id, naming the valid ones when it is wrong. */
export const templateSchema = z.enum(TEMPLATE_IDS, {
  error: () => `template must be one of: ${TEMPLATE_IDS.join(", ")}`,
});

// A broken template is remembered too, so that every pair using it fails fast with the same message.
const outcomes = new Map<TemplateId, ParsedTemplate | TemplateError>();

// The memoised template is shared by every meeting in the isolate; freezing it turns an accidental
// write (say, carrying items into it instead of into the rendered agenda) into an error at the spot.
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function outcomeOf(id: TemplateId): ParsedTemplate | TemplateError {
  const known = outcomes.get(id);
  if (known !== undefined) return known;
  let outcome: ParsedTemplate | TemplateError;
  try {
    outcome = deepFreeze(parseTemplate(id, SOURCES[id]));
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    outcome = error;
  }
  outcomes.set(id, outcome);
  return outcome;
}

/**
 * The parsed template, memoised and frozen: `renderTemplate` makes each meeting's own copy.
 * Throws the `TemplateError` when the template is broken (see `templateErrors`).
 */
export function getTemplate(id: TemplateId): ParsedTemplate {
  const outcome = outcomeOf(id);
  if (outcome instanceof TemplateError) throw outcome;
  return outcome;
}

/** Every problem with a template, empty when it is valid; checked when a pair is imported. */
export function templateErrors(id: TemplateId): string[] {
  const outcome = outcomeOf(id);
  return outcome instanceof TemplateError ? [...outcome.problems] : [];
}

/**
 * Whether the template has a discussion-points section, so a pair may opt into carrying open
 * discussion points only when there is somewhere to carry them to. False for a broken template.
 */
export function hasDiscussionSection(id: TemplateId): boolean {
  const outcome = outcomeOf(id);
  return !(outcome instanceof TemplateError) && outcome.carrySections.discussion !== null;
}
