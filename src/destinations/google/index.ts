// The Google Docs destination's public face: what the runtime and the set-up route import.
export { parseServiceAccountKey } from "./api/auth";
export { createGoogleClient, type GoogleClient } from "./api/client";
export { createGoogleDocsDestination } from "./destination";
