// The weekly roll-up as email content: subject, plain-text part and HTML part, laid out like the chat
// channels (headline, totals, then each report with its last agenda link and items). Every string in
// the HTML passes through `escapeHtml`, and only http(s) URLs become links. Addressing and MIME
// encoding are the email sender's job. Pure.
import { type DigestItem, PARKING_LOT_HEADING, plural, startsParkingLot } from "../../../domain/digest";
import type { Rollup, RollupReport } from "../../../domain/rollup";
import { httpUrl } from "../../../lib/http-url";
import type { EmailContent } from "../../email/content";
import {
  EMAIL_HTML_BUDGET_BYTES,
  EMAIL_MUTED_COLOR,
  emailDocument,
  escapeHtml,
  htmlBytes,
} from "../../email/html";
import { hiddenReportsWords, planRollup, type RollupPlan, rollupHeadline } from "../rollup-text";
import { isolate, truncate, urgencyLabel } from "../text";

/** The roll-up keeps to the budget every email does (see EMAIL_HTML_BUDGET_BYTES). */
export const EMAIL_ROLLUP_HTML_BUDGET_BYTES = EMAIL_HTML_BUDGET_BYTES;
/** Our own cap per item, so one pasted essay does not push the other reports out of the budget. */
const EMAIL_ROLLUP_ITEM_TEXT_BUDGET = 500;
/** A subject is one line in a list of mail: long ones are cut by every client anyway, so say it first. */
const EMAIL_ROLLUP_MAX_SUBJECT = 200;
/** Our own cap on a report's or owner's name. */
const NAME_BUDGET = 120;

// The meeting digest email's palette (./digest.ts), so both emails look like one product.
const MUTED = `color:${EMAIL_MUTED_COLOR};font-size:13px`;
const OVERDUE = "color:#cf222e";
const LONG_CARRIED = "color:#9a6700";

/** `<a href>` with an already escaped label when the URL is http(s); the label alone otherwise. */
function anchor(url: string, label: string): string {
  const href = httpUrl(url);
  return href === null ? label : `<a href="${escapeHtml(href)}" style="color:#0969da">${label}</a>`;
}

/** User text in HTML: escaped, and in `<bdi>` so right-to-left text cannot reorder the labels around it. */
function userHtml(text: string, max: number): string {
  return `<bdi>${escapeHtml(truncate(text, max))}</bdi>`;
}

function itemHtml(item: DigestItem): string {
  const urgency = urgencyLabel(item);
  const color = item.overdueDays > 0 ? OVERDUE : LONG_CARRIED;
  const mark = urgency === null ? "" : `<strong style="${color}">${escapeHtml(urgency)}</strong><br>`;
  const meta = `${userHtml(item.ownerLabel, NAME_BUDGET)} · ${escapeHtml(item.dueLabel)} · ${escapeHtml(item.carriedLabel)}`;
  return `<li style="margin:0 0 8px">${mark}${userHtml(item.text, EMAIL_ROLLUP_ITEM_TEXT_BUDGET)}<br><span style="${MUTED}">${meta}</span></li>`;
}

function itemText(item: DigestItem): string {
  const urgency = urgencyLabel(item);
  const text = isolate(truncate(item.text, EMAIL_ROLLUP_ITEM_TEXT_BUDGET));
  const meta = `${isolate(truncate(item.ownerLabel, NAME_BUDGET))} · ${item.dueLabel} · ${item.carriedLabel}`;
  return `- ${urgency === null ? "" : `[${urgency}] `}${text}\n  ${meta}`;
}

/** A report with its items rendered once, in both parts: the plan asks for many sizes of the same report. */
interface RenderedReport {
  report: RollupReport;
  html: string[];
  text: string[];
}

function render(report: RollupReport): RenderedReport {
  const items = report.digest?.items ?? [];
  const starts = (index: number) => startsParkingLot(items, index);
  return {
    report,
    html: items.map(
      (item, index) =>
        `${starts(index) ? `<li style="margin:8px 0 4px;list-style:none"><strong>${escapeHtml(PARKING_LOT_HEADING)}</strong></li>` : ""}${itemHtml(item)}`,
    ),
    text: items.map((item, index) => `${starts(index) ? `${PARKING_LOT_HEADING}:\n` : ""}${itemText(item)}`),
  };
}

