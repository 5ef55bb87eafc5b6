// The Notion-Version the Worker pins, the one the emulator serves, and the one the SDK's types (the
// emulator's schema) describe are one version: moving any of them alone fails here. And how the
// emulator answers a request that names another.
import { Client } from "@notionhq/client";
import { describe, expect, it } from "vitest";
import { NotionApiError } from "../../emulators/notion/errors";
import { checkVersion, EMULATED_VERSION, NOTION_VERSIONS } from "../../emulators/notion/version";
import { NOTION_API_VERSION } from "../../src/destinations/notion/client";

function refusal(header: string | undefined): NotionApiError {
  try {
    checkVersion(header);
  } catch (error) {
    if (error instanceof NotionApiError) return error;
    throw error;
  }
  throw new Error(`expected ${header} to be refused`);
}

describe("the Notion API version", () => {
  it("is the same for the Worker, the emulator and the SDK's types", () => {
    expect(EMULATED_VERSION, "the emulator must serve the version the Worker pins").toBe(NOTION_API_VERSION);
    expect(
      Client.defaultNotionVersion,
      "the emulator validates against the SDK's types, which describe the SDK's default version",
    ).toBe(EMULATED_VERSION);
    expect(NOTION_VERSIONS).toContain(NOTION_API_VERSION);
  });

  it("is served when named, and refused when missing, unknown to Notion, or not emulated", () => {
    expect(() => checkVersion(EMULATED_VERSION)).not.toThrow();
    expect(refusal(undefined)).toMatchObject({ status: 400, code: "missing_version", emulatorGap: false });
    expect(refusal("")).toMatchObject({ status: 400, code: "missing_version" });
    const unknown = refusal("2025-09-04");
    expect(unknown).toMatchObject({ status: 400, code: "validation_error", emulatorGap: false });
    expect(unknown.message).toMatch(
      /should be "2021-05-11", .*, or "2026-03-11", instead was "2025-09-04"\.$/,
    );
    for (const other of NOTION_VERSIONS.filter((version) => version !== EMULATED_VERSION)) {
      expect(refusal(other), other).toMatchObject({
        status: 400,
        code: "validation_error",
        emulatorGap: true,
      });
    }
  });
});
