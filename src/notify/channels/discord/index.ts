// The Discord channel: embeds posted as JSON to an execute-webhook URL, pinging no one.
import type { ChannelModule } from "../channel";
import { overCap } from "../channel";
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
  embedCharacters,
} from "./digest";
import { rollupDiscordPayload } from "./rollup";

function problems(payload: DiscordPayload): string[] {
  const embeds = payload.embeds ?? [];
  return [
    ...overCap("embeds", embeds.length, DISCORD_MAX_EMBEDS),
    ...overCap("embed characters", embedCharacters(embeds), DISCORD_MAX_EMBED_TOTAL),
    ...overCap("content", (payload.content ?? "").length, DISCORD_MAX_CONTENT),
    ...embeds.flatMap((embed, index) => [
      ...overCap(`embed ${index} title`, (embed.title ?? "").length, DISCORD_MAX_TITLE),
      ...overCap(`embed ${index} description`, (embed.description ?? "").length, DISCORD_MAX_DESCRIPTION),
      ...overCap(`embed ${index} fields`, (embed.fields ?? []).length, DISCORD_MAX_FIELDS),
      ...(embed.fields ?? []).flatMap((field, at) => [
        ...overCap(`embed ${index} field ${at} name`, field.name.length, DISCORD_MAX_FIELD_NAME),
        ...overCap(`embed ${index} field ${at} value`, field.value.length, DISCORD_MAX_FIELD_VALUE),
        // Discord refuses an empty field value.
        ...(field.value.length === 0 ? [`embed ${index} field ${at} value: empty`] : []),
      ]),
    ]),
  ];
}

export const discord = {
  digest: discordPayload,
  rollup: rollupDiscordPayload,
  limits: {
    caps: {
      embeds: DISCORD_MAX_EMBEDS,
      fields: DISCORD_MAX_FIELDS,
      title: DISCORD_MAX_TITLE,
      description: DISCORD_MAX_DESCRIPTION,
      fieldName: DISCORD_MAX_FIELD_NAME,
      fieldValue: DISCORD_MAX_FIELD_VALUE,
      embedTotal: DISCORD_MAX_EMBED_TOTAL,
      content: DISCORD_MAX_CONTENT,
    },
    problems,
  },
  sender: jsonWebhookSender,
} satisfies ChannelModule<DiscordPayload>;
