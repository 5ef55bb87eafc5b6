// The email digest's content: the subject people see in their inbox, a plain-text and an HTML part that
// list the carried items most urgent first (all of them unless the HTML would be clipped by Gmail, and
// then "and N more" in both), a visible cap on one item's text, an agenda link that is only ever
// http(s), and hostile item text that arrives as the characters a person typed.
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../../../src/domain/digest";
import { EMAIL_ITEM_TEXT_MAX, emailContent } from "../../../../src/notify/channels/email/digest";
import { EMAIL_HTML_BUDGET_BYTES, htmlBytes } from "../../../../src/notify/email/html";
import { DIGEST_EMAIL_TAGS, htmlTagNames } from "../../email/support";
import { AGENDA_URL, HOSTILE_TEXTS, hostileInput, input, item, manyItems } from "../fixtures";

/** What a browser would show: tags removed, the five entities escapeHtml writes decoded. */
function shownText(html: string): string {
  return html
    .replace(/<[^>]*>/gu, "")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
}

/** The items' text lines in the HTML part, in order. */
function htmlItems(html: string): string[] {
  return [...html.matchAll(/<div dir="auto"[^>]*>([^<]*)<\/div>/gu)].map((match) =>
    shownText(match[1] ?? ""),
  );
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/gu)].map((match) => match[1] ?? "");
}

describe("emailContent (happy)", () => {
  it("says in the subject whose meeting it is, when, and how many items are open and overdue", () => {
    const two = emailContent(buildDigest(input([item({ dueDate: "2026-03-27" }), item({ dueDate: null })])));
    expect(two.subject).toBe(
      "1:1 Ada Lovelace / Charles Babbage — Tue 31 Mar 2026: 2 open items (1 overdue)",
    );
    const one = emailContent(buildDigest(input([item({ dueDate: "2026-04-02" })])));
    expect(one.subject).toBe("1:1 Ada Lovelace / Charles Babbage — Tue 31 Mar 2026: 1 open item");
    const none = emailContent(buildDigest(input([])));
    expect(none.subject).toBe("1:1 Ada Lovelace / Charles Babbage — Tue 31 Mar 2026: no open items");
    expect(none.text).toContain("No open items were carried into this meeting.");
    expect(htmlTagNames(none.html)).not.toContain("ol");
  });

  it("lays out the meeting, the agenda link and the summary in both parts", () => {
    const digest = buildDigest(input([item()]));
    const { text, html } = emailContent(digest);
    for (const part of [text, shownText(html)]) {
      expect(part).toContain("1:1 Ada Lovelace / Charles Babbage — Tue 31 Mar 2026");
      expect(part).toContain("Tuesday 31 March 2026, 10:00 (Europe/Berlin)");
      expect(part).toContain(digest.summary);
    }
    expect(text).toContain(`Open the agenda: ${AGENDA_URL}`);
    expect(hrefs(html)).toEqual([AGENDA_URL]);
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/u);
    expect(html).toContain(`<meta charset="UTF-8">`);
    expect(text.endsWith("\n")).toBe(true);
  });

  it("lists every item, most urgent first as the digest orders them, marking overdue and long-carried", () => {
    const digest = buildDigest(
      input([
        item({ text: "fresh", dueDate: null, timesCarried: 1 }),
        item({ text: "long-carried", dueDate: null, timesCarried: 5 }),
        item({ text: "overdue", dueDate: "2026-03-21", timesCarried: 2 }),
      ]),
    );
    const { text, html } = emailContent(digest);
    const order = digest.items.map((entry) => entry.text);
    expect(order).toEqual(["overdue", "long-carried", "fresh"]);
    expect(htmlItems(html).map((line) => line.replace(/[\u2068\u2069]/gu, ""))).toEqual(order);
    expect(text).toMatch(
      /1\. 🔴 OVERDUE 10d\n {3}\u2068overdue\u2069\n {3}\u2068Ada Lovelace\u2069 · due 2026-03-21 · 10 days overdue · carried 2× since 2026-03-24\n/u,
    );
    expect(text).toMatch(/2\. 🔁 stuck · carried 5×\n {3}\u2068long-carried\u2069\n/u);
    expect(text).toMatch(/3\. \u2068fresh\u2069\n {3}\u2068Ada Lovelace\u2069 · no due date · carried 1×/u);
    expect(html).toContain(`<div style="color:#cf222e;font-weight:600;">🔴 OVERDUE 10d</div>`);
    expect(html).toContain(`<div style="color:#9a6700;font-weight:600;">🔁 stuck · carried 5×</div>`);
  });

  it("lists all of a long digest when it fits: 120 items, in both parts", () => {
    const { text, html } = emailContent(buildDigest(manyItems(120)));
    const numbers = (part: string) =>
      [...part.matchAll(/Item number (\d+) /gu)].map((match) => Number(match[1]));
    const expected = Array.from({ length: 120 }, (_, index) => index);
    expect(numbers(text)).toEqual(expected);
    expect(numbers(html)).toEqual(expected);
    expect(text).not.toContain("more — open the agenda");
  });

  it("stops before Gmail would clip the HTML, and says in both parts how many more, linked", () => {
    const long = " — with the notes from the design review attached".repeat(40);
    const digest = buildDigest(
      input(Array.from({ length: 300 }, (_, index) => item({ text: `Item number ${index} ${long}` }))),
    );
    const { text, html } = emailContent(digest);
    expect(htmlBytes(html)).toBeLessThanOrEqual(EMAIL_HTML_BUDGET_BYTES);
    const numbers = (part: string) =>
      [...part.matchAll(/Item number (\d+) /gu)].map((match) => Number(match[1]));
    const shown = numbers(html).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(300);
    expect(numbers(text)).toEqual(numbers(html));
    const more = `and ${300 - shown} more — open the agenda`;
    expect(text).toContain(`${more}: ${AGENDA_URL}`);
    expect(html).toContain(`<a href="${AGENDA_URL}">${more}</a>`);
    // One more item (its text is capped at EMAIL_ITEM_TEXT_MAX) would not have fitted: the budget is used.
    expect(htmlBytes(html) + EMAIL_ITEM_TEXT_MAX + 500).toBeGreaterThan(EMAIL_HTML_BUDGET_BYTES);
  });
});

