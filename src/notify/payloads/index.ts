// One pure payload builder per digest channel; senders (built separately) import from here. The
// rollup-* modules beside them lay out a manager's weekly roll-up (../rollup.ts) for the same channels.
export { discordPayload } from "./discord";
export { googleChatPayload } from "./google-chat";
export { slackPayload } from "./slack";
export { teamsPayload } from "./teams";
export { webhookPayload, webhookPayloadSchema } from "./webhook";
