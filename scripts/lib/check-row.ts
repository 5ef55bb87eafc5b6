// Owns the shape of one pair's set-up checks as the Worker answers them (src/jobs/doctor.ts
// `PairCheckRow`): a row of `GET /admin/doctor` and the answer of `POST /admin/setup/check`. The doctor's
// table and the set-up both read it from here, so a moved field fails in one place, by name.
import { z } from "zod";

const checkResultSchema = z.object({
  status: z.enum(["ok", "problem", "skipped"]),
  summary: z.string(),
  fixes: z.array(z.string()),
});

export const pairCheckRowSchema = z.object({
  pairId: z.string(),
  destination: checkResultSchema,
  properties: checkResultSchema,
  channels: checkResultSchema,
  nextMeeting: z.object({ date: z.string(), startsAt: z.string() }).nullable(),
});

export type CheckResult = z.infer<typeof checkResultSchema>;
export type PairCheckRow = z.infer<typeof pairCheckRowSchema>;
