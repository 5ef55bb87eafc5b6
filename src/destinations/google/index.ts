// The Google Docs destination's public face: what the runtime and the set-up route import.
export { parseServiceAccountKey } from "./auth";
export { createGoogleClient, type GoogleClient } from "./client";
export { createGoogleDocsDestination } from "./destination";
