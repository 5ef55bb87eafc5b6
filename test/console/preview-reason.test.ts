// Why the console shows no preview: what the dry run answered, in words a person can act on. (A workers
// file: the page's module reaches the digest senders, which need the Workers runtime.)
import { describe, expect, it } from "vitest";
import { noPreviewReason } from "../../src/console/preview";

describe("the reason a preview is missing", () => {
  it("names the pair's problems when the run had no outcome for the meeting", () => {
    expect(noPreviewReason(undefined, ["destination: is shared with pair ada-cy", "template: unknown"])).toBe(
      "destination: is shared with pair ada-cy; template: unknown",
    );
    expect(noPreviewReason(undefined, [])).toBe("No agenda is due for this meeting.");
  });

  it("gives a failed run's error, and otherwise what the run answered", () => {
    const failed = { status: "failed" as const, key: "p/2026-12-08", error: "Notion: 404", retryable: false };
    expect(noPreviewReason(failed, ["ignored"])).toBe("Notion: 404");
    expect(noPreviewReason({ status: "skipped", key: "p/2026-12-08", reason: "paused" }, [])).toBe(
      'The run answered "skipped".',
    );
  });
});
