// The set-up's questions without a terminal: flags answer them (a bad one names its flag), --yes takes
// defaults or refuses what has none, a prompt asks again until an answer parses, and the pair the answers
// make is one the Worker's own schemas accept. Pure: no stack, no network.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { destinationSchema } from "../../src/destinations/config";
import { digestChannelsSchema } from "../../src/domain/channels";
import { scheduleSchema } from "../../src/domain/schedule";
import {
  parseLeadTime,
  parseNotionId,
  parseSchedule,
  parseSecretName,
  suggestPairId,
} from "../lib/setup/answers";
import { parseSetupArgs } from "../lib/setup/flags";
import type { SetupAnswers, SetupDefaults } from "../lib/setup/interview";
import { buildPair, checkFlags, interview, problemAsFlag } from "../lib/setup/interview";
import type { Answering } from "../lib/setup/questions";
import { ask, InputError } from "../lib/setup/questions";
import { deployedSecretName, deployedTarget } from "../lib/setup/target";

const PAGE = "0123456789abcdef0123456789abcdef";
const PAGE_DASHED = "01234567-89ab-cdef-0123-456789abcdef";

const defaults: SetupDefaults = {
  timeZone: "Europe/Berlin",
  notionParentPage: PAGE,
  secretFor: (kind) => `LOCAL_${kind.toUpperCase().replace("-", "_")}`,
  emailFrom: "agendas@example.com",
};

const hooks = { beforeGoogle: async () => {}, afterChannels: () => {} };

/** Answering from flags alone, as `--yes` with those flags. */
function fromFlags(flags: Record<string, string | boolean>): Answering {
  return {
    flags,
    yes: true,
    prompt: () => Promise.reject(new Error("nothing may be asked under --yes")),
    say: () => {},
  };
}

/** Answering at a prompt that types `lines` in turn; what was asked and said is recorded. */
function scripted(lines: string[], flags: Record<string, string> = {}) {
  const asked: string[] = [];
  const said: string[] = [];
  const answering: Answering = {
    flags,
    yes: false,
    prompt: async (text) => {
      asked.push(text);
      const line = lines.shift();
      if (line === undefined) throw new Error(`asked more than was scripted: ${text}`);
      return line;
    },
    say: (line) => said.push(line),
  };
  return { answering, asked, said, left: lines };
}

const PEOPLE = {
  "manager-name": "Ada Lovelace",
  "manager-email": "ada@example.com",
  "report-name": "Bo Chen",
  "report-email": "bo@example.com",
};

describe("one question", () => {
  const question = {
    flag: "schedule",
    prompt: "When",
    parse: parseSchedule,
    example: "weekly tuesday 10:00",
  };

  test("a flag answers it, and a bad flag value is refused naming the flag", async () => {
    const value = await ask(question, fromFlags({ schedule: "weekly tue 10:00" }));
    assert.deepEqual(value, { cadence: { kind: "weekly", weekday: "tuesday" }, time: "10:00" });
    await assert.rejects(ask(question, fromFlags({ schedule: "weekly tuesday 25:00" })), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /^--schedule: expected a time "HH:MM" \(24-hour\), got "25:00"/);
      return true;
    });
  });

  test("under --yes a question without a default is refused with an example", async () => {
    await assert.rejects(ask(question, fromFlags({})), {
      message: '--schedule: required with --yes (for example --schedule "weekly tuesday 10:00")',
    });
  });

  test("at the prompt, a bad answer is explained and asked again; blank takes the default", async () => {
    const { answering, asked, said } = scripted(["fortnightly", "", "monthly last friday 16:00"]);
    const value = await ask(question, answering);
    assert.deepEqual(value, { cadence: { kind: "monthly", weekday: "friday", nth: -1 }, time: "16:00" });
    assert.equal(asked.length, 3);
    assert.match(said[0] ?? "", /expected "weekly", "every" or "monthly" first, got "fortnightly"/);
    assert.match(said[1] ?? "", /needs an answer/);

    const lead = scripted([""]);
    const leadTime = await ask(
      { flag: "lead-time", prompt: "Lead", parse: parseLeadTime, default: "24h" },
      lead.answering,
    );
    assert.deepEqual(leadTime, { hours: 24 });
    assert.equal(lead.asked[0], "Lead [24h]: ");
  });
});

