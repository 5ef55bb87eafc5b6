// Where a digest goes: one entry per channel in a pair's (or a roll-up's) config. Only the NAME of a
// Worker secret or binding is stored; the webhook URL, signing secret or SMTP password stays in Worker
// secrets, so D1, the admin API and the logs never hold one.
import * as z from "zod";
import { MAX_CHANNELS, MAX_EMAIL_LENGTH, MAX_RECIPIENTS, MAX_SECRET_NAME_LENGTH } from "./limits";
import { RESERVED_BINDING_NAMES } from "./reserved-names";

/**
 * Every digest channel, by the name a config gives it: the one list. The outbox's rows, the channel
 * registry (notify/channels/index.ts) and the setup wizard derive theirs from it.
 */
export const DIGEST_CHANNEL_NAMES = ["slack", "teams", "discord", "google-chat", "webhook", "email"] as const;
export type DigestChannelName = (typeof DIGEST_CHANNEL_NAMES)[number];

/** The channels whose config names a secret holding a webhook URL: all but email. */
const webhookChannelName = z.enum(DIGEST_CHANNEL_NAMES).exclude(["email"]);
export type WebhookChannel = z.infer<typeof webhookChannelName>;

/** A generic webhook's signing key lives in `<secret>` + this suffix (see notify/channels/senders.ts). */
export const SIGNING_SECRET_SUFFIX = "_SIGNING_SECRET";

// The shape check comes first and alone: a value pasted by mistake must not be echoed by later checks.
const secretName = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, {
    error: "must be the NAME of a Worker secret or binding (upper case), never its value",
    abort: true,
  })
  .max(MAX_SECRET_NAME_LENGTH, `must be at most ${MAX_SECRET_NAME_LENGTH} characters`)
  .refine((name) => !RESERVED_BINDING_NAMES.has(name), {
    error: (issue) =>
      `${String(issue.input)} is a binding the Worker itself uses; name a secret of this channel's own`,
  })
  .refine((name) => !name.endsWith(SIGNING_SECRET_SUFFIX), {
    error: `names ending in ${SIGNING_SECRET_SUFFIX} hold a webhook's signing key, not a channel's address`,
  });

export const emailAddressSchema = z
  .string({ error: "must be an email address" })
  .max(MAX_EMAIL_LENGTH, `must be at most ${MAX_EMAIL_LENGTH} characters`)
  .pipe(z.email("must be an email address"));

const webhookChannelSchema = z.strictObject({
  channel: webhookChannelName,
  /** The secret holding the webhook URL; a generic `webhook` also needs `<secret>_SIGNING_SECRET`. */
  secret: secretName,
});

const emailChannelSchema = z.strictObject({
  channel: z.literal("email"),
  /** Cloudflare's send_email binding (its name in `secret`), or an SMTP server (its URL in the secret). */
  via: z.enum(["cloudflare", "smtp"]),
  secret: secretName,
  from: z.strictObject({
    email: emailAddressSchema,
    name: z.string().trim().min(1).max(100).optional(),
  }),
  /** Recipients; when omitted, the people the digest is about (both of a pair, the manager of a roll-up). */
  to: z
    .array(emailAddressSchema)
    .min(1, "must list at least one address")
    .max(MAX_RECIPIENTS, `must list at most ${MAX_RECIPIENTS} addresses`)
    .optional(),
});

export const digestChannelSchema = z.discriminatedUnion("channel", [
  webhookChannelSchema,
  emailChannelSchema,
]);

/** A pair's or a roll-up's list of channels, bounded so one config cannot hold a tick's whole budget. */
export function digestChannelsSchema(atLeast: number) {
  return z
    .array(digestChannelSchema)
    .min(atLeast, "must list at least one channel")
    .max(MAX_CHANNELS, `must list at most ${MAX_CHANNELS} channels`);
}

export type DigestChannel = z.infer<typeof digestChannelSchema>;

/**
 * The channel's name within its config; with the digest's key it derives the delivery id. Email channels
 * that share a server but not recipients are different channels (one per person, so a refused address
 * holds back nobody else). A meeting's digests are enqueued once, so editing a channel later never sends
 * that meeting's digest again.
 */
export function channelKey(channel: DigestChannel): string {
  if (channel.channel !== "email") return `${channel.channel}:${channel.secret}`;
  const to =
    channel.to === undefined
      ? ""
      : `:${[...channel.to]
          .map((email) => email.toLowerCase())
          .sort()
          .join(",")}`;
  return `email:${channel.via}:${channel.secret}${to}`;
}

/** "digests.1: sends to slack:ACME_SLACK_URL like digests.0" for every repeated channel. */
export function duplicateChannelProblems(
  channels: readonly DigestChannel[],
): { index: number; message: string }[] {
  const seen = new Map<string, number>();
  const problems: { index: number; message: string }[] = [];
  channels.forEach((channel, index) => {
    const key = channelKey(channel);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else problems.push({ index, message: `sends to ${key} like entry ${first}; list each channel once` });
  });
  return problems;
}
