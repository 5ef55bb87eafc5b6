// Owns the set-up's questions, in the order the README's set-up sections take them (the people, the
// schedule, where agendas live, where digests go), and the pair they make. Pure apart from the prompt it
// is given: the Notion database is created and the pair checked by the caller, from the plan this returns.
import type { TemplateId } from "../../../src/templates/ids";
import { TEMPLATE_IDS } from "../../../src/templates/ids";
import type { LeadTime, ScheduleText } from "./answers";
import {
  CHANNEL_KINDS,
  type ChannelKind,
  type DestinationKind,
  optional,
  parseChannelKinds,
  parseChoice,
  parseDestinationKind,
  parseDocumentId,
  parseEmail,
  parseFolderId,
  parseLeadTime,
  parseName,
  parseNotionId,
  parsePairId,
  parseSchedule,
  parseSecretName,
  parseTemplate,
  parseTimeZone,
  SCHEDULE_EXAMPLES,
  suggestPairId,
} from "./answers";
import type { Answering } from "./questions";
import { ask, given, InputError } from "./questions";

/** What the target offers as answers: on the local stack, the sandbox it seeded and the demo's secrets. */
export interface SetupDefaults {
  timeZone: string;
  /** A Notion page shared with the integration, to create the database under. */
  notionParentPage?: string;
  /** A Google Doc shared with the service account. */
  googleDocument?: string;
  /** The secret name suggested for a channel. */
  secretFor(kind: ChannelKind, pairId: string): string;
  /** The sender suggested for email digests. */
  emailFrom?: string;
}

type NotionPlan = {
  kind: "notion";
  tokenSecret: string | null;
} & (
  | { create: { parentPageId: string; title: string } }
  | { databaseId: string; pairProperty: string | null }
);

type GooglePlan = {
  kind: "google-docs";
  impersonate: string | null;
} & (
  | { mode: "running-doc"; documentId: string }
  | { mode: "doc-per-meeting"; folderId: string; templateDocumentId: string | null }
);

export type ChannelInput =
  | { channel: Exclude<ChannelKind, "email">; secret: string }
  | { channel: "email"; via: "smtp" | "cloudflare"; secret: string; from: { email: string } };

export interface SetupAnswers {
  pairId: string;
  manager: { name: string; email: string };
  report: { name: string; email: string };
  template: TemplateId;
  timeZone: string;
  schedule: ScheduleText;
  leadTime: LeadTime;
  destination: NotionPlan | GooglePlan;
  digests: ChannelInput[];
}

/** The flag naming each channel's secret: --slack-secret, --google-chat-secret, --email-secret. */
function secretFlag(kind: ChannelKind): string {
  return `${kind}-secret`;
}

const DEFAULT_DATABASE_TITLE = "1:1 agendas";

export interface InterviewHooks {
  /** Before the Google questions: the target names the service account to share with. */
  beforeGoogle(): Promise<void>;
  /** After the channels are known: the target says where their secrets go. */
  afterChannels(channels: readonly ChannelInput[]): void;
}

async function person(answering: Answering, role: "manager" | "report") {
  const name = await ask(
    { flag: `${role}-name`, prompt: `The ${role}'s name`, parse: parseName, example: "Ada Lovelace" },
    answering,
  );
  const email = await ask(
    { flag: `${role}-email`, prompt: `${name}'s email`, parse: parseEmail, example: "ada@example.com" },
    answering,
  );
  return { name, email };
}

function destinationKindDefault(answering: Answering): string {
  if (["google-document", "google-folder"].some((flag) => given(answering, flag))) return "google-docs";
  return "notion";
}