function reportHtml({ report, html }: RenderedReport, shown: number): string {
  const heading = `<h2 style="font-size:17px;margin:24px 0 4px">${userHtml(report.reportName, NAME_BUDGET)}</h2>`;
  const digest = report.digest;
  if (digest === null) {
    return `${heading}<p style="margin:0;${MUTED}"><em>${escapeHtml(report.agendaLabel)}</em></p>`;
  }
  const parts = [
    heading,
    `<p style="margin:0 0 8px">${anchor(digest.agendaUrl, escapeHtml(report.agendaLabel))}<br><span style="${MUTED}">${escapeHtml(report.summary)}</span></p>`,
  ];
  if (shown > 0) parts.push(`<ul style="margin:0;padding-left:20px">${html.slice(0, shown).join("")}</ul>`);
  const hidden = html.length - shown;
  if (hidden > 0) {
    parts.push(
      `<p style="margin:4px 0"><strong>and ${hidden} more — ${anchor(digest.agendaUrl, "open the agenda")}</strong></p>`,
    );
  }
  return parts.join("");
}

function reportText({ report, text }: RenderedReport, shown: number): string {
  const name = isolate(truncate(report.reportName, NAME_BUDGET));
  const digest = report.digest;
  if (digest === null) return `${name}\n${report.agendaLabel}`;
  const href = httpUrl(digest.agendaUrl);
  const link = href === null ? "" : `: ${href}`;
  const lines = [name, `${report.agendaLabel}${link}`, report.summary, ...text.slice(0, shown)];
  const hidden = text.length - shown;
  if (hidden > 0) lines.push(`and ${hidden} more — open the agenda${link}`);
  return lines.join("\n");
}

function subjectOf(rollup: Rollup): string {
  const { open, overdue } = rollup.totals;
  const counts = `${plural(open, "open item", "open items")}${overdue > 0 ? `, ${overdue} overdue` : ""}`;
  return truncate(`${rollupHeadline(rollup)}: ${counts}`, EMAIL_ROLLUP_MAX_SUBJECT);
}

function htmlFor(
  rollup: Rollup,
  subject: string,
  rendered: readonly RenderedReport[],
  plan: RollupPlan,
): string {
  const reports = rendered
    .slice(0, plan.reports)
    .map((report, index) => reportHtml(report, plan.items[index] ?? 0));
  if (plan.reports < rendered.length) {
    reports.push(
      `<p style="margin:24px 0 0"><strong>${escapeHtml(hiddenReportsWords(rollup, plan.reports))}</strong></p>`,
    );
  }
  return emailDocument(
    subject,
    [
      `<h1 style="font-size:20px;margin:0 0 4px">${escapeHtml(rollupHeadline(rollup))}</h1>`,
      `<p style="margin:0">${escapeHtml(rollup.summary)}</p>`,
      ...reports,
    ],
    "Close items in each agenda itself; this email is only a summary.",
  );
}

function textFor(rollup: Rollup, rendered: readonly RenderedReport[], plan: RollupPlan): string {
  const blocks = [`${rollupHeadline(rollup)}\n${rollup.summary}`];
  rendered.slice(0, plan.reports).forEach((report, index) => {
    blocks.push(reportText(report, plan.items[index] ?? 0));
  });
  if (plan.reports < rendered.length) blocks.push(hiddenReportsWords(rollup, plan.reports));
  return `${blocks.join("\n\n")}\n`;
}

/** The roll-up as email content. Both parts show the same reports and items. */
export function rollupEmailContent(rollup: Rollup): EmailContent {
  const subject = subjectOf(rollup);
  const rendered = rollup.reports.map(render);
  const caps = rendered.map((report) => report.html.length);
  const plan = planRollup(
    caps,
    (candidate) => htmlBytes(htmlFor(rollup, subject, rendered, candidate)) <= EMAIL_ROLLUP_HTML_BUDGET_BYTES,
  );
  return { subject, text: textFor(rollup, rendered, plan), html: htmlFor(rollup, subject, rendered, plan) };
}
