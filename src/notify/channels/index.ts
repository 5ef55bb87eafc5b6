// The digest channels, one line each. A channel is a folder beside this file exporting its module (see
// ./channel.ts): its digest and roll-up layouts, their limits and its sender. Adding a channel: its name in
// domain/channels.ts (the config schema reads it there), its folder, and its line below; until the line
// is written, `satisfies` fails to compile.
import type { DigestChannelName } from "../../domain/channels";
import type { ChannelModule, LayoutOutput } from "./channel";
import { discord } from "./discord";
import { email } from "./email";
import { googleChat } from "./google-chat";
import { slack } from "./slack";
import { teams } from "./teams";
import { webhook } from "./webhook";

export const CHANNELS = {
  slack,
  teams,
  discord,
  "google-chat": googleChat,
  webhook,
  email,
} satisfies { [Name in DigestChannelName]: ChannelModule<LayoutOutput<Name>> };

/** One of a channel's two layouts, picked from any channel's module: a meeting's digest or a roll-up. */
export interface Layout<Subject> {
  of<DigestPayload, RollupPayload>(
    channel: ChannelModule<DigestPayload, RollupPayload>,
  ): (subject: Subject) => DigestPayload | RollupPayload;
}