async function notionPlan(answering: Answering, defaults: SetupDefaults): Promise<NotionPlan> {
  if (given(answering, "notion-parent-page") && given(answering, "notion-database")) {
    throw new InputError("--notion-database: give it or --notion-parent-page, not both");
  }
  const how = given(answering, "notion-database")
    ? "existing"
    : given(answering, "notion-parent-page") || answering.yes
      ? "new"
      : await ask(
          {
            flag: "notion-how",
            prompt:
              "Create a new database for agendas under a page you shared (new), or use one you have (existing)",
            parse: parseChoice(["new", "existing"] as const),
            default: "new",
          },
          answering,
        );
  const tokenSecret = await ask(
    {
      flag: "notion-token-secret",
      prompt: "The secret holding the integration's token",
      parse: parseSecretName,
      default: "NOTION_TOKEN",
    },
    answering,
  );
  const token = tokenSecret === "NOTION_TOKEN" ? null : tokenSecret;
  if (how === "new") {
    const parentPageId = await ask(
      {
        flag: "notion-parent-page",
        prompt: "The Notion page to create it under (its address or id; share it with the integration first)",
        parse: parseNotionId("page"),
        ...(defaults.notionParentPage === undefined ? {} : { default: defaults.notionParentPage }),
        example: "https://www.notion.so/Team-1-1s-<id>",
      },
      answering,
    );
    const title = await ask(
      {
        flag: "notion-title",
        prompt: "The database's title",
        parse: (text) =>
          text.trim() === "" ? { ok: false, error: "must not be empty" } : { ok: true, value: text.trim() },
        default: DEFAULT_DATABASE_TITLE,
      },
      answering,
    );
    return { kind: "notion", tokenSecret: token, create: { parentPageId, title } };
  }
  const databaseId = await ask(
    {
      flag: "notion-database",
      prompt: "The database (its address or id; data source ids work too)",
      parse: parseNotionId("database"),
      example: "https://www.notion.so/<id>?v=…",
    },
    answering,
  );
  const pairProperty = await ask(
    {
      flag: "notion-pair-property",
      prompt: "Its text property that tells pairs apart, when pairs share it (blank: none)",
      parse: optional((text) => ({ ok: true, value: text.trim() })),
      default: "",
    },
    answering,
  );
  return { kind: "notion", tokenSecret: token, databaseId, pairProperty };
}

async function googlePlan(answering: Answering, defaults: SetupDefaults): Promise<GooglePlan> {
  if (given(answering, "google-document") && given(answering, "google-folder")) {
    throw new InputError("--google-folder: give it or --google-document, not both");
  }
  const mode = given(answering, "google-folder")
    ? "doc-per-meeting"
    : given(answering, "google-document") || answering.yes
      ? "running-doc"
      : await ask(
          {
            flag: "google-mode",
            prompt:
              "One running doc for the pair (running-doc), or a doc per meeting in a folder (doc-per-meeting)",
            parse: parseChoice(["running-doc", "doc-per-meeting"] as const),
            default: "running-doc",
          },
          answering,
        );
  const base = async () =>
    ask(
      {
        flag: "google-impersonate",
        prompt: "Act as a Workspace user instead of the service account (their email; blank: no)",
        parse: optional(parseEmail),
        default: "",
      },
      answering,
    );
  if (mode === "running-doc") {
    const documentId = await ask(
      {
        flag: "google-document",
        prompt: "The Google Doc (its address or id), shared with the service account as Editor",
        parse: parseDocumentId,
        ...(defaults.googleDocument === undefined ? {} : { default: defaults.googleDocument }),
        example: "https://docs.google.com/document/d/<id>/edit",
      },
      answering,
    );
    return { kind: "google-docs", mode, documentId, impersonate: await base() };
  }
  const folderId = await ask(
    {
      flag: "google-folder",
      prompt:
        "The Drive folder (its address or id), in a shared drive where the service account is Content manager",
      parse: parseFolderId,
      example: "https://drive.google.com/drive/folders/<id>",
    },
    answering,
  );
  const templateDocumentId = await ask(
    {
      flag: "google-template",
      prompt: "A template Doc to copy for each agenda (blank: the pair's Markdown template)",
      parse: optional(parseDocumentId),
      default: "",
    },
    answering,
  );
  return { kind: "google-docs", mode, folderId, templateDocumentId, impersonate: await base() };
}

