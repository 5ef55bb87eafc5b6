// Owns the Google pairs' history before the meeting the demo prepares: the Worker writes the meeting
// before last, the report types action items into it (plain bullets with person and date chips), the
// Worker writes the last meeting carrying them (each with a status chip), and the manager then edits
// that agenda as people do in Docs: Done on a chip, a strike-through, a typed item, and in the running
// doc, text above the sections and a renamed heading. The next cron tick must carry across all of it.

import { editorOf, prepareMeetingOf } from "../google/history";
import {
  ACTION_ITEMS,
  markDone,
  renameHeading,
  strikeThrough,
  typeActionItems,
  writeAtTop,
} from "../google/person";
import { firstName } from "../google/seed";
import type { Stack } from "../stack";
import { out, style } from "../terminal";
import { addDays } from "../ticks";
import { utcTime } from "./describe";
import type { GoogleDemoEntry } from "./google-pairs";

/** Acts out the two meetings before each entry's, pair by pair, printing what happened. */
export async function actOutGoogleHistory(stack: Stack, entries: readonly GoogleDemoEntry[]): Promise<void> {
  for (const entry of entries) await actOutPair(stack, entry);
}

async function actOutPair(stack: Stack, entry: GoogleDemoEntry): Promise<void> {
  const { pair, plan } = entry;
  const { manager, report } = pair;
  // Columns: pair id, meeting date, what happened.
  const line = (id: string, date: string, text: string) => out(`  ${id.padEnd(9)}${date.padEnd(12)}${text}`);

  const earlier = await prepareMeetingOf(stack.admin, pair, plan.earlier);
  await typeActionItems(editorOf(stack.google, pair, earlier, report), [
    [
      "Draft the Q1 hiring plan — ",
      { person: report.email },
      " by ",
      { date: addDays(plan.previous.date, 3) },
    ],
    [
      "Read the staff engineer ladder — ",
      { person: report.email },
      " by ",
      { date: addDays(plan.meeting.date, 7) },
    ],
    ["Book the room for the team offsite — ", { person: manager.email }],
    ["Send the promotion packet to HR — ", { person: report.email }],
  ]);
  line(
    pair.id,
    plan.earlier.date,
    `written by the Worker ${style.dim(`(POST /admin/run at ${utcTime(earlier.tickMs)})`)}`,
  );
  line("", "", `${firstName(report)} types 4 action items: plain bullets with @person and date chips`);

  const previous = await prepareMeetingOf(stack.admin, pair, plan.previous);
  line(
    "",
    plan.previous.date,
    `written by the Worker, ${previous.meeting.carriedCount} items carried with a status chip each`,
  );
  const editor = editorOf(stack.google, pair, previous, manager);
  await markDone(editor, "Book the room");
  await strikeThrough(editor, "Send the promotion packet");
  await typeActionItems(editor, [
    [
      "Share the offsite notes with the team — ",
      { person: manager.email },
      " by ",
      { date: addDays(plan.meeting.date, 3) },
    ],
  ]);
  line("", "", `${firstName(manager)} picks Done on one item's chip, strikes one through, types a new item`);
  if (pair.destination.mode === "running-doc") {
    await writeAtTop(editor, "Notes from the offsite: fewer recurring meetings in January.");
    await renameHeading(editor, ACTION_ITEMS, "✅ Action Items:");
    line(
      "",
      "",
      `${" ".repeat(firstName(manager).length)} writes above the sections, renames "Action items" to "✅ Action Items:"`,
    );
  }
}
