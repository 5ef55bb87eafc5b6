// The console's home: every pair with its next meeting, its last agenda and how it stands, a page at a
// time in id order.
import type { Context } from "hono";
import { Hono } from "hono";
import * as z from "zod";
import { nextOccurrence } from "../domain/occurrences";
import { pairIdSchema } from "../domain/pair-id";
import type { MeetingRecord } from "../store/meetings";
import type { StoredPair } from "../store/pairs";
import type { ConsoleEnv } from "./context";
import { flashFor } from "./flash";
import { when } from "./format";
import { Page, Table } from "./layout";

const PAGE_SIZE = 100;

const listQuery = z.object({ after: pairIdSchema.optional() });

export interface PairState {
  label: string;
  tone: "ok" | "bad" | "warn" | "muted";
}

/** How a pair stands: its stored config, its schedule, and its latest meeting. */
export function pairState(entry: StoredPair, latest: MeetingRecord | undefined): PairState {
  if (entry.pair === null) return { label: "Config invalid", tone: "bad" };
  if (entry.pair.schedule.paused) return { label: "Paused", tone: "warn" };
  if (latest === undefined) return { label: "No agenda yet", tone: "muted" };
  if (latest.status === "failed") return { label: "Failing", tone: "bad" };
  if (latest.status === "claimed") return { label: "Preparing", tone: "warn" };
  return { label: "OK", tone: "ok" };
}

export function StateLabel(props: { state: PairState }) {
  return (
    <span class={props.state.tone === "muted" ? "muted" : `status-${props.state.tone}`}>
      {props.state.label}
    </span>
  );
}

async function pairsPage(c: Context<ConsoleEnv>) {
  const runtime = c.var.runtime;
  const query = listQuery.safeParse(c.req.query());
  const after = query.success ? (query.data.after ?? null) : null;
  const page = await runtime.pairs.page(PAGE_SIZE, after);
  const ids = page.pairs.map((entry) => entry.id);
  const [latest, latestCreated] = await Promise.all([
    runtime.meetings.latestOfPairs(ids),
    runtime.meetings.latestCreated(ids),
  ]);
  const now = runtime.clock();
  return c.html(
    <Page title="Pairs" current="/console" viewer={c.var.viewer} flash={flashFor(c.req.query("flash"))}>
      {page.pairs.length === 0 && after === null ? (
        <p>No pairs yet. Add one with POST /admin/pairs or npm run setup.</p>
      ) : (
        <Table
          caption="Pairs, their next meeting and their last agenda"
          columns={["Pair", "People", "Next meeting", "Last agenda", "Status"]}
        >
          {page.pairs.map((entry) => {
            const next = entry.pair ? nextOccurrence(entry.pair.schedule, now) : null;
            const agenda = latestCreated.get(entry.id);
            const state = pairState(entry, latest.get(entry.id));
            return (
              <tr>
                <th scope="row">
                  <a href={`/console/pairs/${encodeURIComponent(entry.id)}`}>{entry.id}</a>
                </th>
                <td>{entry.pair ? `${entry.pair.manager.name} and ${entry.pair.report.name}` : "—"}</td>
                <td>{next ? `${next.date} (${next.startsAt})` : "—"}</td>
                <td>
                  {agenda?.agendaUrl ? (
                    <a href={agenda.agendaUrl} rel="noreferrer">
                      {`Agenda of ${agenda.date}`}
                    </a>
                  ) : (
                    "—"
                  )}
                </td>
                <td>
                  <StateLabel state={state} />
                  {state.tone === "bad" ? (
                    <>
                      {" "}
                      <a href={`/console/pairs/${encodeURIComponent(entry.id)}`}>why</a>
                    </>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </Table>
      )}
      {page.lastId !== null ? (
        <p>
          <a href={`/console?after=${encodeURIComponent(page.lastId)}`}>Next page</a>
        </p>
      ) : null}
      <p class="muted">{`As of ${when(now)}.`}</p>
    </Page>,
  );
}

export const pairListRoutes = new Hono<ConsoleEnv>().get("/", pairsPage);
