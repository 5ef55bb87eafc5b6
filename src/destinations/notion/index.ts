// The Notion destination's public face: what the jobs, the pair schema and the benchmark import.
export { createNotionClient, type NotionClient, type NotionClientOptions } from "./client";
export {
  type NotionDestinationConfig,
  type NotionDestinationInput,
  normalizeNotionId,
  notionDestinationSchema,
} from "./config";
export { createNotionDestination, type NotionDestinationOptions } from "./destination";
