// Owns how `npm run doctor` shows the Worker's doctor report: the shape it reads back (checked with zod,
// so a moved field fails here by name), a table of pairs by check, and below it each problem with its
// fixes; with a dry run, what each pair's next agenda would be. Pure, so its layout is tested alone.
import { z } from "zod";
import { type CheckResult, pairCheckRowSchema } from "./check-row";

const dryRunSchema = z.union([
  z.looseObject({
    outcomes: z.array(
      z.looseObject({
        status: z.string(),
        key: z.string(),
        error: z.string().optional(),
        reason: z.string().optional(),
        carried: z.array(z.unknown()).optional(),
        existingUrl: z.string().nullable().optional(),
      }),
    ),
  }),
  z.object({ error: z.string() }),
]);

export const doctorReportSchema = z.object({
  checkedAt: z.string(),
  ok: z.boolean(),
  pairs: z.array(pairCheckRowSchema.extend({ dryRun: dryRunSchema.optional() })),
});

export type DoctorReport = z.infer<typeof doctorReportSchema>;
type Row = DoctorReport["pairs"][number];
type Status = CheckResult["status"];

/** How a status is painted; identity by default, so the layout is the same with or without colour. */
export interface Paint {
  ok(text: string): string;
  problem(text: string): string;
  skipped(text: string): string;
  heading(text: string): string;
}

const PLAIN: Paint = { ok: (t) => t, problem: (t) => t, skipped: (t) => t, heading: (t) => t };

const CHECKS = [
  ["destination", "destination"],
  ["properties", "properties"],
  ["channels", "channels"],
] as const;

const WORDS: Record<Status, string> = { ok: "ok", problem: "PROBLEM", skipped: "skipped" };

function nextMeetingText(row: Row): string {
  // The meeting's own local time, as the pair's time zone has it: "2026-12-08 10:00".
  return row.nextMeeting === null
    ? "none"
    : `${row.nextMeeting.date} ${row.nextMeeting.startsAt.slice(11, 16)}`;
}

function dryRunText(row: Row): string | null {
  const dry = row.dryRun;
  if (dry === undefined) return null;
  if ("error" in dry) return `no dry run: ${dry.error}`;
  if (dry.outcomes.length === 0) return "nothing due";
  return dry.outcomes
    .map((outcome) => {
      if (outcome.status === "dry-run" && outcome.carried !== undefined) {
        const count = outcome.carried.length;
        const made = outcome.existingUrl ? `, already made: ${outcome.existingUrl}` : "";
        return `${outcome.key}: would carry ${count} item${count === 1 ? "" : "s"}${made}`;
      }
      const why = outcome.error ?? outcome.reason;
      return `${outcome.key}: ${outcome.status}${why === undefined ? "" : ` (${why})`}`;
    })
    .join("; ");
}

/**
 * The report as lines: a header, one row per pair (pair, destination, properties, channels, next
 * meeting), then "Fixes" with each problem and what to do about it, and a last line saying whether all
 * is well.
 */
export function formatDoctorReport(report: DoctorReport, paint: Paint = PLAIN): string[] {
  const header = ["pair", ...CHECKS.map(([, title]) => title), "next meeting"];
  const cells = report.pairs.map((row) => [
    row.pairId,
    ...CHECKS.map(([key]) => WORDS[row[key].status]),
    nextMeetingText(row),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => (line[column] ?? "").length)),
  );
  const pad = (text: string, column: number) => text.padEnd(widths[column] ?? 0);
  const lines = [
    paint.heading(header.map(pad).join("  ").trimEnd()),
    widths.map((width) => "-".repeat(width)).join("  "),
  ];
  report.pairs.forEach((row, index) => {
    const line = cells[index] ?? [];
    const painted = line.map((text, column) => {
      const padded = column === line.length - 1 ? text : pad(text, column);
      const check = CHECKS[column - 1];
      return check === undefined ? padded : paint[row[check[0]].status](padded);
    });
    lines.push(painted.join("  "));
  });
  if (report.pairs.length === 0) lines.push("(no pairs stored)");

  const problems = report.pairs.flatMap((row) =>
    CHECKS.flatMap(([key, title]) =>
      row[key].status === "problem" ? [{ pairId: row.pairId, title, result: row[key] }] : [],
    ),
  );
  if (problems.length > 0) {
    lines.push("", paint.heading("Fixes"));
    for (const found of problems) {
      lines.push(`${paint.problem(`${found.pairId} · ${found.title}`)}: ${found.result.summary}`);
      for (const fix of found.result.fixes) lines.push(`  → ${fix}`);
    }
  }
  const dryRuns = report.pairs.flatMap((row) => {
    const text = dryRunText(row);
    return text === null ? [] : [`${row.pairId}: ${text}`];
  });
  if (dryRuns.length > 0) lines.push("", paint.heading("Next agendas (dry run)"), ...dryRuns);

  const count = problems.length;
  lines.push(
    "",
    report.ok
      ? paint.ok(
          report.pairs.length === 1 ? "The pair is ready." : `All ${report.pairs.length} pairs are ready.`,
        )
      : paint.problem(`${count} problem${count === 1 ? "" : "s"} to fix.`),
  );
  return lines;
}
