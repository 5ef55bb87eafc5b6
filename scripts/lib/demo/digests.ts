// Owns the demo's account of the digests: what actually arrived at the local webhook receivers and the
// SMTP test server (not what the Worker says it sent), read the way each vendor's client would show it,
// beside the outbox's own record of each delivery (GET /admin/pairs/:id/meetings → deliveries). A digest
// is found by what it carries: the generic webhook by its `webhook-id`, an email by its Message-ID (both
// are the delivery's id), a chat message by its hook and the agenda link in it. Fails when a channel got
// nothing, when its last answer was not a success, or when something arrived that no delivery explains.
import { Webhook } from "standardwebhooks";
import { z } from "zod";
import type { ReceivedRequest } from "../../../emulators/receivers/server";
import type { DigestChannel } from "../../../src/domain/channels";
import { channelKey } from "../../../src/domain/channels";
import type { Delivery } from "../admin";
import type { DigestSide, SmtpMessage } from "../digest-side";
import { DEMO_HOOKS, DEMO_SIGNING_SECRET } from "../digest-side";
import { ScriptError } from "../run";
import { out, style } from "../terminal";
import { utcTime } from "./describe";

/** Everything that has arrived so far, oldest first. */
export interface Arrivals {
  requests: ReceivedRequest[];
  messages: SmtpMessage[];
}

export async function arrivals(side: DigestSide): Promise<Arrivals> {
  return { requests: side.receivers.received(), messages: await side.messages() };
}

function arrivalCount(seen: Arrivals): number {
  return seen.requests.length + seen.messages.length;
}

/** Accepted by the vendor: Slack 200 "ok", Teams 202, Discord 204 and so on. */
const accepted = (status: number): boolean => status >= 200 && status < 300;

/**
 * What arrived since `before`, for a cron tick's line: "3 digests arrived", any refusal (which the outbox
 * retries: "teams answered 503, retried later"), and a retry that got through ("teams retried: 202").
 * `label` names what else this tick sent, e.g. a roll-up.
 */
export function describeNewArrivals(before: Arrivals, after: Arrivals, label?: string): string {
  const requests = after.requests.slice(before.requests.length);
  const refusedBefore = new Set(
    before.requests.filter((request) => !accepted(request.status)).map((r) => `${r.kind}/${r.hook}`),
  );
  const retries = requests.filter(
    (request) => accepted(request.status) && refusedBefore.has(`${request.kind}/${request.hook}`),
  );
  const fresh = requests.filter((request) => accepted(request.status)).length - retries.length;
  const count = fresh + after.messages.length - before.messages.length;
  const parts =
    count === 0
      ? []
      : [`${count} digest${count === 1 ? "" : "s"} arrived${label === undefined ? "" : ` ${label}`}`];
  for (const request of requests.filter((candidate) => !accepted(candidate.status))) {
    parts.push(style.yellow(`${request.kind} answered ${request.status}, retried later`));
  }
  for (const request of retries) parts.push(style.green(`${request.kind} retried: ${request.status}`));
  return parts.join(", ");
}

// ---- reading one arrival as a person would see it -------------------------------------------------

/** Zero-width spaces and bidi isolates: the payloads use them to keep user text apart; nobody sees them. */
const INVISIBLE = /[\u200B\u2066-\u2069]/gu;

/** Text a chat client shows: no mrkdwn entities, no Markdown backslashes, no invisible isolates. */
function shown(text: string, backslashes: boolean): string {
  const unescaped = backslashes ? text.replace(/\\(.)/gu, "$1") : text;
  return unescaped
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&")
    .replace(INVISIBLE, "");
}

const slackSchema = z.looseObject({ text: z.string() });
const teamsSchema = z.looseObject({
  attachments: z.array(
    // The card's first element is its title; the item containers after it have no text of their own.
    z.looseObject({
      content: z.looseObject({ body: z.array(z.looseObject({ text: z.string().optional() })) }),
    }),
  ),
});
const discordSchema = z.looseObject({ embeds: z.array(z.looseObject({ title: z.string() })).min(1) });
const chatSchema = z.looseObject({
  cardsV2: z.array(z.looseObject({ card: z.looseObject({ header: z.looseObject({ title: z.string() }) }) })),
});
const eventSchema = z.looseObject({
  type: z.string(),
  items: z.array(z.unknown()).optional(),
  reports: z.array(z.unknown()).optional(),
});

