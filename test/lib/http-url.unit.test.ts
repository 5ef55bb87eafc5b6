// The one http(s) link check the digests, roll-ups and the console's preview share.
import { describe, expect, it } from "vitest";
import { httpUrl } from "../../src/lib/http-url";

describe("httpUrl", () => {
  it("keeps http and https links, normalised so a space or quote cannot end a link early", () => {
    expect(httpUrl("https://www.notion.so/Agenda-1")).toBe("https://www.notion.so/Agenda-1");
    expect(httpUrl('  http://example.com/a b"c  ')).toBe("http://example.com/a%20b%22c");
  });

  it("refuses every other scheme and text that is not a URL", () => {
    expect(httpUrl("javascript:alert(1)")).toBeNull();
    expect(httpUrl("data:text/html,<b>x</b>")).toBeNull();
    expect(httpUrl("mailto:someone@example.com")).toBeNull();
    expect(httpUrl("not a url")).toBeNull();
    expect(httpUrl("")).toBeNull();
  });
});
