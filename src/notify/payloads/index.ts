// One pure payload builder per digest channel; senders (built separately) import from here. The
// rollup* builders lay out a manager's weekly roll-up (../rollup.ts) for the same channels.
export { type DiscordPayload, discordPayload } from "./discord";
export { type GoogleChatPayload, googleChatPayload } from "./google-chat";
export { rollupDiscordPayload } from "./rollup-discord";
export { rollupEmailContent } from "./rollup-email";
export { type GoogleChatRollupPayload, rollupGoogleChatPayload } from "./rollup-google-chat";
export { rollupSlackPayload } from "./rollup-slack";
export { rollupTeamsPayload, type TeamsRollupPayload } from "./rollup-teams";
export {
  type RollupWebhookPayload,
  rollupWebhookPayload,
  rollupWebhookPayloadSchema,
} from "./rollup-webhook";
export { type SlackPayload, slackPayload } from "./slack";
export { type TeamsPayload, teamsPayload } from "./teams";
export { type WebhookPayload, webhookPayload, webhookPayloadSchema } from "./webhook";