describe("emailContent (security)", () => {
  it("makes hostile text harmless and readable", () => {
    const { subject, text, html } = emailContent(buildDigest(hostileInput()));
    // Every tag is one of ours: no item, owner or name became markup.
    expect(htmlTagNames(html)).toEqual(DIGEST_EMAIL_TAGS);
    expect(html).toContain(
      "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;",
    );
    expect(html).toContain("Mal &lt;!channel&gt; *Manager*");
    const shown = shownText(html);
    const plain = text.replace(/[\u2068\u2069]/gu, "");
    for (const key of ["script", "pings", "markdown", "emoji", "rtl"] as const) {
      // The digest removed the bidi override the RTL text tried to smuggle in; the letters stay.
      const expected = HOSTILE_TEXTS[key].replace("\u202E", "").replace("\u202C", "");
      expect(shown).toContain(expected);
      expect(plain).toContain(expected);
    }
    // Line breaks in an item cannot start a Markdown heading or quote on its own line.
    expect(plain).toContain("# Heading > quote - list 1. numbered -# subtext");
    expect(text).not.toMatch(/^# Heading/mu);
    expect(subject).toBe(
      "1:1 Mal <!channel> *Manager* / Rep @here — Tue 31 Mar 2026: 7 open items (7 overdue)",
    );
    expect(subject).not.toMatch(/[\r\n]/u);
  });

  it("isolates right-to-left items so the labels after them keep their order", () => {
    const { text, html } = emailContent(buildDigest(input([item({ text: HOSTILE_TEXTS.rtl })])));
    expect(text).toContain("\u2068לסיים את הדוח مراجعة التقرير reversed\u2069");
    expect(html).toContain(`<div dir="auto" style="white-space:pre-wrap;">\u2068לסיים את הדוח`);
    expect(text).not.toMatch(/[\u202A-\u202E]/u);
    expect(html).not.toMatch(/[\u202A-\u202E]/u);
  });

  it("caps one item's text visibly, and keeps emoji whole", () => {
    const long = `${"🚀 Ship it. ".repeat(400)}END`;
    const { text, html } = emailContent(
      buildDigest(input([item({ text: long }), item({ text: "short one" })])),
    );
    const [first] = htmlItems(html);
    const shown = (first ?? "").replace(/[\u2068\u2069]/gu, "");
    expect(shown.length).toBeLessThanOrEqual(EMAIL_ITEM_TEXT_MAX);
    expect(shown.length).toBeGreaterThan(EMAIL_ITEM_TEXT_MAX - 20);
    expect(shown.endsWith("…")).toBe(true);
    expect(shown).not.toContain("\uFFFD");
    expect(shown).not.toMatch(/[\uD800-\uDBFF]…$/u);
    for (const part of [text, html]) {
      expect(part).not.toContain("END");
      expect(part).toContain("short one");
    }
  });

  it("links the agenda only when its URL is http(s), and never lets it leave the attribute", () => {
    for (const agendaUrl of ["javascript:alert(1)", "data:text/html,<script>x</script>", "not a url", ""]) {
      const { text, html } = emailContent(buildDigest(input([item()], { agendaUrl })));
      expect(hrefs(html)).toEqual([]);
      expect(htmlTagNames(html)).not.toContain("a");
      expect(html).toContain("Agenda link unavailable.");
      expect(text).toContain("Agenda: (no link available)");
      if (agendaUrl !== "") expect(text).not.toContain(agendaUrl);
    }
    const tricky = `https://evil.example/a" onmouseover="alert(1)'><script>x</script>`;
    const { html } = emailContent(buildDigest(input([item()], { agendaUrl: tricky })));
    const [href] = hrefs(html);
    expect(new URL(href ?? "").hostname).toBe("evil.example");
    expect(html).not.toContain('onmouseover="');
    expect(htmlTagNames(html)).toEqual(DIGEST_EMAIL_TAGS);
  });

  it("keeps the subject to one line with the counts visible, however long the names", () => {
    const { subject } = emailContent(
      buildDigest(
        input([item()], {
          pair: { id: "p", managerName: "A".repeat(300), reportName: "B\nC", timeZone: "Europe/Berlin" },
        }),
      ),
    );
    expect(subject).not.toMatch(/[\r\n]/u);
    expect(subject).toMatch(/…: 1 open item \(1 overdue\)$/u);
    expect(subject.length).toBeLessThan(200);
  });
});
