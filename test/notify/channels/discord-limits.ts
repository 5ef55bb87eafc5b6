// Discord's webhook body checked on any payload we build (meeting digest or roll-up): against the JSON
// Schema generated from discord-api-types, and against the documented limits those types cannot
// express. And the embed fields flattened for assertions.
import type { APIEmbedField } from "discord-api-types/v10";
import { expect } from "vitest";
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
  embedCharacters,
} from "../../../src/notify/channels/discord/digest";
import { discordBodyProblems } from "./vendor-schemas";

export function expectWithinDiscordLimits(payload: DiscordPayload): void {
  expect(discordBodyProblems(payload)).toEqual([]);
  const embeds = payload.embeds ?? [];
  expect(embeds.length).toBeGreaterThan(0);
  expect(embeds.length).toBeLessThanOrEqual(DISCORD_MAX_EMBEDS);
  expect(embedCharacters(embeds)).toBeLessThanOrEqual(DISCORD_MAX_EMBED_TOTAL);
  expect((payload.content ?? "").length).toBeLessThanOrEqual(DISCORD_MAX_CONTENT);
  for (const embed of embeds) {
    expect((embed.title ?? "").length).toBeLessThanOrEqual(DISCORD_MAX_TITLE);
    expect((embed.description ?? "").length).toBeLessThanOrEqual(DISCORD_MAX_DESCRIPTION);
    expect((embed.fields ?? []).length).toBeLessThanOrEqual(DISCORD_MAX_FIELDS);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeLessThanOrEqual(DISCORD_MAX_FIELD_NAME);
      // Discord refuses an empty field value.
      expect(field.value.length).toBeGreaterThan(0);
      expect(field.value.length).toBeLessThanOrEqual(DISCORD_MAX_FIELD_VALUE);
    }
  }
  // No digest may ping anyone, whatever its text says.
  expect(payload.allowed_mentions).toEqual({ parse: [] });
}

export function embedFields(payload: DiscordPayload): APIEmbedField[] {
  return (payload.embeds ?? []).flatMap((embed) => embed.fields ?? []);
}
