// Owns the set-up check of a pair's digest channels (the doctor): every secret a channel names exists in
// the Worker's env and holds the kind of value its sender needs, judged by the senders' own rules (the
// address rule, the Standard Webhooks signing secret, the SMTP URL, the send_email binding) plus the
// shape of each vendor's webhook URLs. A secret's value is never quoted: problems name the secret only.
import type { DigestChannel, WebhookChannel } from "../domain/channels";
import { SIGNING_SECRET_SUFFIX } from "../domain/channels";
import { checkDigestHost, checkDigestUrl, nonPublicHostKind } from "./address-rule";
import { isSendEmailBinding } from "./email/cloudflare";
import { parseSmtpUrl } from "./email/smtp-url";
import { parseSigningSecret, SigningSecretError } from "./standard-webhooks";

export interface ChannelEnv {
  secret(name: string): string | undefined;
  binding(name: string): unknown;
  allowPrivateHosts: boolean;
}

/** One channel's finding: null when it is ready, otherwise the problem and its fix. */
export interface ChannelProblem {
  problem: string;
  fix: string;
}

/** Where each vendor's incoming webhooks live, and how a person recognises one. */
const VENDOR_URLS: Readonly<
  Record<Exclude<WebhookChannel, "webhook">, { matches: (url: URL) => boolean; shape: string; name: string }>
> = {
  slack: {
    name: "Slack",
    shape: "https://hooks.slack.com/services/…",
    matches: (url) =>
      /^hooks\.slack(?:-gov)?\.com$/.test(url.hostname) && url.pathname.startsWith("/services/"),
  },
  discord: {
    name: "Discord",
    shape: "https://discord.com/api/webhooks/…",
    matches: (url) =>
      /^(?:(?:ptb|canary)\.)?discord(?:app)?\.com$/.test(url.hostname) &&
      /^\/api\/(?:v\d+\/)?webhooks\//.test(url.pathname),
  },
  teams: {
    name: "Microsoft Teams",
    shape:
      "a Teams Workflows URL (https://….logic.azure.com/… or …powerplatform.com/…) or an incoming webhook (https://….webhook.office.com/…)",
    matches: (url) =>
      /(?:^|\.)(?:webhook\.office\.com|logic\.azure\.com|api\.powerplatform\.com)$/.test(url.hostname),
  },
  "google-chat": {
    name: "Google Chat",
    shape: "https://chat.googleapis.com/v1/spaces/…/messages?key=…",
    matches: (url) =>
      url.hostname === "chat.googleapis.com" && /^\/v1\/spaces\/[^/]+\/messages$/.test(url.pathname),
  },
};

function putSecret(name: string): string {
  return `wrangler secret put ${name}`;
}

/** A webhook channel's URL secret, as the HTTP sender will read it. */
function checkWebhookUrl(channel: WebhookChannel, name: string, env: ChannelEnv): ChannelProblem | null {
  const value = env.secret(name)?.trim();
  if (value === undefined || value === "") {
    return {
      problem: `secret ${name} is not set`,
      fix: `Set ${name} to the channel's webhook URL: ${putSecret(name)}.`,
    };
  }
  const allowed = checkDigestUrl(value, env.allowPrivateHosts);
  if (!allowed.ok) {
    return {
      problem: `secret ${name} ${allowed.problem}`,
      fix: `Set ${name} to the channel's https:// webhook URL: ${putSecret(name)}.`,
    };
  }
  if (channel === "webhook") return null;
  const url = new URL(value);
  // The local stack's receivers stand in for every vendor; any other host must be the vendor's own.
  if (env.allowPrivateHosts && nonPublicHostKind(url.hostname) !== null) return null;
  const vendor = VENDOR_URLS[channel];
  if (vendor.matches(url)) return null;
  return {
    problem: `secret ${name} holds a URL that is not a ${vendor.name} webhook`,
    fix: `Set ${name} to the ${vendor.name} webhook URL (${vendor.shape}): ${putSecret(name)}.`,
  };
}

/** A generic webhook's signing secret, as the outbox will read it to sign. */
function checkSigningSecret(name: string, env: ChannelEnv): ChannelProblem | null {
  const signing = `${name}${SIGNING_SECRET_SUFFIX}`;
  const value = env.secret(signing);
  const fix = `Set ${signing} to the receiver's Standard Webhooks secret (whsec_ followed by base64): ${putSecret(signing)}.`;
  if (value === undefined || value.trim() === "") return { problem: `secret ${signing} is not set`, fix };
  try {
    parseSigningSecret(value, `secret ${signing}`);
    return null;
  } catch (error) {
    return {
      problem: error instanceof SigningSecretError ? error.message : `secret ${signing} is not usable`,
      fix,
    };
  }
}

/** One channel; null when it is ready. */
function checkChannel(channel: DigestChannel, env: ChannelEnv): ChannelProblem | null {
  if (channel.channel !== "email") {
    return (
      checkWebhookUrl(channel.channel, channel.secret, env) ??
      (channel.channel === "webhook" ? checkSigningSecret(channel.secret, env) : null)
    );
  }
  const name = channel.secret;
  if (channel.via === "cloudflare") {
    const binding = env.binding(name);
    if (isSendEmailBinding(binding)) return null;
    return {
      problem:
        binding === undefined
          ? `binding ${name} is not available to the Worker`
          : `binding ${name} is not a send_email binding`,
      fix: `Add a [[send_email]] binding named ${name} to wrangler.toml and deploy.`,
    };
  }
  const value = env.secret(name);
  const fix = `Set ${name} to the SMTP server's URL (smtps://user:password@host:465 or smtp://user:password@host:587): ${putSecret(name)}.`;
  if (value === undefined || value.trim() === "") return { problem: `secret ${name} is not set`, fix };
  const parsed = parseSmtpUrl(value, name);
  if (!parsed.ok) return { problem: parsed.reason, fix };
  const host = checkDigestHost(parsed.settings.hostname, env.allowPrivateHosts);
  return host.ok ? null : { problem: `secret ${name} ${host.problem}`, fix };
}

/** Every channel of a pair, each by its place in the list: `digests.0 (slack:ACME_SLACK_URL): …`. */
export function checkChannels(
  channels: readonly DigestChannel[],
  env: ChannelEnv,
): { ready: string[]; problems: ChannelProblem[] } {
  const ready: string[] = [];
  const problems: ChannelProblem[] = [];
  channels.forEach((channel, index) => {
    const label = `${channel.channel === "email" ? `email (${channel.via})` : channel.channel}:${channel.secret}`;
    const found = checkChannel(channel, env);
    if (found === null) ready.push(label);
    else problems.push({ problem: `digests.${index} (${label}): ${found.problem}`, fix: found.fix });
  });
  return { ready, problems };
}