async function channels(
  answering: Answering,
  defaults: SetupDefaults,
  pairId: string,
): Promise<ChannelInput[]> {
  const flagged = (["slack", "teams", "discord", "google-chat", "webhook", "email"] as const).filter((kind) =>
    given(answering, secretFlag(kind)),
  );
  const kinds =
    flagged.length > 0 || answering.yes
      ? flagged
      : await ask(
          {
            flag: "digests",
            prompt:
              "Where digests go: slack, teams, discord, google-chat, webhook, email (comma-separated; blank: none)",
            parse: parseChannelKinds,
            default: "",
          },
          answering,
        );
  const chosen: ChannelInput[] = [];
  for (const kind of kinds) {
    const secret = await ask(
      {
        flag: secretFlag(kind),
        prompt: `The NAME of the secret holding ${kind === "email" ? "the SMTP URL (or the send_email binding)" : `the ${kind} webhook URL`}`,
        parse: parseSecretName,
        default: defaults.secretFor(kind, pairId),
      },
      answering,
    );
    if (kind !== "email") {
      chosen.push({ channel: kind, secret });
      continue;
    }
    const via = await ask(
      {
        flag: "email-via",
        prompt: "Send email through smtp or cloudflare",
        parse: parseChoice(["smtp", "cloudflare"] as const),
        default: "smtp",
      },
      answering,
    );
    const from = await ask(
      {
        flag: "email-from",
        prompt: "The address digests come from",
        parse: parseEmail,
        ...(defaults.emailFrom === undefined ? {} : { default: defaults.emailFrom }),
        example: "agendas@example.com",
      },
      answering,
    );
    chosen.push({ channel: "email", via, secret, from: { email: from } });
  }
  return chosen;
}

/** Asks every question (or takes its flag or default) and returns the answers the pair is built from. */
export async function interview(
  answering: Answering,
  defaults: SetupDefaults,
  hooks: InterviewHooks,
): Promise<SetupAnswers> {
  const manager = await person(answering, "manager");
  const report = await person(answering, "report");
  const suggested = suggestPairId(manager.name, report.name);
  const pairId = await ask(
    {
      flag: "pair-id",
      prompt: "The pair's id (lower-case letters, digits, dashes)",
      parse: parsePairId,
      ...(suggested === "" ? {} : { default: suggested }),
      example: "ada-bo",
    },
    answering,
  );
  const template = await ask(
    {
      flag: "template",
      prompt: `Template (${TEMPLATE_IDS.join(", ")})`,
      parse: parseTemplate,
      default: "weekly",
    },
    answering,
  );
  const schedule = await ask(
    {
      flag: "schedule",
      prompt: `When they meet (like "${SCHEDULE_EXAMPLES.join('", "')}")`,
      parse: parseSchedule,
      example: SCHEDULE_EXAMPLES[0],
    },
    answering,
  );
  const timeZone = await ask(
    { flag: "time-zone", prompt: "In which time zone", parse: parseTimeZone, default: defaults.timeZone },
    answering,
  );
  const leadTime = await ask(
    {
      flag: "lead-time",
      prompt: "How long before the meeting the agenda appears",
      parse: parseLeadTime,
      default: "24h",
    },
    answering,
  );
  const kind: DestinationKind = await ask(
    {
      flag: "destination",
      prompt: "Where agendas live: notion or google-docs",
      parse: parseDestinationKind,
      default: destinationKindDefault(answering),
    },
    answering,
  );
  let destination: NotionPlan | GooglePlan;
  if (kind === "notion") {
    destination = await notionPlan(answering, defaults);
  } else {
    await hooks.beforeGoogle();
    destination = await googlePlan(answering, defaults);
  }
  const digests = await channels(answering, defaults, pairId);
  hooks.afterChannels(digests);
  return { pairId, manager, report, template, timeZone, schedule, leadTime, destination, digests };
}

/** The Notion data source a created database answered with, for the pair that writes to it. */
export interface CreatedDatabase {
  dataSourceId: string;
}

/** The pair as POST /admin/pairs takes it. `created` is the database made for a plan that asked for one. */
export function buildPair(answers: SetupAnswers, created: CreatedDatabase | null): Record<string, unknown> {
  return {
    id: answers.pairId,
    manager: answers.manager,
    report: answers.report,
    template: answers.template,
    schedule: {
      timeZone: answers.timeZone,
      time: answers.schedule.time,
      cadence: answers.schedule.cadence,
      leadTime: answers.leadTime,
    },
    destination: destinationOf(answers.destination, created),
    digests: answers.digests,
  };
}

