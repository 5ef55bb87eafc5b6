// The Notion emulator's webhooks: the handshake, signed events for what the integration can see, edits to
// one page merged within the window, bodies the SDK's payload types accept, and the delivery faults.
import { verifyWebhookSignature } from "@notionhq/client";
import { describe, expect, inject, it, vi } from "vitest";
import { checkbox, date, notionControl, richText, title, todo } from "../../emulators/notion/control";
import { type DeliveryRecord, notionWebhooksControl } from "../../emulators/notion/webhooks-control";
import { receiversControl } from "../../emulators/receivers/control";

const url = inject("notionUrl");
const emu = notionControl(url);
const hooks = notionWebhooksControl(url);
const receiversUrl = inject("receiversUrl");
const receivers = receiversControl(receiversUrl);

/** An integration with one agenda database (two pages, one with to-dos), shared with it. */
async function workspace() {
  const { token } = await emu.createIntegration({ requestsPerSecond: null });
  const person = await emu.createUser({ name: "Ada", email: `ada-${crypto.randomUUID()}@example.com` });
  const db = await emu.seedDatabase(token, {
    title: "1:1 agendas",
    properties: {
      Name: { type: "title" },
      Date: { type: "date" },
      Pair: { type: "rich_text" },
      Done: { type: "checkbox" },
    },
    pages: [
      {
        properties: { Name: title("Jan 1"), Date: date("2025-01-01"), Pair: richText("ada-bo") },
        children: [todo("Send the plan"), todo("Book the room")],
      },
      { properties: { Name: title("Jan 8"), Date: date("2025-01-08"), Pair: richText("ada-bo") } },
    ],
  });
  const [first, second] = db.pages;
  if (first === undefined || second === undefined) throw new Error("seed made no pages");
  const blocks = await emu.blockTree(first.id);
  const todoIds = blocks.map((block) => String((block as { id: string }).id));
  return { token, person, db, first, second, todoIds };
}

/** A manual subscription (sent only on flush) delivering to its own receiver hook, verified. */
async function subscribe(token: string, options: { verify?: boolean } = {}) {
  const hook = `notion-${crypto.randomUUID()}`;
  const created = await hooks.subscribe({ token, url: `${receiversUrl}/webhook/${hook}`, manual: true });
  if (options.verify !== false) await hooks.verify(created.id, created.verificationToken);
  return { ...created, hook };
}

function summary(deliveries: DeliveryRecord[]) {
  return deliveries.map((d) => ({ type: d.type, entity: (d.body.entity as { id: string }).id }));
}

describe("handshake", () => {
  it("POSTs the verification token once, unsigned, and sends no events until the subscription is verified", async () => {
    const { token, first, todoIds } = await workspace();
    const subscription = await subscribe(token, { verify: false });
    const arrived = await receivers.received({ kind: "webhook", hook: subscription.hook });
    expect(arrived).toHaveLength(1);
    expect(JSON.parse(arrived[0]?.body ?? "")).toEqual({
      verification_token: subscription.verificationToken,
    });
    expect(arrived[0]?.headers["x-notion-signature"]).toBeUndefined();
    expect(subscription.verificationToken).toMatch(/^secret_\w+$/);

    await emu.tickTodo(todoIds[0] ?? "");
    expect(await hooks.flush(subscription.id)).toEqual([]);

    await hooks.verify(subscription.id, subscription.verificationToken);
    await emu.tickTodo(todoIds[0] ?? "", false);
    expect(summary(await hooks.flush(subscription.id))).toEqual([
      { type: "page.content_updated", entity: first.id },
    ]);
  });

  it("refuses a verification with the wrong token", async () => {
    const { token } = await workspace();
    const subscription = await subscribe(token, { verify: false });
    await expect(hooks.verify(subscription.id, "secret_not-it")).rejects.toThrow(/does not match/);
  });
});

