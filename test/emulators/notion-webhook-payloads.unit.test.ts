// The check the Notion emulator runs on every webhook body it sends: JSON Schema generated from the SDK's
// payload types (PageContentUpdatedWebhookPayload, ...). It accepts Notion's shape and refuses a body
// that strays from it, so the emulator test that finds no violations means something.
import { describe, expect, it } from "vitest";
import { SCHEMA_TYPES } from "../../emulators/notion/router";
import { loadNotionSchema } from "../../emulators/notion/schema/generate";
import { SchemaValidator } from "../../emulators/notion/schema/validator";
import { WEBHOOK_PAYLOAD_TYPES } from "../../emulators/notion/webhooks";

// The emulator's own type list, so the cached schema is the one it uses.
const schema = loadNotionSchema([...SCHEMA_TYPES, ...Object.values(WEBHOOK_PAYLOAD_TYPES)]);
const validator = new SchemaValidator(schema.schema);
const contentUpdated = validator.responseCheck(WEBHOOK_PAYLOAD_TYPES["page.content_updated"]);

const page = "1c0a5b2e-7d3f-4e8a-9b61-2f4d5e6a7b8c";
const body = {
  id: "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9",
  timestamp: "2026-12-01T10:00:00.000Z",
  workspace_id: "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
  workspace_name: "Acme",
  subscription_id: "6f7a8b9c-0d1e-4f2a-b3c4-d5e6f7a8b9c0",
  integration_id: "7a8b9c0d-1e2f-4a3b-c4d5-e6f7a8b9c0d1",
  authors: [{ id: "8b9c0d1e-2f3a-4b4c-d5e6-f7a8b9c0d1e2", type: "person" }],
  attempt_number: 1,
  api_version: "2025-09-03",
  type: "page.content_updated",
  entity: { id: page, type: "page" },
  data: {
    parent: { id: "9c0d1e2f-3a4b-4c5d-e6f7-a8b9c0d1e2f3", type: "database", data_source_id: page },
    updated_blocks: [{ id: "ad1e2f3a-4b5c-4d6e-f7a8-b9c0d1e2f3a4", type: "block" }],
  },
};

describe("webhook payload check", () => {
  it("accepts Notion's page.content_updated", () => {
    expect(contentUpdated(body)).toBeUndefined();
  });

  it.each([
    ["without its entity", { ...body, entity: undefined }],
    ["with an author of an unknown kind", { ...body, authors: [{ id: page, type: "robot" }] }],
    ["with a field Notion does not send", { ...body, extra: true }],
    ["with another event's type", { ...body, type: "page.created" }],
  ])("refuses a body %s", (_, broken) => {
    expect(contentUpdated(JSON.parse(JSON.stringify(broken)))).toEqual(expect.any(String));
  });
});
