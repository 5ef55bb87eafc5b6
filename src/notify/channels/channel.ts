// What a digest channel is to the rest of the Worker: its two layouts (a meeting's digest and a manager's
// weekly roll-up), the caps those layouts keep within, and its sender (how a delivery is posted). Each
// channel's folder exports one of these; the registry (./index.ts) lists them by name.
import type { Digest } from "../../domain/digest";
import type { Rollup } from "../../domain/rollup";
import type { EmailContent } from "../email/content";
import type { Sender } from "./senders";

/**
 * One digest channel. `DigestPayload` and `RollupPayload` are the layouts' bodies: JSON for the webhook
 * channels, the message content (subject, text, HTML) for email.
 */
export interface ChannelModule<DigestPayload, RollupPayload = DigestPayload> {
  /** The body for one meeting's digest. Pure. */
  digest(digest: Digest): DigestPayload;
  /** The body for a manager's weekly roll-up. Pure. */
  rollup(rollup: Rollup): RollupPayload;
  /** The vendor's documented caps (and our own budgets under them) its layouts keep within, by name. */
  limits: Readonly<Record<string, number>>;
  sender: Sender;
}

/** What a channel's layouts give: JSON for a webhook channel, the message content for email. */
export type LayoutOutput<Name extends string> = Name extends "email" ? EmailContent : unknown;