describe("events", () => {
  it("merges a page's edits within the window into one event, signed with the subscription's token", async () => {
    const { token, person, first, todoIds } = await workspace();
    const subscription = await subscribe(token);
    await emu.tickTodo(todoIds[0] ?? "", true, { as: person.id });
    await emu.editText(todoIds[1] ?? "", "to_do", "Book a bigger room", { as: person.id });
    await emu.tickTodo(todoIds[0] ?? "", false, { as: person.id });

    const sent = await hooks.flush(subscription.id);
    expect(sent).toHaveLength(1);
    const [event] = sent;
    expect(event?.body).toMatchObject({
      type: "page.content_updated",
      entity: { id: first.id, type: "page" },
      authors: [{ id: person.id, type: "person" }],
      attempt_number: 1,
      data: {
        updated_blocks: [
          { id: todoIds[0], type: "block" },
          { id: todoIds[1], type: "block" },
        ],
      },
    });

    // What arrived is what was signed: the SDK's own verifier accepts it with the token, and only with it.
    const [arrived] = (await receivers.received({ kind: "webhook", hook: subscription.hook })).slice(1);
    expect(arrived?.status).toBe(204);
    const args = { body: arrived?.body ?? "", signature: arrived?.headers["x-notion-signature"] };
    expect(await verifyWebhookSignature({ ...args, verificationToken: subscription.verificationToken })).toBe(
      true,
    );
    expect(await verifyWebhookSignature({ ...args, verificationToken: "secret_other" })).toBe(false);

    // A later edit, after the window closed, is an event of its own, with a later timestamp.
    await emu.tickTodo(todoIds[1] ?? "", true, { as: person.id });
    const [later] = await hooks.flush(subscription.id);
    expect(later?.body.id).not.toBe(event?.body.id);
    expect(Date.parse(String(later?.body.timestamp))).toBeGreaterThan(
      Date.parse(String(event?.body.timestamp)),
    );
  });

  it("sends every page event type, and the data source's, in bodies the SDK's payload types accept", async () => {
    const { token, person, db, second } = await workspace();
    const subscription = await subscribe(token);
    await emu.updatePage(second.id, { properties: { Done: checkbox(true) } }, { as: person.id });
    const created = await emu.seedPage(undefined, {
      parent: { dataSourceId: db.dataSourceId },
      title: "Jan 15",
    });
    await emu.updatePage(second.id, { in_trash: true }, { as: person.id });
    await emu.updatePage(second.id, { in_trash: false }, { as: person.id });

    const sent = await hooks.flush(subscription.id);
    expect(new Set(sent.map((d) => d.type))).toEqual(
      new Set([
        "page.properties_updated",
        "data_source.content_updated",
        "page.created",
        "page.deleted",
        "page.undeleted",
      ]),
    );
    const properties = sent.find((d) => d.type === "page.properties_updated");
    expect(properties?.body.data).toMatchObject({
      parent: { type: "database", id: db.databaseId, data_source_id: db.dataSourceId },
    });
    // The data source's changes merged into one event naming both rows.
    const dataSource = sent.filter((d) => d.type === "data_source.content_updated");
    expect(dataSource).toHaveLength(1);
    expect(dataSource[0]?.body).toMatchObject({ entity: { id: db.dataSourceId, type: "data_source" } });
    expect(dataSource[0]?.body).toMatchObject({
      data: {
        updated_blocks: expect.arrayContaining([
          { id: second.id, type: "page" },
          { id: created.id, type: "page" },
        ]),
      },
    });
    // Each body was checked against the SDK's type for its event (PageCreatedWebhookPayload, ...).
    expect(await emu.violations(token)).toEqual([]);
  });

  it("sends nothing about pages the integration cannot see", async () => {
    const { token } = await workspace();
    const subscription = await subscribe(token);
    const hidden = await emu.seedPage(undefined, { parent: { workspace: true }, title: "Private notes" });
    await emu.addBlocks(hidden.id, [todo("Secret item")]);
    expect(await hooks.flush(subscription.id)).toEqual([]);
  });
});

describe("timed delivery", () => {
  it("sends on its own once the window has passed, without a flush", async () => {
    const { token, first, todoIds } = await workspace();
    const hook = `notion-${crypto.randomUUID()}`;
    const subscription = await hooks.subscribe({
      token,
      url: `${receiversUrl}/webhook/${hook}`,
      windowMs: 0,
    });
    await hooks.verify(subscription.id, subscription.verificationToken);
    await emu.tickTodo(todoIds[0] ?? "");
    const sent = await vi.waitFor(
      async () => {
        const deliveries = await hooks.deliveries(subscription.id);
        if (deliveries.length === 0) throw new Error("nothing sent yet");
        return deliveries;
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(summary(sent)).toEqual([{ type: "page.content_updated", entity: first.id }]);
    await hooks.unsubscribe(subscription.id);
  });
});

describe("faults", () => {
  it("duplicates as retries, holds back, reorders, and signs with a wrong token when told", async () => {
    const { token, first, second, todoIds } = await workspace();
    const subscription = await subscribe(token);
    await hooks.faults(subscription.id, { holdNext: 1 });
    await emu.tickTodo(todoIds[0] ?? "");
    expect(await hooks.flush(subscription.id)).toEqual([]);

    await hooks.faults(subscription.id, { duplicate: 1, reorder: true });
    await emu.updatePage(second.id, { properties: { Pair: richText("ada-cy") } });
    const sent = await hooks.flush(subscription.id);
    // Newest first, the held event last of all (reversed: first), each twice with the same id.
    const order = sent.map((d) => `${d.type}#${d.attempt}`);
    expect(order).toEqual([
      "page.content_updated#1",
      "page.content_updated#2",
      "data_source.content_updated#1",
      "data_source.content_updated#2",
      "page.properties_updated#1",
      "page.properties_updated#2",
    ]);
    expect(sent[0]?.eventId).toBe(sent[1]?.eventId);
    expect(sent[0]?.body).toMatchObject({ entity: { id: first.id } });

    await hooks.faults(subscription.id, { wrongToken: true });
    await emu.tickTodo(todoIds[1] ?? "");
    await hooks.flush(subscription.id);
    const last = (await receivers.received({ kind: "webhook", hook: subscription.hook })).at(-1);
    expect(
      await verifyWebhookSignature({
        body: last?.body ?? "",
        signature: last?.headers["x-notion-signature"],
        verificationToken: subscription.verificationToken,
      }),
    ).toBe(false);
  });
});
