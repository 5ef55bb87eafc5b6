// Shared digest inputs for the payload tests: an ordinary meeting, hostile item text, and a pile of
// items that overflows every channel's limits.
import type { DigestInput, DigestItemInput } from "../../../src/domain/digest";

export const AGENDA_URL = "https://www.notion.so/acme/1-1-Ada-Charles-2026-03-31-0123456789abcdef";

/** Item text that tries to ping, inject markup, break Markdown, or overflow a field. */
export const HOSTILE_TEXTS = {
  script: "<script>alert('x')</script> & <img src=x onerror=alert(1)>",
  pings: "<!channel> <!here> <!everyone> <@U0123ABC> <#C0123> @everyone @here <users/all> <@&123456>",
  markdown:
    "**bold** __under__ *it* _it_ ~~strike~~ `code` ``` fence [click](https://evil.example) ||spoiler||",
  blockMarkdown: "# Heading\n> quote\n- list\n1. numbered\n-# subtext",
  emoji: "Ship 🚀 with the 👨‍👩‍👧‍👦 family and 🇩🇪 flag",
  rtl: "לסיים את הדוח مراجعة التقرير ‮reversed‬",
  long: `${"Very long item text. ".repeat(400)}END`,
} as const;

export function item(overrides: Partial<DigestItemInput> = {}): DigestItemInput {
  return {
    text: "Write the migration plan",
    ownerName: "Ada Lovelace",
    dueDate: "2026-03-27",
    timesCarried: 1,
    originDate: "2026-03-24",
    ...overrides,
  };
}

export function input(carried: DigestItemInput[], overrides: Partial<DigestInput> = {}): DigestInput {
  return {
    pair: {
      id: "ada-charles",
      managerName: "Ada Lovelace",
      reportName: "Charles Babbage",
      timeZone: "Europe/Berlin",
    },
    // Tuesday 31 March 2026, 10:00 in Berlin (CEST, UTC+2, two days after the spring change).
    meeting: { date: "2026-03-31", startsAt: "2026-03-31T08:00:00Z" },
    agendaUrl: AGENDA_URL,
    carried,
    closedSinceLastMeeting: 2,
    ...overrides,
  };
}

/** One item per hostile text, owners hostile too, so every channel sees every attack at once. */
export function hostileInput(): DigestInput {
  return input(
    Object.values(HOSTILE_TEXTS).map((text, index) =>
      item({ text, ownerName: index % 2 === 0 ? "<@U999> *Eve* @everyone" : "עדה", timesCarried: index + 1 }),
    ),
    {
      pair: {
        id: "p",
        managerName: "Mal <!channel> *Manager*",
        reportName: "Rep @here",
        timeZone: "Europe/Berlin",
      },
    },
  );
}

/** More items than any channel can show, each with a distinct number so counts can be checked. */
export function manyItems(count: number): DigestInput {
  return input(
    Array.from({ length: count }, (_, index) =>
      item({ text: `Item number ${index} ${"with some detail ".repeat(5)}`, dueDate: null }),
    ),
  );
}

/** Removes what escaping added (backslashes, entities, zero-width spaces, bidi isolates). */
export function unescapeAll(text: string): string {
  return text
    .replace(/[\u200B\u2068\u2069]/gu, "")
    .replace(/\\([\\*_~`|>#\-[\]()<.!+])/gu, "$1")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&");
}
