// The generic JSON webhook: every payload the builder emits passes its own published zod schema, the
// schema exports as JSON Schema for receivers, and item text is carried whole (cleaned, not escaped).

import { describe, expect, it } from "vitest";
import * as z from "zod";
import { buildDigest } from "../../../../src/domain/digest";
import { webhookPayload, webhookPayloadSchema } from "../../../../src/notify/channels/webhook/digest";
import { HOSTILE_TEXTS, hostileInput, input, item, manyItems } from "../fixtures";

describe("webhookPayload", () => {
  it("is agenda.prepared version 1 and matches its schema", () => {
    const payload = webhookPayload(buildDigest(input([item({ timesCarried: 3 }), item({ dueDate: null })])));
    expect(webhookPayloadSchema.parse(payload)).toEqual(payload);
    expect(payload).toMatchObject({ type: "agenda.prepared", version: 1 });
    expect(payload.items[0]).toEqual({
      text: "Write the migration plan",
      owner: "Ada Lovelace",
      dueDate: "2026-03-27",
      originDate: "2026-03-24",
      timesCarried: 3,
      overdueDays: 4,
      longCarried: true,
      parked: false,
    });
    expect(payload.counts).toEqual({
      carried: 2,
      overdue: 1,
      longCarried: 1,
      parked: 0,
      closedSinceLastMeeting: 2,
    });
  });

  it("marks the parked items, listed last, and counts them", () => {
    const payload = webhookPayload(buildDigest(input([item({ timesCarried: 5, parked: true }), item()])));
    expect(webhookPayloadSchema.parse(payload)).toEqual(payload);
    expect(payload.items.map((entry) => entry.parked)).toEqual([false, true]);
    expect(payload.counts.parked).toBe(1);
  });

  it("carries every item and hostile text unescaped, for the receiver to escape", () => {
    const hostile = webhookPayload(buildDigest(hostileInput()));
    expect(webhookPayloadSchema.safeParse(hostile).success).toBe(true);
    expect(hostile.items.map((entry) => entry.text)).toContain(HOSTILE_TEXTS.script);
    expect(hostile.items.map((entry) => entry.text)).toContain(HOSTILE_TEXTS.long);
    expect(webhookPayload(buildDigest(manyItems(500))).items).toHaveLength(500);
  });

  it("refuses unknown fields and versions, and exports as JSON Schema", () => {
    const payload = webhookPayload(buildDigest(input([])));
    expect(webhookPayloadSchema.safeParse({ ...payload, version: 2 }).success).toBe(false);
    expect(webhookPayloadSchema.safeParse({ ...payload, extra: true }).success).toBe(false);
    const jsonSchema = z.toJSONSchema(webhookPayloadSchema);
    expect(jsonSchema).toMatchObject({
      type: "object",
      required: expect.arrayContaining(["type", "version"]),
    });
  });
});
