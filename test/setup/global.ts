/// <reference types="node" />
// Vitest globalSetup (runs in Node): starts the vendor emulators, the SMTP server and the webhook receivers on
// loopback, and fails the run on fidelity violations.
import type { TestProject } from "vitest/node";
import { startGoogleEmulator } from "../../emulators/google/server";
import { startNotionEmulator } from "../../emulators/notion/server";
import { startReceivers } from "../../emulators/receivers/server";
import type { SmtpTestServerInfo } from "../../emulators/smtp/constants";
import { startSmtpTestServer } from "../../emulators/smtp/start";
import { shiftClock } from "./clock-shift";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the Notion API emulator; pass it as the SDK's `baseUrl` and to notionControl(). */
    notionUrl: string;
    /** Base URL of the Google emulator (OAuth token endpoint, Docs v1, Drive v3); pass it to googleControl(). */
    googleUrl: string;
    /** The SMTP test server (its own process): a port per listener and its control API; see emulators/smtp. */
    smtp: SmtpTestServerInfo;
    /** Base URL of the local webhook receivers (Slack, Teams, Discord, Google Chat, webhook); see receiversControl(). */
    receiversUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The emulators judge tokens and revisions by the same (possibly shifted) date as the tests.
  const restoreClock = shiftClock(project.config.provide?.clockShiftMs ?? 0);
  const notion = await startNotionEmulator();
  if (notion.schema) {
    const how = notion.schema.cached ? "read from cache" : "generated";
    console.log(
      `[notion emulator] ${notion.url}; SDK ${notion.schema.sdkVersion} schema ${how} in ${Math.round(notion.schema.ms)} ms`,
    );
  }
  project.provide("notionUrl", notion.url);
  const google = await startGoogleEmulator();
  console.log(
    `[google emulator] ${google.url}; Docs ${google.discovery.docsRevision}, Drive ${google.discovery.driveRevision} discovery schemas compiled in ${Math.round(google.discovery.ms)} ms`,
  );
  project.provide("googleUrl", google.url);
  const smtp = await startSmtpTestServer();
  console.log(`[smtp server] ports ${JSON.stringify(smtp.info.ports)}; control API ${smtp.info.controlUrl}`);
  project.provide("smtp", smtp.info);
  const receivers = await startReceivers();
  project.provide("receiversUrl", receivers.url);

  return async () => {
    const violations = notion.violations();
    const googleViolations = google.violations();
    await Promise.all([notion.close(), google.close(), smtp.close(), receivers.close()]);
    restoreClock();
    if (googleViolations.length > 0) {
      // Reported with Notion's, if any, so neither list hides the other.
      const notionPart = violations.map((v) => `\n  - [notion] ${v}`).join("");
      throw new Error(
        `Google emulator recorded ${googleViolations.length} violation(s):\n${googleViolations.map((v) => `  - ${v}`).join("\n")}${notionPart}`,
      );
    }
    if (violations.length > 0) {
      // A request the SDK's types forbid, a response they do not allow, or a gap in the emulator:
      // any of them makes the tests' green meaningless, so the run fails.
      throw new Error(
        `Notion emulator recorded ${violations.length} violation(s):\n${violations.map((v) => `  - ${v}`).join("\n")}`,
      );
    }
  };
}
