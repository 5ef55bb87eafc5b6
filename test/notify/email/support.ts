// Shared pieces of the email tests: a digest about people with non-ASCII names, email deliveries
// enqueued the way the digest job enqueues them, one outbox tick, log capture, and the HTML tags we write.
import { env } from "cloudflare:workers";
import { buildDigest, type DigestInput } from "../../../src/domain/digest";
import { type DeliverDueOptions, deliverDue } from "../../../src/jobs/deliver";
import { createLogger } from "../../../src/lib/log";
import { emailContent } from "../../../src/notify/channels/email/digest";
import { type EmailVia, emailMessagePayload, type Mailbox } from "../../../src/notify/email/message";
import { DeliveryStore } from "../../../src/store/deliveries";
import { input, item } from "../channels/fixtures";

export const store = new DeliveryStore(env.DB);

export const FROM: Mailbox = { name: "Zoë Åström", email: "digest@agendas.test" };

/** A digest with an emoji and accents in the names, an overdue item and a long-carried one. */
function digestInput(overrides: Partial<DigestInput> = {}): DigestInput {
  return input(
    [
      item({ text: "Write the migration plan", dueDate: "2026-03-27", timesCarried: 4 }),
      item({ text: "Book the offsite 🏕️", ownerName: "Zoë Åström", dueDate: null, timesCarried: 1 }),
    ],
    {
      pair: {
        id: "ada-zoe",
        managerName: "Ada 🚀 Lovelace",
        reportName: "Zoë Åström",
        timeZone: "Europe/Berlin",
      },
      ...overrides,
    },
  );
}

export interface EnqueuedEmail {
  id: string;
  payload: string;
}

/** Enqueues an email digest like the digest job: content from the digest, envelope from the channel. */
export async function enqueueEmail(options: {
  meetingKey: string;
  channelKey?: string;
  via: EmailVia;
  secretName: string;
  to: Mailbox[];
  from?: Mailbox;
  digest?: DigestInput;
  nowMs?: number;
}): Promise<EnqueuedEmail> {
  const payload = emailMessagePayload(emailContent(buildDigest(options.digest ?? digestInput())), {
    via: options.via,
    from: options.from ?? FROM,
    to: options.to,
  });
  const { id } = await store.enqueue({
    meetingKey: options.meetingKey,
    channelKey: options.channelKey ?? `email:${options.via}:${options.secretName}`,
    channel: "email",
    secretName: options.secretName,
    payload,
    nowMs: options.nowMs ?? 0,
  });
  return { id, payload };
}

export function capture() {
  const lines: string[] = [];
  // No redaction: the outbox must not hand secrets to the logger in the first place.
  const log = createLogger({ level: "debug", secrets: [], sink: (line) => lines.push(line) });
  return { lines, log };
}

/** A fetch that fails the test if anything reaches for the network over HTTP. */
const noFetch: typeof fetch = async (request) => {
  throw new Error(`unexpected fetch to ${String(request)}`);
};

export function tick(
  nowMs: number,
  options: Pick<DeliverDueOptions, "secrets"> & Partial<DeliverDueOptions>,
): ReturnType<typeof deliverDue> {
  return deliverDue({
    store,
    fetch: noFetch,
    // The SMTP test server listens on loopback, where email goes only by this setting.
    allowPrivateHosts: true,
    nowMs,
    log: capture().log,
    random: () => 0.5,
    ...options,
  });
}

/** Every row of every meeting given, as JSON, for "no secret anywhere" checks. */
export async function storedRows(meetingKeys: readonly string[]): Promise<string> {
  const rows = await Promise.all(meetingKeys.map((key) => store.listForMeeting(key)));
  return JSON.stringify(rows.flat());
}

/** The tags in an HTML part, by name, sorted: what a test compares with the tags we write. */
export function htmlTagNames(html: string): string[] {
  return [
    ...new Set([...html.matchAll(/<\/?([A-Za-z!][A-Za-z0-9]*)/gu)].map((match) => match[1] ?? "")),
  ].sort();
}

/** Every tag the digest email writes when its agenda link is safe to link ("a" only then). */
export const DIGEST_EMAIL_TAGS = [
  "!DOCTYPE",
  "a",
  "body",
  "div",
  "h1",
  "h2",
  "head",
  "html",
  "li",
  "meta",
  "ol",
  "p",
  "title",
];
