// The email digest's content: subject, plain-text part and HTML part for one prepared agenda. Pure; the
// message is addressed and stored by ../../email/message.ts and composed into MIME at send time. Email has
// no block or field limits, so items are listed most urgent first (as the digest orders them) until the
// HTML would pass the budget that keeps Gmail from clipping it; the rest are counted in an "and N more"
// line with the agenda link, in both parts. A single item's text is capped, visibly, so one pasted
// essay cannot bury the others.

import {
  type Digest,
  type DigestItem,
  PARKING_LOT_HEADING,
  plural,
  startsParkingLot,
} from "../../../domain/digest";
import { httpUrl } from "../../../lib/http-url";
import type { EmailContent } from "../../email/content";
import {
  EMAIL_HTML_BUDGET_BYTES,
  EMAIL_MUTED_COLOR,
  emailDocument,
  escapeHtml,
  htmlBytes,
} from "../../email/html";
import { fittingCount, headline, isolate, overflowWords, truncate, urgencyLabel } from "../text";

/** Our own cap per item text, in UTF-16 code units; longer text ends in "…". */
export const EMAIL_ITEM_TEXT_MAX = 2000;
/** Cap on the title part of the subject, so the counts after it always show. */
const EMAIL_SUBJECT_TITLE_MAX = 150;

const MUTED = EMAIL_MUTED_COLOR;
const OVERDUE = "#cf222e";
const LONG_CARRIED = "#9a6700";

/** "1:1 Ada / Bo — Tue 31 Mar 2026: 3 open items (1 overdue)". */
function subjectOf(digest: Digest): string {
  const { carried, overdue } = digest.counts;
  const items = carried === 0 ? "no open items" : plural(carried, "open item", "open items");
  const overduePart = overdue > 0 ? ` (${overdue} overdue)` : "";
  return `${truncate(headline(digest), EMAIL_SUBJECT_TITLE_MAX)}: ${items}${overduePart}`;
}

function itemText(item: DigestItem): string {
  return truncate(item.text, EMAIL_ITEM_TEXT_MAX);
}

function itemMeta(item: DigestItem, owner: string): string {
  return `${owner} · ${item.dueLabel} · ${item.carriedLabel}`;
}

function textPart(digest: Digest, url: string | null, shown: number): string {
  const lines = [
    headline(digest),
    digest.meeting.display,
    "",
    url === null ? "Agenda: (no link available)" : `Open the agenda: ${url}`,
    "",
    digest.summary,
    "",
  ];
  if (digest.items.length === 0) {
    lines.push("No open items were carried into this meeting.");
  } else {
    lines.push("Carried items, most urgent first:", "");
    digest.items.slice(0, shown).forEach((item, index) => {
      if (startsParkingLot(digest.items, index)) lines.push(`${PARKING_LOT_HEADING}:`, "");
      const number = `${index + 1}. `;
      const indent = " ".repeat(number.length);
      const urgency = urgencyLabel(item);
      if (urgency === null) lines.push(`${number}${isolate(itemText(item))}`);
      else lines.push(`${number}${urgency}`, `${indent}${isolate(itemText(item))}`);
      lines.push(`${indent}${itemMeta(item, isolate(item.ownerLabel))}`, "");
    });
    const hidden = digest.items.length - shown;
    if (hidden > 0) lines.push(`${overflowWords(hidden)}${url === null ? "" : `: ${url}`}`);
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function itemHtml(item: DigestItem): string {
  const urgency = urgencyLabel(item);
  const color = item.overdueDays > 0 ? OVERDUE : LONG_CARRIED;
  const parts = [`<li style="margin:0 0 14px;">`];
  if (urgency !== null) {
    parts.push(`<div style="color:${color};font-weight:600;">${escapeHtml(urgency)}</div>`);
  }
  // dir="auto" sets each item's paragraph direction from its own text, so a Hebrew item reads right to
  // left while the labels around it stay in order; the isolates do the same for clients that ignore it.
  parts.push(
    `<div dir="auto" style="white-space:pre-wrap;">${isolate(escapeHtml(itemText(item)))}</div>`,
    `<div style="color:${MUTED};font-size:13px;">${escapeHtml(itemMeta(item, isolate(item.ownerLabel)))}</div>`,
    "</li>",
  );
  return parts.join("\n");
}

function htmlPart(digest: Digest, subject: string, url: string | null, shown: number): string {
  const link =
    url === null
      ? `<p style="margin:0 0 16px;color:${MUTED};">Agenda link unavailable.</p>`
      : `<p style="margin:0 0 16px;"><a href="${escapeHtml(url)}" style="display:inline-block;padding:8px 14px;border-radius:6px;background:#0969da;color:#ffffff;text-decoration:none;font-weight:600;">Open the agenda</a></p>`;
  const items =
    digest.items.length === 0
      ? [`<p style="margin:0;">No open items were carried into this meeting.</p>`]
      : [
          `<h2 style="margin:24px 0 8px;font-size:16px;">Carried items, most urgent first</h2>`,
          `<ol style="margin:0;padding-left:24px;">`,
          ...digest.items
            .slice(0, shown)
            .map((item, index) =>
              startsParkingLot(digest.items, index)
                ? [
                    "</ol>",
                    `<h2 style="margin:24px 0 8px;font-size:16px;">${escapeHtml(PARKING_LOT_HEADING)}</h2>`,
                    `<ol start="${index + 1}" style="margin:0;padding-left:24px;">`,
                    itemHtml(item),
                  ].join("\n")
                : itemHtml(item),
            ),
          "</ol>",
        ];
  const hidden = digest.items.length - shown;
  if (hidden > 0) {
    const words = escapeHtml(overflowWords(hidden));
    items.push(
      `<p style="margin:8px 0 0;font-weight:600;">${url === null ? words : `<a href="${escapeHtml(url)}">${words}</a>`}</p>`,
    );
  }
  return emailDocument(
    subject,
    [
      `<h1 style="margin:0 0 4px;font-size:20px;line-height:1.3;">${escapeHtml(headline(digest))}</h1>`,
      `<p style="margin:0 0 16px;color:${MUTED};">${escapeHtml(digest.meeting.display)}</p>`,
      link,
      `<p style="margin:0 0 16px;">${escapeHtml(digest.summary)}</p>`,
      ...items,
    ],
    "Close items in the agenda itself; this email is only a summary.",
  );
}

/** The email digest for a prepared agenda. */
export function emailContent(digest: Digest): EmailContent {
  const url = httpUrl(digest.agendaUrl);
  const subject = subjectOf(digest);
  const shown = fittingCount(
    digest.items,
    (count) => htmlBytes(htmlPart(digest, subject, url, count)) <= EMAIL_HTML_BUDGET_BYTES,
  );
  return { subject, text: textPart(digest, url, shown), html: htmlPart(digest, subject, url, shown) };
}
