// What the browser tests' stack (stack.ts, its own process) tells the run once it is ready: one line on
// its stdout, READY followed by this as JSON.
import { z } from "zod";

/** What the tests get: where the stack is, and the ids of what was seeded. */
export const stackInfoSchema = z.object({
  workerUrl: z.string(),
  adminToken: z.string(),
  healthyPairId: z.string(),
  failedPairId: z.string(),
  /** The healthy pair's first agenda's meeting, and its digest's failed delivery. */
  healthyMeetingKey: z.string(),
  failedDeliveryId: z.string(),
  /** The dead letter waiting for a replay, and the pair it is about. */
  deadLetterSubject: z.string(),
  deadLetterPairId: z.string(),
});
export type StackInfo = z.infer<typeof stackInfoSchema>;

export const READY = "READY ";
