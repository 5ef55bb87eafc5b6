// Turns "this digest, to this channel" into the outbox row that will carry it: the channel's payload
// serialised once (every attempt sends the same bytes), the secret or binding NAME it is sent with, and
// the channel key that, with the digest's key, fixes the delivery id. The meeting digest and the weekly
// roll-up differ only in which of each channel's layouts they use.
import type { DigestChannel, DigestChannelName } from "../domain/channels";
import { channelKey } from "../domain/channels";
import type { ChannelModule } from "./channels/channel";
import type { Layout } from "./channels/index";
import { CHANNELS } from "./channels/index";
import type { Mailbox } from "./email/message";
import { emailMessagePayload } from "./email/message";

export interface OutboxEntry {
  channelKey: string;
  channel: DigestChannelName;
  secretName: string;
  payload: string;
}

/**
 * The outbox entry for `subject` on `channel`, laid out by `layout`. Email goes to the channel's own
 * recipients, or else to `people` (whom the digest is about).
 */
export function outboxEntry<Subject>(
  layout: Layout<Subject>,
  subject: Subject,
  channel: DigestChannel,
  people: readonly Mailbox[],
): OutboxEntry {
  const base = { channelKey: channelKey(channel), channel: channel.channel, secretName: channel.secret };
  if (channel.channel === "email") {
    const to = channel.to?.map((email) => ({ email })) ?? [...people];
    const content = layout.of(CHANNELS.email)(subject);
    return { ...base, payload: emailMessagePayload(content, { via: channel.via, from: channel.from, to }) };
  }
  const module: ChannelModule<unknown> = CHANNELS[channel.channel];
  return { ...base, payload: JSON.stringify(layout.of(module)(subject)) };
}
