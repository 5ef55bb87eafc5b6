// Turns "this digest, to this channel" into the outbox row that will carry it: the channel's payload
// serialised once (every attempt sends the same bytes), the secret or binding NAME it is sent with, and
// the channel key that, with the digest's key, fixes the delivery id. The meeting digest and the weekly
// roll-up differ only in their renderers.
import type { DigestChannel } from "../domain/channels";
import { channelKey } from "../domain/channels";
import type { DeliveryChannel } from "../store/deliveries";
import type { EmailContent } from "./email/content";
import type { Mailbox } from "./email/message";
import { emailMessagePayload } from "./email/message";

/** One layout per channel for one kind of digest. */
export interface Renderers<Subject> {
  slack(subject: Subject): unknown;
  teams(subject: Subject): unknown;
  discord(subject: Subject): unknown;
  "google-chat"(subject: Subject): unknown;
  webhook(subject: Subject): unknown;
  email(subject: Subject): EmailContent;
}

export interface OutboxEntry {
  channelKey: string;
  channel: DeliveryChannel;
  secretName: string;
  payload: string;
}

/**
 * The outbox entry for `subject` on `channel`. Email goes to the channel's own recipients, or else to
 * `people` (whom the digest is about).
 */
export function outboxEntry<Subject>(
  renderers: Renderers<Subject>,
  subject: Subject,
  channel: DigestChannel,
  people: readonly Mailbox[],
): OutboxEntry {
  const base = { channelKey: channelKey(channel), channel: channel.channel, secretName: channel.secret };
  if (channel.channel === "email") {
    const to = channel.to?.map((email) => ({ email })) ?? [...people];
    return {
      ...base,
      payload: emailMessagePayload(renderers.email(subject), { via: channel.via, from: channel.from, to }),
    };
  }
  return { ...base, payload: JSON.stringify(renderers[channel.channel](subject)) };
}
