// Deliveries by status, each with its last error and the fix, and a Resend button that does what POST
// /admin/deliveries/:id/resend does (jobs/resend-delivery.ts), then redirects back with a flash message.
import type { Context } from "hono";
import { Hono } from "hono";
import * as z from "zod";
import { resendDelivery } from "../jobs/resend-delivery";
import type { DeliveryRecord, DeliveryStatus } from "../store/deliveries";
import { DELIVERY_STATUSES } from "../store/deliveries";
import type { ConsoleEnv, Viewer } from "./context";
import { fixFor } from "./fixes";
import type { FlashKey } from "./flash";
import { flashFor, withFlash } from "./flash";
import { when } from "./format";
import { CsrfField, Page, Table } from "./layout";

const LIMIT = 200;

const statusQuery = z.object({ status: z.enum(DELIVERY_STATUSES).catch("failed").default("failed") });

const resendForm = z.object({
  id: z.string().min(1).max(100),
  status: z.enum(DELIVERY_STATUSES).catch("failed").default("failed"),
  includeDelivered: z.literal("true").optional(),
});

function listPath(status: DeliveryStatus): string {
  return `/console/deliveries?status=${status}`;
}

function ResendButton(props: { delivery: DeliveryRecord; viewer: Viewer }) {
  const { delivery } = props;
  // Expired rows are past their moment; a row being sent is left to its send.
  if (delivery.status === "expired" || delivery.status === "sending") return <span class="muted">—</span>;
  return (
    <form method="post" action="/console/deliveries/resend">
      <CsrfField viewer={props.viewer} />
      <input type="hidden" name="id" value={delivery.id} />
      <input type="hidden" name="status" value={delivery.status} />
      {delivery.status === "delivered" ? <input type="hidden" name="includeDelivered" value="true" /> : null}
      <button type="submit">Resend</button>
    </form>
  );
}

export function DeliveryRows(props: {
  deliveries: readonly DeliveryRecord[];
  viewer: Viewer;
  caption: string;
}) {
  return (
    <Table
      caption={props.caption}
      columns={[
        "Channel",
        "Digest",
        "Secret name",
        "Status",
        "Attempts",
        "Last error",
        "Fix",
        "Updated",
        "Action",
      ]}
    >
      {props.deliveries.map((delivery) => (
        <tr>
          <th scope="row">{delivery.channel}</th>
          <td>
            {delivery.pairId ? (
              <a href={`/console/pairs/${encodeURIComponent(delivery.pairId)}`}>{delivery.meetingKey}</a>
            ) : (
              delivery.meetingKey
            )}
          </td>
          <td>
            <code>{delivery.secretName}</code>
          </td>
          <td>{delivery.status}</td>
          <td>{delivery.attempts}</td>
          <td>{delivery.lastError ?? "—"}</td>
          <td>
            {delivery.status === "failed" || delivery.status === "expired" ? fixFor(delivery.lastError) : "—"}
          </td>
          <td>{when(delivery.updatedAt)}</td>
          <td>
            <ResendButton delivery={delivery} viewer={props.viewer} />
          </td>
        </tr>
      ))}
    </Table>
  );
}

async function deliveriesPage(c: Context<ConsoleEnv>) {
  const status = statusQuery.parse(c.req.query()).status;
  const deliveries = await c.var.runtime.deliveries.listByStatus(status, LIMIT);
  return c.html(
    <Page
      title="Deliveries"
      current="/console/deliveries"
      viewer={c.var.viewer}
      flash={flashFor(c.req.query("flash"))}
    >
      <nav aria-label="Delivery status">
        <ul>
          {DELIVERY_STATUSES.map((each) => (
            <li>
              <a href={listPath(each)} aria-current={each === status ? "page" : undefined}>
                {each}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {deliveries.length === 0 ? (
        <p>{`No ${status} deliveries.`}</p>
      ) : (
        <DeliveryRows
          deliveries={deliveries}
          viewer={c.var.viewer}
          caption={`Deliveries ${status}, latest first${deliveries.length === LIMIT ? ` (the latest ${LIMIT})` : ""}`}
        />
      )}
    </Page>,
  );
}

const RESEND_FLASH = {
  not_found: "resend-missing",
  expired: "resend-expired",
  delivered: "resend-delivered",
  sending: "resend-sending",
} as const satisfies Record<string, FlashKey>;

export const deliveryPageRoutes = new Hono<ConsoleEnv>()
  .get("/deliveries", deliveriesPage)
  .post("/deliveries/resend", async (c) => {
    const form = resendForm.safeParse(await c.req.parseBody());
    if (!form.success) return c.redirect(withFlash(listPath("failed"), "resend-missing"), 303);
    const back = listPath(form.data.status);
    const result = await resendDelivery(c.var.runtime, form.data.id, {
      includeDelivered: form.data.includeDelivered === "true",
    });
    const flash: FlashKey =
      result.status === "resent"
        ? "resent"
        : result.status === "not_found"
          ? RESEND_FLASH.not_found
          : RESEND_FLASH[result.why];
    return c.redirect(withFlash(back, flash), 303);
  });
