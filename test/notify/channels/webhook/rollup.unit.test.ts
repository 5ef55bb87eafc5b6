// The generic JSON roll-up: every payload the builder emits passes its own published zod schema, the
// schema exports as JSON Schema for receivers with its descriptions, nothing is truncated, and text is
// carried whole (cleaned, not escaped) for the receiver to escape.
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { buildRollup } from "../../../../src/domain/rollup";
import { webhookPayload } from "../../../../src/notify/channels/webhook/digest";
import {
  rollupWebhookPayload,
  rollupWebhookPayloadSchema,
} from "../../../../src/notify/channels/webhook/rollup";
import { HOSTILE_TEXTS, item } from "../fixtures";
import {
  bigRollupInput,
  hostileRollupInput,
  MANAGER,
  noAgenda,
  overdueItem,
  report,
  rollupInput,
} from "../rollup-support";

describe("rollupWebhookPayload", () => {
  it("is rollup.weekly version 1, matches its schema, and says what each meeting digest said", () => {
    const rollup = buildRollup(
      rollupInput([
        report("Bea", [overdueItem(2, { timesCarried: 3 }), item({ dueDate: null })]),
        noAgenda("Dan"),
      ]),
    );
    const payload = rollupWebhookPayload(rollup);
    expect(rollupWebhookPayloadSchema.parse(payload)).toEqual(payload);
    expect(payload).toMatchObject({
      type: "rollup.weekly",
      version: 1,
      manager: MANAGER,
      date: "2026-04-03",
    });
    expect(payload.totals).toEqual(rollup.totals);
    expect(payload.reports.map((entry) => entry.pairId)).toEqual(["bea", "dan"]);
    expect(payload.reports[1]).toEqual({ pairId: "dan", reportName: "Dan", lastAgenda: null });
    // The same items, in the same words, as the meeting digest's own webhook payload.
    const digest = rollup.reports[0]?.digest;
    expect(digest).not.toBeNull();
    if (digest === null || digest === undefined) return;
    const meeting = webhookPayload(digest);
    expect(payload.reports[0]?.lastAgenda).toEqual({
      date: meeting.meeting.date,
      startsAt: meeting.meeting.startsAt,
      display: meeting.meeting.display,
      timeZone: "Europe/Berlin",
      agendaUrl: meeting.agendaUrl,
      items: meeting.items,
      counts: { ...meeting.counts, closedWithinWeek: 1 },
    });
  });

  it("carries every report and item, hostile text unescaped, for the receiver to escape", () => {
    const hostile = rollupWebhookPayload(buildRollup(hostileRollupInput()));
    expect(rollupWebhookPayloadSchema.safeParse(hostile).success).toBe(true);
    const texts = hostile.reports.flatMap(
      (entry) => entry.lastAgenda?.items.map((entry) => entry.text) ?? [],
    );
    expect(texts).toContain(HOSTILE_TEXTS.script);
    expect(texts).toContain(HOSTILE_TEXTS.long);
    expect(hostile.reports.map((entry) => entry.reportName)).toContain(HOSTILE_TEXTS.script);
    expect(hostile.manager.name).toBe("Mal <!channel> *Manager* <script>x</script>");

    const big = rollupWebhookPayload(buildRollup(bigRollupInput(60, 40)));
    expect(rollupWebhookPayloadSchema.safeParse(big).success).toBe(true);
    expect(big.reports).toHaveLength(60);
    for (const entry of big.reports) expect(entry.lastAgenda?.items).toHaveLength(40);
  });

  it("refuses unknown fields, events and versions, and exports as JSON Schema with its descriptions", () => {
    const payload = rollupWebhookPayload(buildRollup(rollupInput([report("Bea", [item()])])));
    expect(rollupWebhookPayloadSchema.safeParse({ ...payload, version: 2 }).success).toBe(false);
    expect(rollupWebhookPayloadSchema.safeParse({ ...payload, type: "agenda.prepared" }).success).toBe(false);
    expect(rollupWebhookPayloadSchema.safeParse({ ...payload, extra: true }).success).toBe(false);
    const [first] = payload.reports;
    expect(
      rollupWebhookPayloadSchema.safeParse({ ...payload, reports: [{ ...first, surprise: 1 }] }).success,
    ).toBe(false);
    expect(
      rollupWebhookPayloadSchema.safeParse({ ...payload, totals: { ...payload.totals, open: -1 } }).success,
    ).toBe(false);
    const jsonSchema = z.toJSONSchema(rollupWebhookPayloadSchema);
    expect(jsonSchema).toMatchObject({
      type: "object",
      required: expect.arrayContaining(["type", "version", "manager", "date", "totals", "reports"]),
      properties: {
        type: { const: "rollup.weekly", description: expect.stringContaining("rollup.weekly") },
        version: { const: 1 },
        reports: { type: "array", description: expect.stringContaining("Most urgent first") },
      },
    });
  });
});
