// The doctor as a page: the set-up checks of every stored pair (destination reachable, properties right,
// channels ready, next meeting), each problem's fixes, and a link to each pair's next agenda as a dry
// run. The checks are runDoctor's, as GET /admin/doctor answers them; its answer names secrets, never
// their values.
import type { Context } from "hono";
import { Hono } from "hono";
import { type CheckResult, type PairCheckRow, rowOk, runDoctor } from "../jobs/doctor";
import type { ConsoleEnv } from "./context";
import { when } from "./format";
import { Page, Table } from "./layout";

const CHECKS = [
  { key: "destination", label: "Destination" },
  { key: "properties", label: "Properties" },
  { key: "channels", label: "Channels" },
] as const;

const COLUMNS = ["Pair", ...CHECKS.map((check) => check.label), "Next meeting", "Next agenda"];

const STATUS: Record<CheckResult["status"], { label: string; class: string }> = {
  ok: { label: "OK", class: "status-ok" },
  problem: { label: "Problem", class: "status-bad" },
  skipped: { label: "Skipped", class: "muted" },
};

function pairHref(id: string): string {
  return `/console/pairs/${encodeURIComponent(id)}`;
}

function Check(props: { result: CheckResult }) {
  const status = STATUS[props.result.status];
  return (
    <>
      <span class={status.class}>{status.label}</span>: {props.result.summary}
    </>
  );
}

function Fixes(props: { row: PairCheckRow }) {
  const { row } = props;
  return (
    <>
      <h3>
        <a href={pairHref(row.pairId)}>{row.pairId}</a>
      </h3>
      <ul>
        {CHECKS.flatMap((check) =>
          row[check.key].fixes.map((fix) => (
            <li>
              {`${check.label}: `}
              {fix}
            </li>
          )),
        )}
      </ul>
    </>
  );
}

async function doctorPage(c: Context<ConsoleEnv>) {
  const report = await runDoctor(c.var.runtime);
  const needFix = report.pairs.filter((row) => !rowOk(row));
  return c.html(
    <Page title="Doctor" current="/console/doctor" viewer={c.var.viewer}>
      {report.pairs.length === 0 ? (
        <p>No pairs yet. Add one with POST /admin/pairs or npm run setup.</p>
      ) : (
        <>
          <p class={report.ok ? "status-ok" : "status-bad"}>
            {report.ok
              ? "Every pair is set up right."
              : `${needFix.length} of ${report.pairs.length} pairs need a fix (below the table).`}
          </p>
          <Table caption="Set-up checks of every pair" columns={COLUMNS}>
            {report.pairs.map((row) => (
              <tr>
                <th scope="row">
                  <a href={pairHref(row.pairId)}>{row.pairId}</a>
                </th>
                {CHECKS.map((check) => (
                  <td>
                    <Check result={row[check.key]} />
                  </td>
                ))}
                <td>{row.nextMeeting ? `${row.nextMeeting.date} (${row.nextMeeting.startsAt})` : "—"}</td>
                <td>
                  <a
                    href={`${pairHref(row.pairId)}/preview`}
                    aria-label={`Preview the next agenda of ${row.pairId}`}
                  >
                    Preview
                  </a>
                </td>
              </tr>
            ))}
          </Table>
          <h2>Fixes</h2>
          {needFix.length === 0 ? <p>Nothing to fix.</p> : needFix.map((row) => <Fixes row={row} />)}
        </>
      )}
      <p class="muted">{`Checked at ${when(report.checkedAt)}.`}</p>
    </Page>,
  );
}

export const doctorPageRoutes = new Hono<ConsoleEnv>().get("/doctor", doctorPage);