function json(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** The generic webhook's event, if its Standard Webhooks signature checks out with the demo secret. */
function verifiedEvent(request: ReceivedRequest): { summary: string; ok: boolean } {
  try {
    const event = eventSchema.parse(
      new Webhook(DEMO_SIGNING_SECRET).verify(request.body, {
        "webhook-id": request.headers["webhook-id"] ?? "",
        "webhook-timestamp": request.headers["webhook-timestamp"] ?? "",
        "webhook-signature": request.headers["webhook-signature"] ?? "",
      }),
    );
    const count = event.items ?? event.reports ?? [];
    const noun = event.items === undefined ? "report" : "item";
    return {
      summary: `${event.type} · ${count.length} ${noun}${count.length === 1 ? "" : "s"} · signature verified ${style.dim("(standardwebhooks, demo secret)")}`,
      ok: true,
    };
  } catch (error) {
    return {
      summary: style.red(`signature NOT verified: ${error instanceof Error ? error.message : String(error)}`),
      ok: false,
    };
  }
}

/** One line about a chat message: what its client shows first. */
function requestSummary(request: ReceivedRequest): { summary: string; ok: boolean } {
  const body = json(request.body);
  const read = <T>(schema: z.ZodType<T>, pick: (value: T) => string): { summary: string; ok: boolean } => {
    const parsed = schema.safeParse(body);
    return parsed.success
      ? { summary: pick(parsed.data), ok: true }
      : { summary: style.red(`not a ${request.kind} message`), ok: false };
  };
  switch (request.kind) {
    case "slack":
      return read(slackSchema, (slack) =>
        // The fallback text's first line, without the agenda link at its end.
        shown(slack.text.split("\n")[0] ?? "", false).replace(/\.? Agenda: \S+$/u, ""),
      );
    case "teams":
      return read(teamsSchema, (teams) =>
        shown(
          teams.attachments[0]?.content.body.find((element) => element.text !== undefined)?.text ?? "",
          true,
        ),
      );
    case "discord":
      return read(discordSchema, (discord) => shown(discord.embeds[0]?.title ?? "", true));
    case "google-chat":
      return read(chatSchema, (chat) => chat.cardsV2[0]?.card.header.title ?? "");
    case "webhook":
      return verifiedEvent(request);
  }
}

/** "<dlv_296eb7ce9d15…@example.com>": the delivery id is long, its first characters tell it apart. */
function shortMessageId(messageId: string | null): string {
  if (messageId === null) return "no Message-ID";
  return messageId.replace(/^<([^@>]{16})[^@>]+@/u, "<$1…@");
}

function messageSummary(message: SmtpMessage): string {
  const to = message.to.map((address) => address.address).join(", ");
  return `"${message.subject ?? "(no subject)"}" → ${to} ${style.dim(`· Message-ID ${shortMessageId(message.messageId)}`)}`;
}

// ---- finding each delivery's arrivals ----------------------------------------------------------------

type Found =
  | { via: "http"; delivery: Delivery; requests: ReceivedRequest[] }
  | { via: "smtp"; delivery: Delivery; messages: SmtpMessage[] };

/**
 * The arrivals of `delivery`. Chat messages that share a hook are told apart by `link` (the agenda's URL)
 * or, for roll-ups (which link to several agendas), by turn: `turns` are the deliveries to that hook in
 * the order they were sent, each having made `attempts` requests.
 */
function find(
  delivery: Delivery,
  seen: Arrivals,
  link: string | null,
  turns: readonly Delivery[] = [delivery],
): Found {
  if (delivery.channel === "email") {
    const prefix = `<${delivery.id}@`;
    return {
      via: "smtp",
      delivery,
      messages: seen.messages.filter((message) => message.messageId?.startsWith(prefix) === true),
    };
  }
  const target = DEMO_HOOKS[delivery.secretName];
  const atHook = seen.requests.filter(
    (request) => target !== undefined && request.kind === target.kind && request.hook === target.hook,
  );
  if (delivery.channel === "webhook") {
    return {
      via: "http",
      delivery,
      requests: atHook.filter((request) => request.headers["webhook-id"] === delivery.id),
    };
  }
  if (link !== null) {
    const escaped = link.replaceAll("&", "&amp;");
    return {
      via: "http",
      delivery,
      requests: atHook.filter((request) => request.body.includes(link) || request.body.includes(escaped)),
    };
  }
  let start = 0;
  for (const turn of turns) {
    if (turn.id === delivery.id) {
      return { via: "http", delivery, requests: atHook.slice(start, start + turn.attempts) };
    }
    start += turn.attempts;
  }
  return { via: "http", delivery, requests: [] };
}

const columns = (channel: string, status: string, summary: string): string =>
  `  ${channel.padEnd(13)}${status.padEnd(12)}${summary}`;

/** Prints one delivery's line from what arrived; returns whether it arrived and was accepted. */
function printFound(found: Found): boolean {
  const { delivery } = found;
  if (found.via === "smtp") {
    const [message] = found.messages;
    if (message === undefined) {
      out(columns("email", style.red("—"), style.red("nothing arrived at the SMTP server")));
      return false;
    }
    out(columns("email", "SMTP 250", messageSummary(message)));
    return true;
  }
  const last = found.requests.at(-1);
  if (last === undefined) {
    out(columns(delivery.channel, style.red("—"), style.red("nothing arrived at its receiver")));
    return false;
  }
  const statuses = found.requests.map((request) => String(request.status)).join(" → ");
  const { summary, ok } = requestSummary(last);
  const refusals = found.requests.length - 1;
  const retried =
    refusals === 0
      ? ""
      : style.yellow(` · retried ${refusals === 1 ? "once" : `${refusals} times`}, delivered`);
  out(columns(delivery.channel, statuses, `${summary}${accepted(last.status) ? retried : ""}`));
  return ok && accepted(last.status);
}

function outboxLine(deliveries: readonly Delivery[]): string {
  const states = deliveries.map((delivery) => {
    const attempts = `${delivery.attempts} attempt${delivery.attempts === 1 ? "" : "s"}`;
    const state = delivery.status === "delivered" ? delivery.status : style.yellow(delivery.status);
    return `${delivery.channel} ${state} (${attempts})`;
  });
  return `  ${style.dim("outbox".padEnd(13))}${style.dim(states.join(" · "))}`;
}

// ---- the report ---------------------------------------------------------------------------------------

export interface DigestedMeeting {
  pair: {
    id: string;
    manager: { name: string };
    report: { name: string };
    digests: readonly DigestChannel[];
  };
  meeting: { key: string; agendaUrl: string | null; deliveries: Delivery[] };
}

/** Deliveries in the order their channels are configured (the outbox lists them by id). */
function inConfigOrder(deliveries: readonly Delivery[], channels: readonly DigestChannel[]): Delivery[] {
  const order = channels.map(channelKey);
  const rank = (delivery: Delivery) => {
    const index = order.indexOf(delivery.channelKey);
    return index === -1 ? order.length : index;
  };
  return [...deliveries].sort((a, b) => rank(a) - rank(b));
}

interface SentRollup {
  managerName: string;
  /** "Thursdays 16:45 America/New_York". */
  when: string;
  /** The cron tick planned to send it; its roll-up is the one shown in full. */
  tickMs: number;
  channels: readonly DigestChannel[];
  /** Every roll-up's deliveries, of every date it went out for. */
  deliveries: Delivery[];
}

export interface DigestsReport {
  meetings: readonly DigestedMeeting[];
  rollup: SentRollup | null;
  /** The deliveries of every other meeting the Worker prepared (the Google pairs' earlier ones). */
  earlier: readonly { pairId: string; delivery: Delivery; agendaUrl: string | null }[];
}

const gutter = (line: string): string => `  ${style.dim("│")} ${line}`;

/** Prints the "Digests sent" story; throws when a digest did not arrive or something arrived unexplained. */
export function printDigestsReport(seen: Arrivals, report: DigestsReport): void {
  const problems: string[] = [];
  const explained = new Set<object>();
  const account = (found: Found) => {
    for (const item of found.via === "smtp" ? found.messages : found.requests) explained.add(item);
  };

  for (const { pair, meeting } of report.meetings) {
    out();
    out(
      `${style.bold(pair.id)}  ${pair.manager.name} ↔ ${pair.report.name}  ${style.dim(`· ${meeting.key}`)}`,
    );
    if (meeting.deliveries.length !== pair.digests.length) {
      problems.push(
        `${meeting.key}: ${pair.digests.length} channels configured, ${meeting.deliveries.length} deliveries in the outbox`,
      );
    }
    for (const delivery of inConfigOrder(meeting.deliveries, pair.digests)) {
      const found = find(delivery, seen, meeting.agendaUrl);
      account(found);
      if (!printFound(found) || delivery.status !== "delivered") {
        problems.push(`${meeting.key}: ${delivery.channel} was not delivered (outbox: ${delivery.status})`);
      }
    }
    if (meeting.deliveries.length > 0) out(outboxLine(inConfigOrder(meeting.deliveries, pair.digests)));
  }

  if (report.rollup !== null) {
    for (const found of printRollups(seen, report.rollup, problems)) account(found);
  }

  // The Google pairs' earlier meetings were written by the Worker too, so their digests went out then.
  const earlier = new Map<string, number>();
  for (const { pairId, delivery, agendaUrl } of report.earlier) {
    const found = find(delivery, seen, agendaUrl);
    account(found);
    const key = `${pairId} ${delivery.channel}`;
    earlier.set(
      key,
      (earlier.get(key) ?? 0) + (found.via === "smtp" ? found.messages : found.requests).length,
    );
  }
  const total = arrivalCount(seen);
  const unexplained = total - explained.size;
  out();
  if (earlier.size > 0) {
    const list = [...earlier].map(([key, count]) => `${key} ×${count}`).join(", ");
    out(
      `  ${style.dim(`also the Google pairs' earlier meetings, sent when the Worker wrote them: ${list}`)}`,
    );
  }
  out(
    `  ${style.dim(`${seen.requests.length} requests at the receivers and ${seen.messages.length} emails at the SMTP server in all; ${unexplained === 0 ? "each one a delivery in the outbox" : `${unexplained} that no delivery explains`}`)}`,
  );
  if (unexplained > 0) problems.push(`${unexplained} requests or emails arrived that no delivery explains`);

  if (problems.length > 0) {
    throw new ScriptError(`the digests did not all arrive:\n    - ${problems.join("\n    - ")}`);
  }
}

const sentAt = (delivery: Delivery): string => delivery.deliveredAt ?? delivery.createdAt;

/**
 * Prints the roll-ups, one per date they went out for: usually one, but every week has its own, and the
 * demo's ticks span weeks. Shows the planned one's Slack text in full. Returns what it found.
 */
function printRollups(seen: Arrivals, rollup: SentRollup, problems: string[]): Found[] {
  const found: Found[] = [];
  out();
  out(`${style.bold(`${rollup.managerName}'s weekly roll-up`)}  ${style.dim(`· ${rollup.when}`)}`);
  if (rollup.deliveries.length === 0) problems.push(`${rollup.managerName}'s roll-up was never sent`);
  const bySending = [...rollup.deliveries].sort((a, b) => sentAt(a).localeCompare(sentAt(b)));
  const dates = [...new Set(bySending.map((delivery) => delivery.digestKey))];
  let shownSlack: ReceivedRequest | undefined;
  let planned: ReceivedRequest | undefined;
  for (const key of dates) {
    const deliveries = inConfigOrder(
      bySending.filter((delivery) => delivery.digestKey === key),
      rollup.channels,
    );
    const [first] = deliveries;
    if (first === undefined) continue;
    const tickMs = Date.parse(sentAt(first));
    out(
      `  ${style.dim(`for ${key.slice(key.lastIndexOf("/") + 1)}, sent by the cron tick ${utcTime(tickMs)}`)}`,
    );
    for (const delivery of deliveries) {
      const turns = bySending.filter((other) => other.secretName === delivery.secretName);
      const one = find(delivery, seen, null, turns);
      found.push(one);
      // The planned roll-up is shown in full, or else the latest (it has the most agendas in it).
      const slack = one.via === "http" ? one.requests.at(-1) : undefined;
      if (slack !== undefined && (tickMs === rollup.tickMs || planned === undefined)) {
        shownSlack = slack;
        if (tickMs === rollup.tickMs) planned = slack;
      }
      if (!printFound(one) || delivery.status !== "delivered") {
        problems.push(`${delivery.digestKey}: ${delivery.channel} was not delivered (${delivery.status})`);
      }
    }
    out(outboxLine(deliveries));
  }
  const text = shownSlack === undefined ? null : slackSchema.safeParse(json(shownSlack.body));
  if (text?.success === true) {
    out(`  ${style.dim(`as Slack's notification text shows it (/slack/${shownSlack?.hook ?? ""}):`)}`);
    for (const line of shown(text.data.text, false).split("\n")) out(gutter(line));
  }
  return found;
}

/** The first email among `meetings`' deliveries, as it arrived; for showing one digest in full. */
export function firstEmail(
  seen: Arrivals,
  meetings: readonly DigestedMeeting[],
): { pairId: string; message: SmtpMessage } | null {
  for (const { pair, meeting } of meetings) {
    for (const delivery of meeting.deliveries) {
      const found = find(delivery, seen, meeting.agendaUrl);
      if (found.via === "smtp" && found.messages[0] !== undefined) {
        return { pairId: pair.id, message: found.messages[0] };
      }
    }
  }
  return null;
}

/** An email as a mail client shows it: the headers people read, then the text part. */
export function showEmail(message: SmtpMessage): void {
  const from = message.from.map((address) => `${address.name} <${address.address}>`).join(", ");
  const to = message.to.map((address) => address.address).join(", ");
  out(gutter(`${style.dim("From:")}    ${from}`));
  out(gutter(`${style.dim("To:")}      ${to}`));
  out(gutter(`${style.dim("Subject:")} ${message.subject ?? ""}`));
  out(gutter(""));
  // The bidi isolates around names and items are invisible in a mail client; a terminal shows them.
  const text = (message.text ?? "(no text part)").replace(INVISIBLE, "").trimEnd();
  for (const line of text.split("\n")) out(gutter(line));
}
