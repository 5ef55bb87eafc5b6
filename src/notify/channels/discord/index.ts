// The Discord channel: embeds posted as JSON to an execute-webhook URL, pinging no one.
import type { ChannelModule } from "../channel";
import { jsonWebhookSender } from "../senders";
import {
  DISCORD_MAX_CONTENT,
  DISCORD_MAX_DESCRIPTION,
  DISCORD_MAX_EMBED_TOTAL,
  DISCORD_MAX_EMBEDS,
  DISCORD_MAX_FIELD_NAME,
  DISCORD_MAX_FIELD_VALUE,
  DISCORD_MAX_FIELDS,
  DISCORD_MAX_TITLE,
  type DiscordPayload,
  discordPayload,
} from "./digest";
import { rollupDiscordPayload } from "./rollup";

export const discord = {
  digest: discordPayload,
  rollup: rollupDiscordPayload,
  limits: {
    embeds: DISCORD_MAX_EMBEDS,
    fields: DISCORD_MAX_FIELDS,
    title: DISCORD_MAX_TITLE,
    description: DISCORD_MAX_DESCRIPTION,
    fieldName: DISCORD_MAX_FIELD_NAME,
    fieldValue: DISCORD_MAX_FIELD_VALUE,
    embedTotal: DISCORD_MAX_EMBED_TOTAL,
    content: DISCORD_MAX_CONTENT,
  },
  sender: jsonWebhookSender,
} satisfies ChannelModule<DiscordPayload>;
