// One pair: who, where its agendas go, its digest channels (secret names only), its next meeting, and
// its meetings: what each carried from where, what live sync changed after, what failed and the fix,
// and what each meeting's digests did.
import type { Context } from "hono";
import { Hono } from "hono";
import type { CarryRole } from "../domain/agenda";
import type { Occurrence } from "../domain/occurrences";
import { nextOccurrence } from "../domain/occurrences";
import type { LedgerEntry, MeetingRecord } from "../store/meetings";
import type { StoredPair } from "../store/pairs";
import type { ConsoleEnv } from "./context";
import { DeliveryRows } from "./deliveries";
import { fixFor, INVALID_PAIR_FIX } from "./fixes";
import { flashFor } from "./flash";
import { when } from "./format";
import { Page, Table } from "./layout";
import { pairState, StateLabel } from "./pairs";

/** Meetings whose carried items and digests are shown in full; older ones are a row in the table. */
const DETAILED = 5;
/** Meetings listed at all. */
const LISTED = 100;

const ROLE_NAMES: Record<CarryRole, string> = {
  actions: "Action items",
  discussion: "Discussion",
  parked: "Parking lot",
};

/** What live sync did to an item after the agenda was made; null when nothing. */
function changeOf(item: LedgerEntry): string | null {
  const changes = [
    item.addedAt ? `added by live sync ${when(item.addedAt)}` : null,
    item.closedAt ? `ticked done ${when(item.closedAt)}` : null,
    item.keptByPerson ? "a person's edit kept over a later edit of its source" : null,
  ].filter((change): change is string => change !== null);
  return changes.length === 0 ? null : changes.join("; ");
}

function notFound(c: Context<ConsoleEnv>, id: string) {
  return c.html(
    <Page
      title="No such pair"
      viewer={c.var.viewer}
      flash={{ role: "alert", text: `There is no pair "${id}".` }}
    >
      <p>
        <a href="/console">All pairs</a>
      </p>
    </Page>,
    404,
  );
}

function CarriedTable(props: { meeting: MeetingRecord; items: readonly LedgerEntry[] }) {
  const { meeting, items } = props;
  if (items.length === 0) return <p>Nothing was carried into this agenda.</p>;
  return (
    <Table
      caption={`Carried into the agenda of ${meeting.date}`}
      columns={["Item", "Section", "Times carried", "Owner", "Due", "Since the agenda was made"]}
    >
      {items.map((item) => (
        <tr>
          <th scope="row">{item.text}</th>
          <td>{ROLE_NAMES[item.role]}</td>
          <td>{item.timesCarried}</td>
          <td>{item.ownerName ?? "—"}</td>
          <td>{item.dueDate ? `${item.dueDate}${item.overdue ? " (overdue)" : ""}` : "—"}</td>
          <td>{changeOf(item) ?? "unchanged"}</td>
        </tr>
      ))}
    </Table>
  );
}

