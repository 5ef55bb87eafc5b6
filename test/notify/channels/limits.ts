// Each channel's payload checked against the caps its module declares (and, for the generic webhook,
// its published schema): what in a built payload breaks one, in words. Test-side, so the Worker ships
// the layouts, which keep within the caps by construction, and not a second check of them.
import type { DigestChannelName } from "../../../src/domain/channels";
import type { DiscordPayload } from "../../../src/notify/channels/discord/digest";
import { embedCharacters } from "../../../src/notify/channels/discord/digest";
import type { GoogleChatPayload } from "../../../src/notify/channels/google-chat/digest";
import type { GoogleChatRollupPayload } from "../../../src/notify/channels/google-chat/rollup";
import { CHANNELS } from "../../../src/notify/channels/index";
import type { SlackPayload } from "../../../src/notify/channels/slack/digest";
import { payloadBytes } from "../../../src/notify/channels/text";
import type { WebhookPayload } from "../../../src/notify/channels/webhook/digest";
import { webhookPayloadSchema } from "../../../src/notify/channels/webhook/digest";
import type { RollupWebhookPayload } from "../../../src/notify/channels/webhook/rollup";
import { rollupWebhookPayloadSchema } from "../../../src/notify/channels/webhook/rollup";
import type { EmailContent } from "../../../src/notify/email/content";
import { htmlBytes } from "../../../src/notify/email/html";

/** Within a cap, or a problem naming it: "blocks: 51 > 50". */
function overCap(what: string, value: number, cap: number): string[] {
  return value <= cap ? [] : [`${what}: ${value} > ${cap}`];
}

function slackProblems(payload: SlackPayload): string[] {
  const caps = CHANNELS.slack.limits;
  return [
    ...overCap("blocks", payload.blocks.length, caps.blocks),
    ...overCap("fallback text", payload.text.length, caps.fallbackText),
    ...payload.blocks.flatMap((block, index) => {
      if (block.type === "header") return overCap(`header ${index}`, block.text.text.length, caps.headerText);
      if (block.type === "section" && block.text !== undefined) {
        return overCap(`section ${index}`, block.text.text.length, caps.sectionText);
      }
      return [];
    }),
  ];
}

function teamsProblems(payload: unknown): string[] {
  return overCap("payload bytes", payloadBytes(payload), CHANNELS.teams.limits.payloadBytes);
}

function discordProblems(payload: DiscordPayload): string[] {
  const caps = CHANNELS.discord.limits;
  const embeds = payload.embeds ?? [];
  return [
    ...overCap("embeds", embeds.length, caps.embeds),
    ...overCap("embed characters", embedCharacters(embeds), caps.embedTotal),
    ...overCap("content", (payload.content ?? "").length, caps.content),
    ...embeds.flatMap((embed, index) => [
      ...overCap(`embed ${index} title`, (embed.title ?? "").length, caps.title),
      ...overCap(`embed ${index} description`, (embed.description ?? "").length, caps.description),
      ...overCap(`embed ${index} fields`, (embed.fields ?? []).length, caps.fields),
      ...(embed.fields ?? []).flatMap((field, at) => [
        ...overCap(`embed ${index} field ${at} name`, field.name.length, caps.fieldName),
        ...overCap(`embed ${index} field ${at} value`, field.value.length, caps.fieldValue),
        // Discord refuses an empty field value.
        ...(field.value.length === 0 ? [`embed ${index} field ${at} value: empty`] : []),
      ]),
    ]),
  ];
}

function googleChatProblems(payload: GoogleChatPayload | GoogleChatRollupPayload): string[] {
  const caps = CHANNELS["google-chat"].limits;
  const sections: readonly { widgets: readonly unknown[] }[] = payload.cardsV2[0].card.sections;
  const widgets = sections.reduce((sum, section) => sum + section.widgets.length, 0);
  return [
    ...overCap("message bytes", payloadBytes(payload), caps.messageBytes),
    ...overCap("widgets", widgets, caps.widgets),
    ...overCap("text", payload.text.length, caps.text),
  ];
}

function webhookProblems(payload: WebhookPayload | RollupWebhookPayload): string[] {
  const schema = payload.type === "agenda.prepared" ? webhookPayloadSchema : rollupWebhookPayloadSchema;
  const parsed = schema.safeParse(payload);
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

function emailProblems(content: EmailContent): string[] {
  return [
    ...overCap("html bytes", htmlBytes(content.html), CHANNELS.email.limits.htmlBytes),
    ...(/[\r\n]/u.test(content.subject) ? ["subject: more than one line"] : []),
  ];
}

/** One check per channel: a channel without one fails to compile. */
export const LIMIT_CHECKS = {
  slack: slackProblems,
  teams: teamsProblems,
  discord: discordProblems,
  "google-chat": googleChatProblems,
  webhook: webhookProblems,
  email: emailProblems,
} satisfies { [Name in DigestChannelName]: (payload: never) => string[] };
