// The Google Docs destination's public face: what the jobs, the pair schema and the benchmark import.
export { GOOGLE_SCOPES, parseServiceAccountKey, type ServiceAccountKey } from "./auth";
export {
  createGoogleClient,
  DEFAULT_GOOGLE_QUOTAS,
  ENDPOINTS as GOOGLE_ENDPOINTS,
  type GoogleClient,
  type GoogleClientOptions,
} from "./client";
export {
  type GoogleDocsDestinationConfig,
  type GoogleDocsDestinationInput,
  googleDocsDestinationSchema,
  normalizeDocumentId,
  normalizeFolderId,
} from "./config";
export { createGoogleDocsDestination, type GoogleDocsDestinationOptions } from "./destination";
