// Everything that needs a person, across pairs: pairs whose stored config no longer parses, meetings
// whose agenda could not be made (with the reason and the fix), and how many deliveries failed and how
// many dead letters wait.
import type { Context } from "hono";
import { Hono } from "hono";
import type { ConsoleEnv } from "./context";
import { fixFor, INVALID_PAIR_FIX } from "./fixes";
import { flashFor } from "./flash";
import { when } from "./format";
import { Page, Table } from "./layout";

const LIMIT = 200;

function pairLink(id: string) {
  return <a href={`/console/pairs/${encodeURIComponent(id)}`}>{id}</a>;
}

async function failuresPage(c: Context<ConsoleEnv>) {
  const runtime = c.var.runtime;
  const [pairs, meetings, deliveries, letters] = await Promise.all([
    runtime.pairs.list(),
    runtime.meetings.listFailed(LIMIT),
    runtime.deliveries.listByStatus("failed", LIMIT),
    runtime.deadLetters.listOpen(LIMIT),
  ]);
  const invalid = pairs.filter((entry) => entry.pair === null);
  const more = (count: number) => (count === LIMIT ? `${LIMIT} or more` : String(count));
  return c.html(
    <Page
      title="Failures"
      current="/console/failures"
      viewer={c.var.viewer}
      flash={flashFor(c.req.query("flash"))}
    >
      <ul>
        <li>
          <a href="/console/deliveries?status=failed">{`${more(deliveries.length)} failed deliveries`}</a>
        </li>
        <li>
          <a href="/console/dead-letters">{`${more(letters.length)} open dead letters`}</a>
        </li>
      </ul>
      <h2>Pairs with problems</h2>
      {invalid.length === 0 ? (
        <p>Every stored pair is valid.</p>
      ) : (
        <Table caption="Pairs whose stored config no longer parses" columns={["Pair", "Problems", "Fix"]}>
          {invalid.map((entry) => (
            <tr>
              <th scope="row">{pairLink(entry.id)}</th>
              <td>
                <ul>
                  {entry.problems.map((text) => (
                    <li>{text}</li>
                  ))}
                </ul>
              </td>
              <td>{INVALID_PAIR_FIX}</td>
            </tr>
          ))}
        </Table>
      )}
      <h2>Failed meetings</h2>
      {meetings.length === 0 ? (
        <p>No meeting's agenda failed.</p>
      ) : (
        <Table
          caption="Meetings whose agenda could not be made, latest first"
          columns={["Pair", "Meeting", "Attempts", "Reason", "Fix", "Last tried"]}
        >
          {meetings.map((meeting) => (
            <tr>
              <th scope="row">{pairLink(meeting.pairId)}</th>
              <td>{meeting.date}</td>
              <td>{meeting.attempts}</td>
              <td>{meeting.error ?? "—"}</td>
              <td>{fixFor(meeting.error)}</td>
              <td>{when(meeting.updatedAt)}</td>
            </tr>
          ))}
        </Table>
      )}
    </Page>,
  );
}

export const failureRoutes = new Hono<ConsoleEnv>().get("/failures", failuresPage);