/** Who the pair is, where its agendas go, its next meeting and its digest channels (secret names only). */
function PairFacts(props: {
  stored: StoredPair | null;
  latest: MeetingRecord | undefined;
  next: Occurrence | null;
}) {
  const { stored, latest, next } = props;
  const pair = stored?.pair ?? null;
  return (
    <dl>
      <dt>Status</dt>
      <dd>{stored ? <StateLabel state={pairState(stored, latest)} /> : "Deleted: its meetings are kept"}</dd>
      {pair ? (
        <>
          <dt>People</dt>
          <dd>{`${pair.manager.name} <${pair.manager.email}> and ${pair.report.name} <${pair.report.email}>`}</dd>
          <dt>Agendas in</dt>
          <dd>
            {pair.destination.kind === "notion"
              ? `Notion data source ${pair.destination.dataSourceId}`
              : "Google Docs"}
          </dd>
          <dt>Next meeting</dt>
          <dd>
            {next
              ? `${next.date} (${next.startsAt}); its agenda is made from ${when(next.prepareAtMs)}`
              : "None (paused or ended)"}
          </dd>
          <dt>Digest channels</dt>
          <dd>
            {pair.digests.length === 0 ? (
              "None"
            ) : (
              <ul>
                {pair.digests.map((channel) => (
                  <li>
                    {`${channel.channel}, secret `}
                    <code>{channel.secret}</code>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

/** A stored config that no longer parses: why, and the fix. */
function InvalidConfig(props: { problems: readonly string[] }) {
  return (
    <div role="alert" class="flash bad">
      <p>This pair's stored config no longer parses:</p>
      <ul>
        {props.problems.map((text) => (
          <li>{text}</li>
        ))}
      </ul>
      <p>{INVALID_PAIR_FIX}</p>
    </div>
  );
}

/** One meeting's row: its status, agenda, what it carried from where, live sync, and a failure's fix. */
function MeetingRow(props: { meeting: MeetingRecord }) {
  const { meeting } = props;
  const from = meeting.carriedFrom;
  return (
    <tr>
      <th scope="row">{meeting.date}</th>
      <td
        class={meeting.status === "failed" ? "status-bad" : meeting.status === "created" ? "status-ok" : ""}
      >
        {meeting.status}
      </td>
      <td>
        {meeting.agendaUrl ? (
          <a href={meeting.agendaUrl} rel="noreferrer">
            Open
          </a>
        ) : (
          "—"
        )}
      </td>
      <td>{meeting.carriedCount}</td>
      <td>{meeting.closedCount}</td>
      <td>
        {from ? (
          <a href={from.url} rel="noreferrer">
            {`${from.title ?? from.date}${from.madeBy === "people" ? " (kept by hand, taken over)" : ""}`}
          </a>
        ) : (
          "—"
        )}
      </td>
      <td>{meeting.syncedAt ? `synced ${when(meeting.syncedAt)}` : "—"}</td>
      <td>
        {meeting.status === "failed" ? (
          <>
            <p>{meeting.error ?? "no reason recorded"}</p>
            <p>
              <strong>Fix: </strong>
              {fixFor(meeting.error)}
            </p>
          </>
        ) : (
          "—"
        )}
      </td>
    </tr>
  );
}

function MeetingsTable(props: { id: string; meetings: readonly MeetingRecord[] }) {
  const { id, meetings } = props;
  if (meetings.length === 0) return <p>No meeting has been prepared yet.</p>;
  return (
    <Table
      caption={`Meetings of ${id}, latest first`}
      columns={[
        "Date",
        "Status",
        "Agenda",
        "Carried",
        "Closed before",
        "Carried from",
        "Live sync",
        "Reason and fix",
      ]}
    >
      {meetings.slice(0, LISTED).map((meeting) => (
        <MeetingRow meeting={meeting} />
      ))}
    </Table>
  );
}

async function pairPage(c: Context<ConsoleEnv>) {
  const runtime = c.var.runtime;
  const id = c.req.param("id") ?? "";
  const [stored, meetings] = await Promise.all([runtime.pairs.get(id), runtime.meetings.listForPair(id)]);
  if (stored === null && meetings.length === 0) return notFound(c, id);
  const pair = stored?.pair ?? null;
  const detailed = await Promise.all(
    meetings.slice(0, DETAILED).map(async (meeting) => ({
      meeting,
      items: meeting.status === "created" ? await runtime.meetings.ledger(meeting.key) : [],
      deliveries: await runtime.deliveries.listForMeeting(meeting.key),
    })),
  );
  const next = pair ? nextOccurrence(pair.schedule, runtime.clock()) : null;
  const viewer = c.var.viewer;
  return c.html(
    <Page title={`Pair ${id}`} viewer={viewer} flash={flashFor(c.req.query("flash"))}>
      <PairFacts stored={stored} latest={meetings[0]} next={next} />
      {stored && stored.pair === null ? <InvalidConfig problems={stored.problems} /> : null}
      {pair && next ? (
        <form method="get" action={`/console/pairs/${encodeURIComponent(id)}/preview`}>
          <button type="submit">Preview</button>{" "}
          <span class="muted">the next agenda as it will look (nothing is written)</span>
        </form>
      ) : null}
      <h2>Meetings</h2>
      <MeetingsTable id={id} meetings={meetings} />
      {detailed.map(({ meeting, items, deliveries }) =>
        meeting.status === "created" ? (
          <section aria-label={`Meeting of ${meeting.date}`}>
            <h2>{`Meeting of ${meeting.date}`}</h2>
            <CarriedTable meeting={meeting} items={items} />
            {deliveries.length > 0 ? (
              <DeliveryRows deliveries={deliveries} viewer={viewer} caption={`Digests of ${meeting.date}`} />
            ) : null}
          </section>
        ) : null,
      )}
    </Page>,
  );
}

export const pairPageRoutes = new Hono<ConsoleEnv>().get("/pairs/:id", pairPage);
