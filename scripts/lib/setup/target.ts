// Owns the Worker the set-up talks to. A deployed one (`--url`, the admin token from ADMIN_TOKEN, never
// printed), or by default the local stack: the emulators and the real Worker on a fresh local D1 in
// .wrangler/setup, with a sandbox to set up against (a Notion page shared with the integration, a Google
// Doc shared with the service account, and the demo's digest receivers and their secrets). The emulators
// keep their state in memory, so the local stack is a rehearsal: it starts afresh each run and lives
// until the set-up ends.
import type { ChannelKind } from "./answers";
import { localTimeZone } from "./answers";
import type { SetupDefaults } from "./interview";
import { InputError } from "./questions";

interface LocalSandbox {
  workerUrl: string;
  notionEmulatorUrl: string;
  googleEmulatorUrl: string;
  /** Restarts the Worker, which reads .dev.vars again (a secret the operator just added there). */
  restartWorker(): Promise<void>;
}

export interface Target {
  workerUrl: string;
  adminToken: string;
  local: LocalSandbox | null;
  defaults: SetupDefaults;
}

/** The digest secrets the local stack's Worker holds, pointing at its receivers (digest-side.ts). */
const LOCAL_SECRETS: Readonly<Record<ChannelKind, string>> = {
  slack: "DEMO_SLACK_URL",
  teams: "DEMO_TEAMS_URL",
  discord: "DEMO_DISCORD_URL",
  "google-chat": "DEMO_CHAT_URL",
  webhook: "DEMO_HOOK_URL",
  email: "DEMO_SMTP_URL",
};

const SUFFIX: Readonly<Record<ChannelKind, string>> = {
  slack: "SLACK_URL",
  teams: "TEAMS_URL",
  discord: "DISCORD_URL",
  "google-chat": "CHAT_URL",
  webhook: "HOOK_URL",
  email: "SMTP_URL",
};

/** "ada-bo" and slack make ADA_BO_SLACK_URL, the README's naming. */
export function deployedSecretName(kind: ChannelKind, pairId: string): string {
  const stem = pairId
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")
    .replace(/^[^A-Z]+/, "");
  return stem === "" ? `DIGEST_${SUFFIX[kind]}` : `${stem}_${SUFFIX[kind]}`;
}

/** A deployed Worker: its address checked, its token from the environment. */
export function deployedTarget(url: string, env: NodeJS.ProcessEnv): Target {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(
      "--url: must be the Worker's address, like https://one-on-one-agendas.<you>.workers.dev",
    );
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new InputError("--url: must be an http(s) address");
  }
  const adminToken = env.ADMIN_TOKEN;
  if (adminToken === undefined || adminToken.trim() === "") {
    throw new InputError(
      "ADMIN_TOKEN: set it in the environment to the Worker's admin token (ADMIN_TOKEN=… npm run setup -- --url …)",
    );
  }
  return {
    workerUrl: parsed.origin,
    adminToken: adminToken.trim(),
    local: null,
    defaults: { timeZone: localTimeZone(), secretFor: deployedSecretName },
  };
}

/** The local stack with its sandbox seeded. Loaded only when asked for: it brings wrangler and the emulators. */
export async function localTarget(options: { verbose: boolean }): Promise<Target> {
  const { startStack } = await import("../stack");
  const { createPeople, seedRunningDoc } = await import("../google/seed");
  const stack = await startStack({
    stateName: "setup",
    requestsPerSecond: 3,
    showLogs: options.verbose,
    digests: true,
  });
  const page = await stack.notion.seedPage(stack.notionToken, {
    parent: { workspace: true },
    title: "Team 1:1s",
  });
  await createPeople(stack.google.control, [
    { name: "The manager", email: "manager@example.com" },
    { name: "The report", email: "report@example.com" },
  ]);
  const documentId = await seedRunningDoc(stack.google.control, {
    title: "1:1 notes",
    owner: "manager@example.com",
    report: "report@example.com",
    serviceAccount: stack.google.serviceAccount,
    intro: "Running 1:1 notes: each meeting's agenda is added as a section on top.",
  });
  return {
    workerUrl: stack.workerUrl,
    adminToken: stack.adminToken,
    local: {
      workerUrl: stack.workerUrl,
      notionEmulatorUrl: stack.emulator.url,
      googleEmulatorUrl: stack.google.emulator.url,
      restartWorker: () => stack.restartWorker(),
    },
    defaults: {
      timeZone: localTimeZone(),
      notionParentPage: page.id,
      googleDocument: documentId,
      secretFor: (kind) => LOCAL_SECRETS[kind],
      emailFrom: "agendas@example.com",
    },
  };
}
