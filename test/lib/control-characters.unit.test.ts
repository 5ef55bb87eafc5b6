// The one definition of a control character that email headers, display names, failure reasons and digest
// items share: C0 (CR and LF among them), DEL and C1 are caught, printable text of any script is not.
import { describe, expect, it } from "vitest";
import {
  controlCharactersAsSpaces,
  hasControlCharacters,
  toOneLine,
  withoutControlCharacters,
} from "../../src/lib/control-characters";

describe("hasControlCharacters", () => {
  it("finds C0, DEL and C1 characters, header-ending CR and LF first of all", () => {
    for (const text of [
      "Hi\r\nBcc: eve@example.com",
      "tab\there",
      "nul\u0000",
      "del\u007F",
      "nel\u0085",
      "\u009F",
    ]) {
      expect(hasControlCharacters(text), JSON.stringify(text)).toBe(true);
    }
  });

  it("lets printable text of any script through, non-breaking spaces and emoji included", () => {
    for (const text of ["Weekly 1:1", "Zoë Ångström", "חנה", "a\u00A0b", "😀"]) {
      expect(hasControlCharacters(text), JSON.stringify(text)).toBe(false);
    }
  });

  it("answers the same however often it is asked (no state carried between calls)", () => {
    const answers = Array.from({ length: 4 }, () => hasControlCharacters("a\nb"));
    expect(answers).toEqual([true, true, true, true]);
  });
});

describe("controlCharactersAsSpaces", () => {
  it("turns each run of control characters into one space and trims the ends", () => {
    expect(controlCharactersAsSpaces("\r\nHi\r\n\r\nBcc: x\u0085\u0000")).toBe("Hi Bcc: x");
  });

  it("leaves other whitespace as it was written", () => {
    expect(controlCharactersAsSpaces("a  b\u00A0c")).toBe("a  b\u00A0c");
  });
});

describe("toOneLine", () => {
  it("collapses every run of control characters or whitespace into one space and trims the ends", () => {
    expect(toOneLine("  Ada \r\n\t Lovelace\u00A0\u00A0(CTO)\u0085 ")).toBe("Ada Lovelace (CTO)");
  });

  it("gives an empty line when nothing printable is left", () => {
    expect(toOneLine("\r\n\u0000 \t")).toBe("");
  });
});

describe("withoutControlCharacters", () => {
  it("takes every control character out and leaves the rest as written", () => {
    expect(withoutControlCharacters("a\u0000b\u0085c \r\n d\u00A0e")).toBe("abc  d\u00A0e");
  });
});