describe("answers", () => {
  test("schedules people write become cadences the Worker accepts", () => {
    const cases: [string, unknown][] = [
      ["weekly tuesday 10:00", { kind: "weekly", weekday: "tuesday" }],
      ["every Thursdays at 09:30", { kind: "weekly", weekday: "thursday" }],
      [
        "every 2 weeks monday 09:30 from 2027-01-04",
        { kind: "weekly", weekday: "monday", everyWeeks: 2, startDate: "2027-01-04" },
      ],
      ["monthly 15th 14:00", { kind: "monthly", dayOfMonth: 15 }],
      ["monthly on the first thursday 10:00", { kind: "monthly", weekday: "thursday", nth: 1 }],
    ];
    for (const [text, cadence] of cases) {
      const parsed = parseSchedule(text);
      assert.ok(parsed.ok, `${text}: ${parsed.ok ? "" : parsed.error}`);
      assert.deepEqual(parsed.value.cadence, cadence, text);
      const schedule = scheduleSchema.safeParse({
        timeZone: "Europe/Berlin",
        time: parsed.value.time,
        cadence,
      });
      assert.ok(schedule.success, `${text}: the Worker refuses it`);
    }
  });

  test("schedules that cannot be meant are refused with what was wrong", () => {
    const errors: [string, RegExp][] = [
      ["every 2 weeks monday 09:30", /needs "from YYYY-MM-DD"/],
      ["monthly 32 10:00", /day of the month \(1-31\)/],
      ["weekly funday 10:00", /expected a weekday after "weekly", got "funday"/],
      ["weekly tuesday 10:00 please", /did not expect "please" at the end/],
      ["every 2 weeks monday 09:30 from 2027-02-30", /expected a date "YYYY-MM-DD"/],
    ];
    for (const [text, message] of errors) {
      const parsed = parseSchedule(text);
      assert.ok(!parsed.ok, `${text} was accepted`);
      assert.match(parsed.error, message);
    }
  });

  test("lead times, ids, secret names and pair ids", () => {
    assert.deepEqual(parseLeadTime("1d 2h"), { ok: true, value: { days: 1, hours: 2 } });
    assert.deepEqual(parseLeadTime("90 minutes"), { ok: true, value: { minutes: 90 } });
    assert.match(
      parseLeadTime("10m").ok ? "" : (parseLeadTime("10m") as { error: string }).error,
      /at least 15 minutes/,
    );
    assert.equal(parseLeadTime("soon").ok, false);
    assert.deepEqual(parseNotionId("page")(`https://www.notion.so/Team-1-1s-${PAGE}?pvs=4`), {
      ok: true,
      value: PAGE_DASHED,
    });
    assert.equal(parseNotionId("page")("not-an-id").ok, false);
    // A secret's value pasted where its name goes is refused without being echoed.
    const pasted = parseSecretName("https://hooks.slack.com/services/T000/B000/XXXX");
    assert.ok(!pasted.ok);
    assert.ok(!pasted.error.includes("hooks.slack.com"));
    assert.equal(suggestPairId("Ada Lovelace", "Bö Chen"), "ada-bo");
    assert.equal(deployedSecretName("slack", "ada-bo"), "ADA_BO_SLACK_URL");
    assert.equal(deployedSecretName("email", "42-x"), "X_SMTP_URL");
  });
});

