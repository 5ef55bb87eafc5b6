// The managers' weekly roll-ups: when each goes next, to which channels (secret names only), the state of
// its latest sends, and any stored one that no longer parses.
import type { Context } from "hono";
import { Hono } from "hono";
import { nextRollupAt, rollupKey } from "../domain/rollup-schedule";
import type { DeliveryRecord } from "../store/deliveries";
import type { StoredRollup } from "../store/rollups";
import type { ConsoleEnv } from "./context";
import { flashFor } from "./flash";
import { when } from "./format";
import { Page, Table } from "./layout";

/** Latest sends shown per manager: a few weeks over a few channels. */
const RECENT = 6;

/** The state of a manager's latest roll-up sends, each by its week and channel. */
function LatestSends(props: { managerEmail: string; recent: readonly DeliveryRecord[] }) {
  const { managerEmail, recent } = props;
  if (recent.length === 0) return <>None yet</>;
  const prefix = rollupKey(managerEmail, "");
  return (
    <ul>
      {recent.map((delivery) => (
        <li>
          {`${delivery.meetingKey.slice(prefix.length)} ${delivery.channel}: `}
          <span
            class={
              delivery.status === "delivered" ? "status-ok" : delivery.status === "failed" ? "status-bad" : ""
            }
          >
            {delivery.status}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** One manager's roll-up: who, when, when next, to which channels (secret names only), its latest sends. */
function RollupRow(props: { entry: StoredRollup; recent: readonly DeliveryRecord[]; now: number }) {
  const { entry, recent, now } = props;
  const config = entry.config;
  return (
    <tr>
      <th scope="row">{config ? `${config.manager.name} <${entry.managerEmail}>` : entry.managerEmail}</th>
      <td>
        {config ? (
          `${config.paused ? "Paused; " : ""}${config.weekday}s at ${config.time} (${config.timeZone})`
        ) : (
          <span class="status-bad">{`Config invalid: ${entry.problems.join("; ")}`}</span>
        )}
      </td>
      <td>{config ? when(nextRollupAt(config, now)) : "—"}</td>
      <td>
        {config ? (
          <ul>
            {config.channels.map((channel) => (
              <li>
                {`${channel.channel}: `}
                <code>{channel.secret}</code>
              </li>
            ))}
          </ul>
        ) : (
          "—"
        )}
      </td>
      <td>
        <LatestSends managerEmail={entry.managerEmail} recent={recent} />
      </td>
    </tr>
  );
}

async function rollupsPage(c: Context<ConsoleEnv>) {
  const runtime = c.var.runtime;
  const stored = await runtime.rollups.list();
  const now = runtime.clock();
  const rows = await Promise.all(
    stored.map(async (entry) => ({
      entry,
      recent: await runtime.deliveries.listByKeyPrefix(rollupKey(entry.managerEmail, ""), RECENT),
    })),
  );
  return c.html(
    <Page
      title="Roll-ups"
      current="/console/rollups"
      viewer={c.var.viewer}
      flash={flashFor(c.req.query("flash"))}
    >
      {rows.length === 0 ? (
        <p>No weekly roll-ups. Set one up with PUT /admin/rollups/&lt;manager email&gt;.</p>
      ) : (
        <Table
          caption="Weekly roll-ups by manager"
          columns={["Manager", "When", "Next send", "Channels", "Latest sends"]}
        >
          {rows.map(({ entry, recent }) => (
            <RollupRow entry={entry} recent={recent} now={now} />
          ))}
        </Table>
      )}
    </Page>,
  );
}

export const rollupPageRoutes = new Hono<ConsoleEnv>().get("/rollups", rollupsPage);
