// Owns the set-up's command line: every flag (each question has one, so the whole set-up runs without a
// prompt under --yes) and the usage text that lists them.
import { parseArgs } from "node:util";
import { InputError } from "./questions";

const text = { type: "string" } as const;

const SETUP_OPTIONS = {
  url: text,
  yes: { type: "boolean", short: "y" },
  replace: { type: "boolean" },
  serve: { type: "boolean", default: true },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  "pair-id": text,
  "manager-name": text,
  "manager-email": text,
  "report-name": text,
  "report-email": text,
  template: text,
  schedule: text,
  "time-zone": text,
  "lead-time": text,
  destination: text,
  "notion-parent-page": text,
  "notion-title": text,
  "notion-database": text,
  "notion-pair-property": text,
  "notion-token-secret": text,
  "google-document": text,
  "google-folder": text,
  "google-template": text,
  "google-impersonate": text,
  "slack-secret": text,
  "teams-secret": text,
  "discord-secret": text,
  "google-chat-secret": text,
  "webhook-secret": text,
  "email-secret": text,
  "email-via": text,
  "email-from": text,
} as const;

export const USAGE = `usage: npm run setup [-- options]

Sets up one pair, checking each part with the Worker before it is stored, then shows its next agenda.
By default on the local stack (started here; Ctrl-C ends it); with --url against a deployed Worker,
whose admin token is read from the ADMIN_TOKEN environment variable.

  --url <address>            a deployed Worker (ADMIN_TOKEN=… npm run setup -- --url https://…)
  -y, --yes                  ask nothing: every answer from its flag, or its default
  --replace                  replace a stored pair with the same id
  --no-serve                 local stack: stop when done instead of serving until Ctrl-C
  --verbose                  show the Worker's and wrangler's logs

The pair (each flag answers one question):
  --manager-name, --manager-email, --report-name, --report-email
  --pair-id ada-bo           --template weekly|employee-led|three-key-areas|past-future
  --schedule "weekly tuesday 10:00" | "every 2 weeks monday 09:30 from 2027-01-04"
             | "monthly 15 14:00" | "monthly last friday 16:00"
  --time-zone Europe/Berlin  --lead-time 24h (or 1d, 90m, 1d 2h)
Where agendas live:
  --destination notion|google-docs
  --notion-parent-page <page>   create a database for agendas under this page (shared with the integration)
  --notion-title <title>        its title (default "1:1 agendas")
  --notion-database <database>  or use an existing database; --notion-pair-property <name> if pairs share it
  --notion-token-secret <NAME>  the secret holding the integration's token (default NOTION_TOKEN)
  --google-document <doc>       a running doc, or --google-folder <folder> for a doc per meeting
  --google-template <doc>       (doc per meeting) a template Doc to copy; --google-impersonate <email>
Where digests go (the NAME of the secret holding each channel's address, never the address):
  --slack-secret, --teams-secret, --discord-secret, --google-chat-secret, --webhook-secret NAME
  --email-secret NAME --email-from agendas@example.com [--email-via smtp|cloudflare]`;

export function parseSetupArgs(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: SETUP_OPTIONS, allowNegative: true, strict: true }).values;
  } catch (error) {
    // node:util's own words name the flag ("Unknown option '--shedule'"); the usage lists the right ones.
    throw new InputError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
}
