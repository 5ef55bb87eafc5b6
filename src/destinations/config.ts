// Which destination a pair writes to, as one schema: the `kind` field picks Notion or Google Docs, and
// each kind's own schema names its fields' problems.
import * as z from "zod";
import { googleDocsDestinationSchema } from "./google/config";
import { notionDestinationSchema } from "./notion/config";

export const destinationSchema = z.discriminatedUnion(
  "kind",
  [notionDestinationSchema, googleDocsDestinationSchema],
  {
    error: (issue) =>
      issue.code === "invalid_union"
        ? 'kind must be "notion" or "google-docs" (where this pair\'s agendas live)'
        : undefined,
  },
);

export type DestinationConfig = z.output<typeof destinationSchema>;
