// Owns reading the demo's pairs file: the document as written (sent to the Worker untouched, so the
// Worker's own validation is what judges it) and the few fields the demo itself needs to seed Notion,
// pick cron ticks and find the digests that arrived, checked here with zod.
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { DigestChannel } from "../../../src/domain/channels";
import { digestChannelSchema } from "../../../src/domain/channels";
import type { Schedule } from "../../../src/domain/schedule";
import { scheduleSchema } from "../../../src/domain/schedule";
import { ScriptError } from "../run";

const personSchema = z.looseObject({
  name: z.string(),
  email: z.string(),
  // The demo mentions people in its seeded agendas, so it needs their Notion user ids.
  notionUserId: z.string(),
});

const demoPairSchema = z.looseObject({
  id: z.string(),
  manager: personSchema,
  report: personSchema,
  template: z.string().default("weekly"),
  schedule: scheduleSchema,
  carry: z.looseObject({ discussion: z.boolean().default(false) }).default({ discussion: false }),
  digests: z.array(digestChannelSchema).default([]),
  destination: z
    .looseObject({
      dataSourceId: z.string().optional(),
      databaseId: z.string().optional(),
      pairProperty: z.looseObject({ name: z.string(), value: z.string().optional() }).optional(),
    })
    .refine((destination) => destination.dataSourceId !== undefined || destination.databaseId !== undefined, {
      message: "the demo needs dataSourceId or databaseId",
    }),
});

const fileSchema = z.object({ pairs: z.array(demoPairSchema).min(1) });

export type DemoPair = z.infer<typeof demoPairSchema> & { schedule: Schedule; digests: DigestChannel[] };

export interface DemoPairs {
  /** The file's content as parsed, for the bulk import. */
  document: unknown;
  pairs: DemoPair[];
}

export async function readDemoPairs(file: string): Promise<DemoPairs> {
  let document: unknown;
  try {
    document = parseYaml(await readFile(file, "utf8"));
  } catch (error) {
    throw new ScriptError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = fileSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ScriptError(`${file} is not a demo pairs file:\n    - ${problems.join("\n    - ")}`);
  }
  return { document, pairs: parsed.data.pairs };
}
