// Owns the work messages: what the cron tick hands to the queue's consumers (one message per meeting to
// prepare, one per meeting owed a live-sync pass, one per digest delivery to send), their schema (a
// consumer parses every body before acting on it), and the two ways they travel: a Cloudflare Queue, or
// handled at once in the same invocation (a deployment without a queue binding, and the tests, which run
// a tick on their own clock).
import * as z from "zod";
import { pairIdSchema } from "../domain/pair-id";
import { countQueueSend } from "../lib/budget";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const workMessageSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("prepare"),
    pairId: pairIdSchema,
    /** The meeting's local date, `YYYY-MM-DD`. */
    date: z.string().regex(DATE, 'must be a date "YYYY-MM-DD"'),
    /** The tick's scheduled time the meeting was found due at (epoch ms): what is due goes by it. */
    plannedAt: z.number().int().nonnegative(),
  }),
  z.strictObject({
    /** One live-sync pass over a meeting whose previous agenda may have changed. */
    kind: z.literal("sync"),
    pairId: pairIdSchema,
    date: z.string().regex(DATE, 'must be a date "YYYY-MM-DD"'),
  }),
  z.strictObject({
    kind: z.literal("deliver"),
    deliveryId: z.string().regex(/^dlv_[0-9a-f]{64}$/, "must be a delivery id"),
  }),
]);

export type WorkMessage = z.infer<typeof workMessageSchema>;

/** A message as a consumer sees it: Cloudflare's `Message` has this shape. */
export interface WorkEnvelope {
  readonly id: string;
  readonly body: unknown;
  /** Deliveries of this message so far, this one included. */
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/** Where work is sent. */
export interface WorkQueue {
  send(messages: readonly WorkMessage[]): Promise<void>;
}

/** Cloudflare's limit on messages per `sendBatch` call. */
const SEND_BATCH_LIMIT = 100;

/** A Cloudflare Queue: messages go in batches of up to 100, one subrequest each. */
export function cloudflareQueue(queue: Queue<WorkMessage>): WorkQueue {
  return {
    async send(messages) {
      for (let start = 0; start < messages.length; start += SEND_BATCH_LIMIT) {
        const chunk = messages.slice(start, start + SEND_BATCH_LIMIT);
        countQueueSend();
        await queue.sendBatch(chunk.map((body) => ({ body, contentType: "json" as const })));
      }
    },
  };
}

/**
 * Work handled where it is sent, before `send` returns: messages a handler sends in turn are handled
 * too. A retry asked for is left to the next tick, which plans again whatever is still owed.
 */
export function inlineQueue(handle: (batch: readonly WorkEnvelope[]) => Promise<void>): WorkQueue {
  return {
    async send(messages) {
      if (messages.length === 0) return;
      await handle(
        messages.map((body) => ({
          id: crypto.randomUUID(),
          body,
          attempts: 1,
          ack: () => {},
          retry: () => {},
        })),
      );
    },
  };
}

/** What a dead letter is about: the meeting or the delivery, so repeats of one problem share a row. */
export function subjectOf(message: WorkMessage): string {
  switch (message.kind) {
    case "prepare":
      return `meeting:${message.pairId}/${message.date}`;
    case "sync":
      return `sync:${message.pairId}/${message.date}`;
    case "deliver":
      return `delivery:${message.deliveryId}`;
  }
}
