// Finds the carried sections of an agenda by their headings, tolerantly: people rename, decorate and
// re-case headings ("✅ Action items:" is still the action items), so matching ignores case, emoji,
// punctuation and surrounding words' decoration.
import type { Block, CarryRole } from "./agenda";
import { plainText } from "./agenda";
import { readCarryMark } from "./carry";

const HEADING_ALIASES: Record<CarryRole, readonly string[]> = {
  actions: ["action items", "actions", "action points", "next steps", "to dos", "todos", "follow ups"],
  discussion: ["discussion points", "discussion", "topics", "talking points", "discussion topics"],
  parked: ["parking lot", "parked", "parked items", "parking lot items"],
};

/** Lower case, letters and digits only, single spaces: "  ✅ Action-Items: " becomes "action items". */
function normalizeHeading(text: string): string {
  return text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** The headings (normalised wording) that name a carried role, for messages that tell people what to write. */
export function headingAliases(role: CarryRole): readonly string[] {
  return HEADING_ALIASES[role];
}

/** The carried role a heading names, or null when it names none. */
export function carryRoleOfHeading(text: string): CarryRole | null {
  const normalized = normalizeHeading(text);
  for (const [role, aliases] of Object.entries(HEADING_ALIASES) as [CarryRole, readonly string[]][]) {
    if (aliases.includes(normalized)) return role;
  }
  return null;
}

/**
 * The indices of top-level to-dos under each wanted role's heading whose checked state is `checked` (any
 * when null).
 * A section runs from its heading to the next heading of the same or a higher level.
 */
function todoIndicesUnderRoles(
  blocks: readonly Block[],
  roles: readonly CarryRole[],
  checked: boolean | null,
): Record<CarryRole, number[]> {
  const found: Record<CarryRole, number[]> = { actions: [], discussion: [], parked: [] };
  let current: { role: CarryRole | null; level: number } = { role: null, level: 0 };
  blocks.forEach((block, index) => {
    if (block.kind === "heading") {
      const role = carryRoleOfHeading(plainText(block.text));
      if (role !== null && roles.includes(role)) current = { role, level: block.level };
      else if (current.role === null || block.level <= current.level) current = { role: null, level: 0 };
      return;
    }
    if (current.role !== null && block.kind === "todo" && (checked === null || block.checked === checked)) {
      found[current.role].push(index);
    }
  });
  return found;
}

/**
 * The indices of top-level unchecked to-dos under each wanted role's heading. Returns indices so that a
 * destination can map them back to its own block ids and load nested children only for the items it carries.
 */
export function openTodoIndices(
  blocks: readonly Block[],
  roles: readonly CarryRole[],
): Record<CarryRole, number[]> {
  return todoIndicesUnderRoles(blocks, roles, false);
}

/** The indices of top-level to-dos under each wanted role's heading, checked or not (what live sync follows). */
export function todoIndices(
  blocks: readonly Block[],
  roles: readonly CarryRole[],
): Record<CarryRole, number[]> {
  return todoIndicesUnderRoles(blocks, roles, null);
}

/**
 * How many top-level to-dos under the wanted roles' headings are done (what people closed), and how many
 * of them carry no carry mark: those appeared in that agenda and were closed before the next meeting
 * ("closed within a week" for a weekly pair), where a marked one had been carried before it was closed.
 */
export function closedTodoCounts(
  blocks: readonly Block[],
  roles: readonly CarryRole[],
): { closed: number; closedWithinWeek: number } {
  const found = todoIndicesUnderRoles(blocks, roles, true);
  let closed = 0;
  let closedWithinWeek = 0;
  for (const role of roles) {
    for (const index of found[role]) {
      closed += 1;
      const block = blocks[index];
      if (block?.kind === "todo" && readCarryMark(block.text).originDate === null) closedWithinWeek += 1;
    }
  }
  return { closed, closedWithinWeek };
}