function destinationOf(
  plan: NotionPlan | GooglePlan,
  created: CreatedDatabase | null,
): Record<string, unknown> {
  if (plan.kind === "google-docs") {
    const impersonate = plan.impersonate === null ? {} : { impersonate: plan.impersonate };
    return plan.mode === "running-doc"
      ? { kind: "google-docs", mode: "running-doc", documentId: plan.documentId, ...impersonate }
      : {
          kind: "google-docs",
          mode: "doc-per-meeting",
          folderId: plan.folderId,
          ...(plan.templateDocumentId === null ? {} : { templateDocumentId: plan.templateDocumentId }),
          ...impersonate,
        };
  }
  const tokenSecret = plan.tokenSecret === null ? {} : { tokenSecret: plan.tokenSecret };
  if ("create" in plan) {
    if (created === null) throw new Error("the database this plan creates was not created");
    // The database made for agendas has a Pair property, so later pairs can share it.
    return {
      kind: "notion",
      dataSourceId: created.dataSourceId,
      pairProperty: { name: "Pair", type: "rich_text" },
      ...tokenSecret,
    };
  }
  return {
    kind: "notion",
    databaseId: plan.databaseId,
    ...(plan.pairProperty === null ? {} : { pairProperty: { name: plan.pairProperty, type: "rich_text" } }),
    ...tokenSecret,
  };
}

const FLAG_BY_PATH: readonly (readonly [RegExp, string])[] = [
  [/^id\b/, "pair-id"],
  [/^manager\.name/, "manager-name"],
  [/^manager\.email/, "manager-email"],
  [/^report\.name/, "report-name"],
  [/^report\.email/, "report-email"],
  [/^template/, "template"],
  [/^schedule\.timeZone/, "time-zone"],
  [/^schedule\.leadTime/, "lead-time"],
  [/^schedule/, "schedule"],
  [/^destination\.(dataSourceId|databaseId)/, "notion-database"],
  [/^destination\.tokenSecret/, "notion-token-secret"],
  [/^destination\.pairProperty/, "notion-pair-property"],
  [/^destination\.documentId/, "google-document"],
  [/^destination\.folderId/, "google-folder"],
  [/^destination\.templateDocumentId/, "google-template"],
  [/^destination\.impersonate/, "google-impersonate"],
  [/^destination/, "destination"],
];

/**
 * A problem the Worker found in the pair ("schedule.cadence.startDate: missing …"), said against the flag
 * that answers it ("--schedule: cadence.startDate: missing …"), so the operator knows what to change.
 */
export function problemAsFlag(problem: string, answers: SetupAnswers): string {
  const bare = problem.replace(/^(body|pair)\./, "");
  const digest = /^digests\.(\d+)(\.from)?/.exec(bare);
  if (digest !== null) {
    const channel = answers.digests[Number(digest[1])];
    if (channel !== undefined) {
      return `--${digest[2] === undefined ? secretFlag(channel.channel) : "email-from"}: ${bare}`;
    }
  }
  const match = FLAG_BY_PATH.find(([pattern]) => pattern.test(bare));
  return match === undefined ? bare : `--${match[1]}: ${bare}`;
}

const FLAG_PARSERS: Readonly<Record<string, (text: string) => { ok: boolean; error?: string }>> = {
  "pair-id": parsePairId,
  "manager-name": parseName,
  "manager-email": parseEmail,
  "report-name": parseName,
  "report-email": parseEmail,
  template: parseTemplate,
  schedule: parseSchedule,
  "time-zone": parseTimeZone,
  "lead-time": parseLeadTime,
  destination: parseDestinationKind,
  "notion-parent-page": parseNotionId("page"),
  "notion-database": parseNotionId("database"),
  "notion-token-secret": parseSecretName,
  "google-document": parseDocumentId,
  "google-folder": parseFolderId,
  "google-template": optional(parseDocumentId),
  "google-impersonate": optional(parseEmail),
  "email-via": parseChoice(["smtp", "cloudflare"] as const),
  "email-from": parseEmail,
  ...Object.fromEntries(CHANNEL_KINDS.map((kind) => [secretFlag(kind), parseSecretName])),
};

/**
 * Every flag value checked at once, before anything starts: a typo is reported in a second, not after the
 * local stack's half a minute, and all of them together.
 */
export function checkFlags(flags: Readonly<Record<string, string | boolean | undefined>>): void {
  const problems: string[] = [];
  for (const [flag, value] of Object.entries(flags)) {
    const parse = FLAG_PARSERS[flag];
    if (parse === undefined || typeof value !== "string") continue;
    const parsed = parse(value);
    if (!parsed.ok) problems.push(`--${flag}: ${parsed.error ?? "is not valid"}`);
  }
  if (problems.length > 0) throw new InputError(problems.join("\n  "));
}
