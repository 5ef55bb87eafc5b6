// The roll-up email: the HTML part read by workerd's own streaming HTML parser (HTMLRewriter), so what
// counts is what a parser sees: only our elements and attributes, links only to http(s) agendas, every
// hostile string arriving as text. Plus the plain-text part, the subject, and the size budget that keeps
// Gmail from clipping the tail unannounced.
import { describe, expect, it } from "vitest";
import { buildRollup } from "../../../../src/domain/rollup";
import {
  EMAIL_ROLLUP_HTML_BUDGET_BYTES,
  rollupEmailContent,
} from "../../../../src/notify/channels/email/rollup";
import { HOSTILE_TEXTS, unescapeAll } from "../fixtures";
import {
  agendaUrlOf,
  bigRollupInput,
  expectHostileTextReadable,
  HOSTILE_URLS,
  hostileRollupInput,
  threeReportRollup,
  utf8Bytes,
} from "../rollup-support";

interface ParsedHtml {
  elements: string[];
  attributes: [string, string][];
  hrefs: string[];
  text: string;
}

/** The HTML as a parser reads it: the elements, their attributes, and the document's text. */
async function parseHtml(html: string): Promise<ParsedHtml> {
  const parsed: ParsedHtml = { elements: [], attributes: [], hrefs: [], text: "" };
  const rewriter = new HTMLRewriter()
    .on("*", {
      element(element) {
        parsed.elements.push(element.tagName);
        // workers-types gives each attribute as string[]: [name, value].
        for (const [name = "", value = ""] of element.attributes) {
          parsed.attributes.push([name, value]);
          if (name === "href") parsed.hrefs.push(value);
        }
      },
    })
    .onDocument({
      text(chunk) {
        parsed.text += chunk.text;
      },
    });
  await rewriter.transform(new Response(html)).text();
  return parsed;
}

const OUR_ELEMENTS = new Set([
  "html",
  "head",
  "meta",
  "title",
  "body",
  "div",
  "h1",
  "h2",
  "p",
  "ul",
  "li",
  "strong",
  "em",
  "span",
  "a",
  "br",
  "bdi",
]);
const OUR_ATTRIBUTES = new Set(["lang", "charset", "name", "content", "style", "href"]);

function readable(text: string): string {
  return unescapeAll(text.replaceAll("&#39;", "'"));
}

describe("rollupEmailContent", () => {
  const rollup = threeReportRollup();

  it("has a one-line subject with the totals, and text and HTML parts that list the same reports and items", async () => {
    const content = rollupEmailContent(rollup);
    expect(content.subject).toBe(
      "Weekly 1:1 roll-up for Grace Hopper — Fri 3 Apr 2026: 3 open items, 1 overdue",
    );
    expect(content.text).toContain(
      `Weekly 1:1 roll-up for Grace Hopper — Fri 3 Apr 2026\n${rollup.summary}\n`,
    );
    expect(content.text).toContain(
      [
        "\u2068Bea\u2069",
        `Last agenda Tue 31 Mar 2026: ${agendaUrlOf("bea")}`,
        rollup.reports[0]?.summary,
        "- [🔴 OVERDUE 2d · 🔁 stuck · carried 3×] \u2068Send the review\u2069",
        "  \u2068Ada Lovelace\u2069 · due 2026-03-29 · 2 days overdue · carried 3× since 2026-03-24",
        "- \u2068Book the offsite\u2069",
      ].join("\n"),
    );
    expect(content.text).toContain("\u2068Dan\u2069\nNo agenda prepared yet\n");
    const html = await parseHtml(content.html);
    expect(html.hrefs).toEqual([agendaUrlOf("bea"), agendaUrlOf("cleo")]);
    expect(html.elements.filter((name) => name === "h2")).toHaveLength(3);
    expect(html.elements.filter((name) => name === "li")).toHaveLength(3);
    // The order in the HTML is the roll-up's order, and the urgent item is marked before its text.
    expect(html.text.indexOf("Bea")).toBeLessThan(html.text.indexOf("Cleo"));
    expect(html.text.indexOf("Cleo")).toBeLessThan(html.text.indexOf("No agenda prepared yet"));
    expect(html.text.indexOf("🔴 OVERDUE 2d · 🔁 stuck · carried 3×")).toBeLessThan(
      html.text.indexOf("Send the review"),
    );
    expect(html.text.indexOf("Send the review")).toBeLessThan(html.text.indexOf("Book the offsite"));
  });

  it("makes hostile names, items and links arrive as text: no foreign element, attribute or link", async () => {
    const content = rollupEmailContent(buildRollup(hostileRollupInput()));
    const html = await parseHtml(content.html);
    expect(html.elements.filter((name) => !OUR_ELEMENTS.has(name))).toEqual([]);
    expect(html.attributes.filter(([name]) => !OUR_ATTRIBUTES.has(name))).toEqual([]);
    for (const href of html.hrefs) expect(href).toMatch(/^https:\/\/[^\s"<>]+$/u);
    expect(html.hrefs).toContain("https://docs.example/d/x?a=1&amp;b=(2)|%3C3%3E%20%22q%22");
    expect(content.html).not.toContain(HOSTILE_URLS.script);
    expect(content.text).not.toContain(HOSTILE_URLS.script);
    const text = readable(html.text);
    expectHostileTextReadable(text);
    expect(text).toContain("# Heading > quote - list 1. numbered -# subtext");
    expect(text).toContain("Mal <!channel> *Manager* <script>x</script>");
    expect(content.subject).not.toMatch(/[\r\n]/u);
    for (const key of ["script", "pings", "markdown", "emoji"] as const)
      expect(content.text).toContain(HOSTILE_TEXTS[key]);
  });

  it("keeps the HTML under Gmail's clipping size, counting the reports and items left out in both parts", async () => {
    const total = 200;
    const items = 40;
    const content = rollupEmailContent(buildRollup(bigRollupInput(total, items)));
    expect(utf8Bytes(content.html)).toBeLessThanOrEqual(EMAIL_ROLLUP_HTML_BUDGET_BYTES);
    const html = await parseHtml(content.html);
    const shown = html.elements.filter((name) => name === "h2").length;
    expect(shown).toBeLessThan(total);
    const hidden = `and ${total - shown} more reports (`;
    // After the last shown report: in the text part it is the last line, in the HTML the footer follows.
    expect(content.text).toMatch(
      new RegExp(`\\n${hidden.replace("(", "\\(")}\\d+ open items, \\d+ overdue\\)\\n$`, "u"),
    );
    expect(html.text.indexOf(hidden)).toBeGreaterThan(html.text.lastIndexOf(`Report ${shown - 1}`));
    // Every shown report counts its own hidden items and links its own agenda, in both parts.
    for (let r = 0; r < shown; r += 1) {
      const listed = [...content.text.matchAll(new RegExp(`^- .*\\bR${r} item `, "gmu"))].length;
      const words = `and ${items - listed} more — open the agenda`;
      expect(content.text).toContain(`${words}: ${agendaUrlOf(`report-${r}`)}\n`);
      expect(content.html).toContain(`and ${items - listed} more — <a href="${agendaUrlOf(`report-${r}`)}"`);
    }
    expect(html.elements.filter((name) => name === "li").length).toBe(
      [...content.text.matchAll(/^- /gmu)].length,
    );
  });
});
