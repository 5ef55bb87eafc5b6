// Owns the Google half of the local stack: the Google emulator (OAuth token endpoint, Docs v1, Drive v3)
// in this process, the service account the Worker acts as, and the Worker vars that point it there. The
// key is a demo value, not a secret: it signs tokens only the local emulator accepts.
import { z } from "zod";
import type { GoogleControl, QuotaSpec, ServiceAccountSpec } from "../../emulators/google/control";
import { googleControl } from "../../emulators/google/control";
import type { GoogleEmulator } from "../../emulators/google/server";
import { startGoogleEmulator } from "../../emulators/google/server";
import { onCleanup, ScriptError } from "./run";

export interface GoogleSide {
  emulator: GoogleEmulator;
  control: GoogleControl;
  /** The service account's email: what documents and folders are shared with. */
  serviceAccount: string;
  /** The Worker's Google bindings: the key JSON and the emulator's URLs. */
  vars: Record<string, string>;
}

// Only what the Worker relies on: a key it can sign with, for an account, at the emulator's token endpoint.
const keySchema = z.looseObject({
  type: z.literal("service_account"),
  client_email: z.string().min(1),
  private_key: z.string().includes("PRIVATE KEY"),
  token_uri: z.string(),
});

export interface GoogleSideOptions {
  /** Per-user quotas every principal gets (Google's own by default): live sync's bench raises them. */
  quota?: QuotaSpec;
  /** More of the service account's spec: domain-wide delegation, to impersonate Workspace users. */
  serviceAccount?: Omit<ServiceAccountSpec, "name" | "projectId">;
}

export async function startGoogleSide(options: GoogleSideOptions = {}): Promise<GoogleSide> {
  const emulator = await startGoogleEmulator(options.quota === undefined ? {} : { quota: options.quota });
  onCleanup(() => emulator.close());
  const control = googleControl(emulator.url);
  const parsed = keySchema.safeParse(
    await control.createServiceAccount({
      ...options.serviceAccount,
      name: "one-on-one-agendas",
      projectId: "agendas-local",
    }),
  );
  if (!parsed.success) {
    throw new ScriptError(
      `the Google emulator issued an unusable service-account key: ${parsed.error.message}`,
    );
  }
  const key = parsed.data;
  if (key.token_uri !== emulator.tokenUrl) {
    throw new ScriptError(`the key's token_uri ${key.token_uri} is not the emulator's ${emulator.tokenUrl}`);
  }
  return {
    emulator,
    control,
    serviceAccount: key.client_email,
    vars: {
      GOOGLE_SERVICE_ACCOUNT_KEY: JSON.stringify(key),
      GOOGLE_TOKEN_URL: emulator.tokenUrl,
      GOOGLE_DOCS_API_BASE_URL: emulator.url,
      GOOGLE_DRIVE_API_BASE_URL: emulator.url,
    },
  };
}
