// The layout of `npm run doctor`: one aligned row per pair, the fixes under the table, the dry runs when
// asked, and the last line saying whether anything needs fixing. Run with
// `node --import tsx --test scripts/test/*.test.ts`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type DoctorReport, doctorReportSchema, formatDoctorReport } from "../lib/doctor-table";

const ok = (summary: string) => ({ status: "ok" as const, summary, fixes: [] });

const report: DoctorReport = doctorReportSchema.parse({
  checkedAt: "2026-12-07T08:00:00.000Z",
  ok: false,
  pairs: [
    {
      pairId: "ada-bo",
      destination: ok("reachable"),
      properties: ok("Name, Date present"),
      channels: ok("no digest channels"),
      nextMeeting: { date: "2026-12-08", startsAt: "2026-12-08T10:00:00+01:00" },
      dryRun: {
        at: "2026-12-07T09:00:00.000Z",
        outcomes: [{ status: "dry-run", key: "ada-bo/2026-12-08", carried: [{}, {}], existingUrl: null }],
      },
    },
    {
      pairId: "cy-dee-long-name",
      destination: {
        status: "problem",
        summary: "Notion data source 1 was not found or is not shared with the integration",
        fixes: ["Share the database with the integration.", "Check the id."],
      },
      properties: { status: "skipped", summary: "not checked", fixes: [] },
      channels: { status: "problem", summary: "secret CY_SLACK is not set", fixes: ["Set CY_SLACK."] },
      nextMeeting: null,
      dryRun: { error: "no next meeting: the schedule is paused or has ended" },
    },
  ],
});

test("prints an aligned table, each problem's fixes, the dry runs and a verdict", () => {
  assert.deepEqual(formatDoctorReport(report), [
    "pair              destination  properties  channels  next meeting",
    "----------------  -----------  ----------  --------  ----------------",
    "ada-bo            ok           ok          ok        2026-12-08 10:00",
    "cy-dee-long-name  PROBLEM      skipped     PROBLEM   none",
    "",
    "Fixes",
    "cy-dee-long-name · destination: Notion data source 1 was not found or is not shared with the integration",
    "  → Share the database with the integration.",
    "  → Check the id.",
    "cy-dee-long-name · channels: secret CY_SLACK is not set",
    "  → Set CY_SLACK.",
    "",
    "Next agendas (dry run)",
    "ada-bo: ada-bo/2026-12-08: would carry 2 items",
    "cy-dee-long-name: no dry run: no next meeting: the schedule is paused or has ended",
    "",
    "2 problems to fix.",
  ]);
});

test("says all is ready, and paints by status without moving a column", () => {
  const healthy: DoctorReport = {
    ...report,
    ok: true,
    pairs: report.pairs.slice(0, 1).map(({ dryRun: _, ...row }) => row),
  };
  const plain = formatDoctorReport(healthy);
  assert.equal(plain.at(-1), "The pair is ready.");
  assert.equal(plain.includes("Fixes"), false);
  const marked = formatDoctorReport(healthy, {
    ok: (text) => `<${text}>`,
    problem: (text) => `!${text}!`,
    skipped: (text) => text,
    heading: (text) => text,
  });
  assert.equal(marked[2], "ada-bo  <ok         >  <ok        >  <ok      >  2026-12-08 10:00");
});
