// Owns the demo's one live sync: after a Notion pair's new agenda was made, a person ticks an open item in
// the previous agenda (through the emulator's control API, as Notion's editor would), the next cron tick
// runs, and the demo shows the carried copy in the new agenda checked, with the calls that took. Judged by
// what the emulator holds, not by what the Worker says.
import type { BlockTreeNode } from "../../../emulators/notion/control";
import { ScriptError, within } from "../run";
import type { Stack } from "../stack";
import { describeCounts, out, style } from "../terminal";
import { utcTime } from "./describe";
import type { SeededPair } from "./seed";

/** The Worker's mark on a carried copy. */
const CARRY_MARK = "↻";
/** A meeting this close to its start may close its sync window while the demo runs. */
const MARGIN_MS = 60 * 60_000;
const POLL_MS = 100;

function plainOf(node: BlockTreeNode): string {
  const payload: unknown = Reflect.get(node, node.type);
  const richText: unknown =
    typeof payload === "object" && payload !== null ? Reflect.get(payload, "rich_text") : undefined;
  if (!Array.isArray(richText)) return "";
  return richText.map((item: unknown) => String(Reflect.get(Object(item), "plain_text") ?? "")).join("");
}

const checked = (node: BlockTreeNode | undefined): node is BlockTreeNode =>
  node?.type === "to_do" && node.to_do.checked;

/** An item's words before its owner and marks: what the copy starts with too. */
const wordsOf = (node: BlockTreeNode): string => plainOf(node).split(" — ")[0]?.trim() ?? "";

/** The first open to-do under the previous agenda's "Action items", and its copy in the new agenda. */
async function itemAndCopy(stack: Stack, previousId: string, agendaId: string) {
  let section = "";
  let item: BlockTreeNode | undefined;
  for (const node of await stack.notion.blockTree(previousId)) {
    if (node.type.startsWith("heading_")) section = plainOf(node).toLowerCase();
    else if (node.type === "to_do" && !node.to_do.checked && section.includes("action items")) {
      item = node;
      break;
    }
  }
  if (item === undefined) return null;
  const words = wordsOf(item);
  const copyOf = async () =>
    (await stack.notion.blockTree(agendaId)).find(
      (node) =>
        node.type === "to_do" && plainOf(node).startsWith(words) && plainOf(node).includes(CARRY_MARK),
    );
  return { item, words, copyOf };
}

/** The Notion pair to show: one whose meeting is far enough away that its agenda still follows. */
export function pairToSync(seeded: readonly SeededPair[], nowMs: number): SeededPair | undefined {
  return seeded.find((entry) => entry.plan.meeting.startsAtMs > nowMs + MARGIN_MS);
}

export async function showOneSync(
  stack: Stack,
  entry: SeededPair,
  agendaId: string,
  tickMs: number,
): Promise<void> {
  const viewUrl = `${stack.emulator.url}/view/pages/${agendaId}`;
  const found = await itemAndCopy(stack, entry.previousPageId, agendaId);
  if (found === null) throw new ScriptError(`${entry.pair.id}: its previous agenda has no open action item`);
  const before = await found.copyOf();
  if (before === undefined) throw new ScriptError(`${entry.pair.id}: "${found.words}" was not carried`);
  if (checked(before))
    throw new ScriptError(`${entry.pair.id}: the copy of "${found.words}" is already checked`);

  await stack.notion.tickTodo(found.item.id);
  out(
    `  ${entry.pair.report.name} ticks "${found.words}" in the ${entry.plan.previous.date} agenda  ${style.dim("(after the new one was made)")}`,
  );
  await stack.notion.resetCalls(stack.notionToken);
  await stack.admin.scheduled(tickMs);
  const copy = await within(
    60_000,
    "the sync pass",
    (async () => {
      for (;;) {
        const now = await found.copyOf();
        if (checked(now)) return now;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    })(),
  );
  const calls = await stack.notion.calls(stack.notionToken);
  out(
    `  cron ${utcTime(tickMs)}  →  the ${entry.plan.meeting.date} agenda's copy is now checked: ${style.green(`[x] ${plainOf(copy)}`)}`,
  );
  out(style.dim(`    the tick's Notion calls: ${describeCounts(calls)}`));
  out(style.dim(`    see it: ${viewUrl}`));
}
