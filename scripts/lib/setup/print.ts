// Owns how the set-up shows what the Worker answered: each check with its fixes, and an agenda from a dry
// run as text a person reads (headings, to-dos, bullets), never as JSON.
import type { CheckResult, PairCheckRow } from "../check-row";
import type { AgendaBlock, AgendaView } from "./api";

const MARK: Readonly<Record<CheckResult["status"], string>> = { ok: "✔", problem: "✖", skipped: "–" };

const CHECKS = [
  ["destination", "Destination"],
  ["properties", "Properties"],
  ["channels", "Digest channels"],
] as const;

/** The check's lines: one per check with its summary, then its fixes indented under it. */
export function checkLines(row: PairCheckRow): string[] {
  const lines: string[] = [];
  for (const [key, label] of CHECKS) {
    const result = row[key];
    lines.push(`${MARK[result.status]} ${label.padEnd(16)} ${result.summary}`);
    for (const fix of result.fixes) lines.push(`    fix: ${fix}`);
  }
  if (row.nextMeeting !== null)
    lines.push(`  Next meeting     ${row.nextMeeting.date} (${row.nextMeeting.startsAt})`);
  return lines;
}

export function hasProblems(row: PairCheckRow): boolean {
  return CHECKS.some(([key]) => row[key].status === "problem");
}

function inline(text: AgendaBlock["text"]): string {
  return (text ?? []).map((run) => run.text).join("");
}

function blockLines(block: AgendaBlock, depth: number): string[] {
  const indent = "  ".repeat(depth);
  const text = inline(block.text);
  let line: string;
  switch (block.kind) {
    case "heading":
      line = `${"#".repeat((block.level ?? 1) + 1)} ${text}`;
      break;
    case "todo":
      line = `${indent}- [${block.checked === true ? "x" : " "}] ${text}`;
      break;
    case "bullet":
      line = `${indent}- ${text}`;
      break;
    case "numbered":
      line = `${indent}1. ${text}`;
      break;
    case "quote":
    case "callout":
      line = `${indent}> ${text}`;
      break;
    case "divider":
      line = `${indent}---`;
      break;
    default:
      line = `${indent}${text}`;
  }
  return [line, ...(block.children ?? []).flatMap((child) => blockLines(child, depth + 1))];
}

/** The agenda as Markdown-like lines: its title, then each section's heading and blocks. */
export function agendaLines(agenda: AgendaView): string[] {
  const lines = [`# ${agenda.title}`, ...agenda.intro.flatMap((block) => blockLines(block, 0))];
  for (const section of agenda.sections) {
    lines.push("", `${"#".repeat(section.level + 1)} ${inline(section.heading)}`);
    lines.push(...section.blocks.flatMap((block) => blockLines(block, 0)));
  }
  return lines;
}
