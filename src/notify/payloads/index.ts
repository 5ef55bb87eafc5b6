// One pure payload builder per digest channel; senders (built separately) import from here.
export { type DiscordPayload, discordPayload } from "./discord";
export { type GoogleChatPayload, googleChatPayload } from "./google-chat";
export { type SlackPayload, slackPayload } from "./slack";
export { type TeamsPayload, teamsPayload } from "./teams";
export { type WebhookPayload, webhookPayload, webhookPayloadSchema } from "./webhook";