describe("the interview and the pair it makes", () => {
  test("--yes with flags: a Notion database created under the page, digests to slack and email", async () => {
    const answers = await interview(
      fromFlags({
        ...PEOPLE,
        schedule: "weekly tuesday 10:00",
        "slack-secret": "ADA_BO_SLACK_URL",
        "email-secret": "DIGEST_SMTP_URL",
      }),
      defaults,
      hooks,
    );
    assert.equal(answers.pairId, "ada-bo");
    assert.deepEqual(answers.destination, {
      kind: "notion",
      tokenSecret: null,
      create: { parentPageId: PAGE_DASHED, title: "1:1 agendas" },
    });
    const pair = buildPair(answers, { dataSourceId: "fedcba98-7654-3210-fedc-ba9876543210" });
    assert.deepEqual(pair, {
      id: "ada-bo",
      manager: { name: "Ada Lovelace", email: "ada@example.com" },
      report: { name: "Bo Chen", email: "bo@example.com" },
      template: "weekly",
      schedule: {
        timeZone: "Europe/Berlin",
        time: "10:00",
        cadence: { kind: "weekly", weekday: "tuesday" },
        leadTime: { hours: 24 },
      },
      destination: {
        kind: "notion",
        dataSourceId: "fedcba98-7654-3210-fedc-ba9876543210",
        pairProperty: { name: "Pair", type: "rich_text" },
      },
      digests: [
        { channel: "slack", secret: "ADA_BO_SLACK_URL" },
        { channel: "email", via: "smtp", secret: "DIGEST_SMTP_URL", from: { email: "agendas@example.com" } },
      ],
    });
    assert.ok(scheduleSchema.safeParse(pair.schedule).success);
    assert.ok(destinationSchema.safeParse(pair.destination).success);
    assert.ok(digestChannelsSchema(0).safeParse(pair.digests).success);
  });

  test("--yes: an existing database, or a Google running doc, and no digests", async () => {
    const notion = await interview(
      fromFlags({
        ...PEOPLE,
        "pair-id": "ada-bo-2",
        schedule: "monthly 1 09:00",
        "notion-database": PAGE,
        "notion-token-secret": "NOTION_TOKEN_SALES",
        "lead-time": "2d",
      }),
      defaults,
      hooks,
    );
    assert.deepEqual(buildPair(notion, null).destination, {
      kind: "notion",
      databaseId: PAGE_DASHED,
      tokenSecret: "NOTION_TOKEN_SALES",
    });
    let googleExplained = false;
    const google = await interview(
      fromFlags({
        ...PEOPLE,
        schedule: "weekly friday 15:00",
        "google-document": "https://docs.google.com/document/d/doc_0123456789abc/edit",
      }),
      defaults,
      {
        ...hooks,
        beforeGoogle: async () => {
          googleExplained = true;
        },
      },
    );
    assert.ok(googleExplained, "the service account to share with was not named before the Google questions");
    const pair = buildPair(google, null);
    assert.deepEqual(pair.destination, {
      kind: "google-docs",
      mode: "running-doc",
      documentId: "doc_0123456789abc",
    });
    assert.deepEqual(pair.digests, []);
  });

  test("asked at the prompt: blanks take the defaults the target offers", async () => {
    const { answering, left } = scripted([
      "Ada Lovelace",
      "ada@example.com",
      "Bo Chen",
      "bo@example.com",
      "", // pair id: ada-bo
      "", // template: weekly
      "every 2 weeks wednesday 11:00 from 2027-01-06",
      "America/New_York",
      "1d",
      "", // destination: notion
      "", // new database
      "", // NOTION_TOKEN
      "", // the sandbox page
      "Agendas", // title
      "slack, teams",
      "", // slack secret: the default
      "TEAM_TEAMS_URL",
    ]);
    const answers = await interview(answering, defaults, hooks);
    assert.deepEqual(left, []);
    const pair = buildPair(answers, { dataSourceId: PAGE_DASHED });
    assert.equal(pair.id, "ada-bo");
    assert.deepEqual(pair.schedule, {
      timeZone: "America/New_York",
      time: "11:00",
      cadence: { kind: "weekly", weekday: "wednesday", everyWeeks: 2, startDate: "2027-01-06" },
      leadTime: { days: 1 },
    });
    assert.deepEqual(answers.destination, {
      kind: "notion",
      tokenSecret: null,
      create: { parentPageId: PAGE_DASHED, title: "Agendas" },
    });
    assert.deepEqual(pair.digests, [
      { channel: "slack", secret: "LOCAL_SLACK" },
      { channel: "teams", secret: "TEAM_TEAMS_URL" },
    ]);
  });

  test("bad input stops the run naming the flag to change", async () => {
    await assert.rejects(interview(fromFlags({ ...PEOPLE, "manager-email": "ada" }), defaults, hooks), {
      message: "--manager-email: must be an email address",
    });
    await assert.rejects(
      interview(
        fromFlags({
          ...PEOPLE,
          schedule: "weekly monday 10:00",
          "google-document": "x",
          "google-folder": "y",
        }),
        defaults,
        hooks,
      ),
      { message: "--google-folder: give it or --google-document, not both" },
    );
    await assert.rejects(
      interview(
        fromFlags({ ...PEOPLE, schedule: "weekly monday 10:00", "time-zone": "+02:00" }),
        defaults,
        hooks,
      ),
      { message: /^--time-zone: "\+02:00" is not an IANA time zone name/ },
    );
    assert.throws(() => parseSetupArgs(["--shedule", "weekly"]), /Unknown option '--shedule'/);
    assert.throws(() => deployedTarget("https://agendas.example.com", {}), {
      message: /^ADMIN_TOKEN: set it/,
    });
    assert.throws(() => deployedTarget("agendas", { ADMIN_TOKEN: "x".repeat(20) }), { message: /^--url: / });
  });

  test("the Worker's problems with the pair are said against the flags that answer them", async () => {
    const answers: SetupAnswers = await interview(
      fromFlags({ ...PEOPLE, schedule: "weekly monday 10:00", "webhook-secret": "HR_TOOL_URL" }),
      defaults,
      hooks,
    );
    assert.equal(
      problemAsFlag("pair.schedule.timeZone: unknown time zone", answers),
      "--time-zone: schedule.timeZone: unknown time zone",
    );
    assert.equal(
      problemAsFlag("schedule.cadence.startDate: missing", answers),
      "--schedule: schedule.cadence.startDate: missing",
    );
    assert.equal(
      problemAsFlag("digests.0.secret: reserved", answers),
      "--webhook-secret: digests.0.secret: reserved",
    );
    assert.equal(
      problemAsFlag("destination.dataSourceId: not shared", answers),
      "--notion-database: destination.dataSourceId: not shared",
    );
  });
});

test("every bad flag is reported at once, before anything starts", () => {
  assert.throws(
    () =>
      checkFlags({
        yes: true,
        schedule: "weekly 10:00",
        "slack-secret": "https://hooks.example.com/x",
        url: "ignored",
      }),
    {
      message:
        '--schedule: expected a weekday after "weekly", got "10:00"; for example "weekly tuesday 10:00", "every 2 weeks monday 09:30 from 2027-01-04", "monthly 15 14:00", "monthly last friday 16:00"\n  --slack-secret: must be the NAME of a Worker secret (upper case, digits and _), never its value',
    },
  );
  assert.doesNotThrow(() => checkFlags({ schedule: "weekly monday 10:00", "google-template": "" }));
});
