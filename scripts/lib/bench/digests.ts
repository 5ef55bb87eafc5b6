// Owns the digest figures: for a usual digest (8 items) and a worst case (200 items of 300 characters),
// each channel's payload measured the way its vendor limits it, and how many items it shows before its
// "and N more" line. Pure: the Worker's own builders, run here on made-up digests.
import { buildDigest, type DigestInput } from "../../../src/domain/digest";
import {
  DISCORD_MAX_EMBED_TOTAL,
  discordPayload,
  embedCharacters,
} from "../../../src/notify/channels/discord/digest";
import { emailContent } from "../../../src/notify/channels/email/digest";
import {
  GOOGLE_CHAT_MAX_MESSAGE_BYTES,
  googleChatPayload,
} from "../../../src/notify/channels/google-chat/digest";
import { SLACK_MAX_BLOCKS, slackPayload } from "../../../src/notify/channels/slack/digest";
import { TEAMS_MAX_PAYLOAD_BYTES, teamsPayload } from "../../../src/notify/channels/teams/digest";
import { webhookPayload } from "../../../src/notify/channels/webhook/digest";
import { EMAIL_HTML_BUDGET_BYTES, htmlBytes } from "../../../src/notify/email/html";

interface ChannelFigure {
  channel: string;
  /** The measure the vendor limits, in `unit`. */
  size: number;
  limit: number | null;
  unit: string;
  /** Items listed one by one (the rest are counted in "and N more"). */
  shown: number;
  pass: boolean;
}

export interface DigestFigure {
  items: number;
  channels: ChannelFigure[];
}

const bytes = (value: unknown): number => new TextEncoder().encode(JSON.stringify(value)).length;

function digestWith(items: number, textLength: number) {
  const input: DigestInput = {
    pair: { id: "bench", managerName: "Ada Lovelace", reportName: "Bo Chen", timeZone: "Europe/Berlin" },
    meeting: { date: "2026-12-08", startsAt: "2026-12-08T09:00:00Z" },
    agendaUrl: "https://www.notion.so/1-1-Ada-Lovelace-Bo-Chen-2026-12-08-0123456789abcdef0123456789abcdef",
    carried: Array.from({ length: items }, (_, index) => ({
      text: `Item ${index + 1}: ${"follow up on the migration plan ".repeat(20)}`.slice(0, textLength),
      ownerName: index % 2 === 0 ? "Ada Lovelace" : "Bo Chen",
      dueDate: index % 3 === 0 ? "2026-12-01" : null,
      timesCarried: 1 + (index % 5),
      originDate: "2026-11-03",
    })),
    closedSinceLastMeeting: 3,
  };
  return buildDigest(input);
}

/** Items a payload lists, from its "and N more" words (none means all were listed). */
function shownOf(serialised: string, total: number): number {
  const hidden = /and (\d+) more/u.exec(serialised);
  return hidden?.[1] === undefined ? total : total - Number(hidden[1]);
}

export function measureDigests(items: number, textLength: number): DigestFigure {
  const digest = digestWith(items, textLength);
  const slack = slackPayload(digest);
  const teams = teamsPayload(digest);
  const discord = discordPayload(digest);
  const chat = googleChatPayload(digest);
  const webhook = webhookPayload(digest);
  const email = emailContent(digest);
  // `listing` is the part that lists items (Slack's blocks, not its shorter notification text).
  const figure = (
    channel: string,
    listing: unknown,
    size: number,
    limit: number | null,
    unit: string,
  ): ChannelFigure => ({
    channel,
    size,
    limit,
    unit,
    shown: shownOf(JSON.stringify(listing), items),
    pass: limit === null || size <= limit,
  });
  return {
    items,
    channels: [
      figure("slack", slack.blocks, slack.blocks.length, SLACK_MAX_BLOCKS, "blocks"),
      figure("teams", teams, bytes(teams), TEAMS_MAX_PAYLOAD_BYTES, "bytes"),
      figure(
        "discord",
        discord,
        embedCharacters(discord.embeds ?? []),
        DISCORD_MAX_EMBED_TOTAL,
        "embed characters",
      ),
      figure("google-chat", chat, bytes(chat), GOOGLE_CHAT_MAX_MESSAGE_BYTES, "bytes"),
      figure("webhook", webhook, bytes(webhook), null, "bytes"),
      figure("email", email.html, htmlBytes(email.html), EMAIL_HTML_BUDGET_BYTES, "bytes of HTML"),
    ],
  };
}
