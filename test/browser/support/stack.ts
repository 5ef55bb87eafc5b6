// The browser tests' local stack, run as its own process by global-setup.ts: the Notion emulator, the
// webhook receivers and the real Worker in workerd (wrangler, as `npm start` runs it) on a fresh local D1
// in .wrangler/browser-tests, seeded with what the tests look for (see pairs.yaml). Prints one line,
// `READY <json>` (a StackInfo), then serves until a signal, and stops everything it started on the way
// out (or when the test run that started it goes away). Its own process keeps the real clock (a
// `test:future` run shifts the test runner's), and the scripts' signal handling and cleanup.
import path from "node:path";
import { notionControl } from "../../../emulators/notion/control";
import { startNotionEmulator } from "../../../emulators/notion/server";
import { receiversControl } from "../../../emulators/receivers/control";
import { startReceivers } from "../../../emulators/receivers/server";
import { adminClient } from "../../../scripts/lib/admin";
import { readDemoPairs } from "../../../scripts/lib/demo/pairs";
import { seedDemoWorkspace } from "../../../scripts/lib/demo/seed";
import { freshLocalState } from "../../../scripts/lib/local-state";
import { onCleanup, runMain, ScriptError, untilInterrupted, within } from "../../../scripts/lib/run";
import { DEMO_ADMIN_TOKEN, DEMO_NOTION_TOKEN, REPO_ROOT } from "../../../scripts/lib/stack";
import { planMeeting, tickAtOrAfter } from "../../../scripts/lib/ticks";
import { startWorker } from "../../../scripts/lib/worker";
import { runWrangler } from "../../../scripts/lib/wrangler-cli";
import type { StackInfo } from "./stack-info";
import { READY } from "./stack-info";

const PAIRS_FILE = path.join(REPO_ROOT, "test", "browser", "support", "pairs.yaml");
const SLACK_HOOK = "browser-digests";
/** Generous: a busy 2-core machine runs a Worker, wrangler and the test runner at once. */
const SETTLE_MS = 90_000;

/** Polls `read` until it answers something (not undefined); no fixed sleeps beyond the poll interval. */
async function until<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  return within(
    SETTLE_MS,
    what,
    (async () => {
      for (;;) {
        const value = await read();
        if (value !== undefined) return value;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })(),
  );
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

runMain(async () => {
  process.chdir(REPO_ROOT);
  const nowMs = Date.now();
  const { document, pairs } = await readDemoPairs(PAIRS_FILE);
  const [healthy, unshared, late] = pairs;
  if (healthy === undefined || unshared === undefined || late === undefined) {
    throw new ScriptError(`${PAIRS_FILE} must list the healthy, unshared and late pairs, in that order`);
  }
  const lateMeeting = planMeeting(late.id, late.schedule, nowMs);
  const deadLetter = {
    kind: "prepare",
    pairId: late.id,
    date: lateMeeting.meeting.date,
    plannedAt: lateMeeting.tickMs,
  } as const;
  const deadLetterSubject = `meeting:${deadLetter.pairId}/${deadLetter.date}`;

  const [persistTo, emulator, receivers] = await Promise.all([
    freshLocalState("browser-tests").then(async (dir) => {
      // Written before the Worker starts, straight into its fresh D1: a real one takes the work queue's
      // 10 retries with backoff from 1 s doubling to 20 s (about two and a half minutes), far too long
      // for a test run. The row is what the dead-letter consumer records (jobs/dead-letters.ts).
      const at = new Date(nowMs).toISOString();
      await runWrangler([
        "d1",
        "execute",
        "DB",
        "--local",
        "--persist-to",
        dir,
        "--command",
        `INSERT INTO dead_letters (subject, kind, body, reason, deaths, attempts, first_died_at, last_died_at)
         VALUES (${sqlString(deadLetterSubject)}, 'prepare', ${sqlString(JSON.stringify(deadLetter))},
           'Notion answered HTTP 503 every time (service unavailable)', 1, 11, ${sqlString(at)}, ${sqlString(at)})`,
      ]);
      return dir;
    }),
    startNotionEmulator({ requestsPerSecond: 10 }).then((started) => {
      onCleanup(() => started.close());
      return started;
    }),
    startReceivers().then((started) => {
      onCleanup(() => started.close());
      return started;
    }),
  ]);

  const worker = await within(
    180_000,
    "starting the Worker",
    startWorker({
      persistTo,
      showLogs: false,
      vars: {
        ADMIN_TOKEN: DEMO_ADMIN_TOKEN,
        NOTION_TOKEN: DEMO_NOTION_TOKEN,
        NOTION_API_BASE_URL: emulator.url,
        NOTION_REQUESTS_PER_SECOND: "10",
        BROWSER_SLACK_URL: `${receivers.url}/slack/${SLACK_HOOK}`,
        // The receivers listen on loopback, where digests go only by this setting.
        ALLOW_PRIVATE_DIGEST_HOSTS: "true",
      },
    }),
  );
  onCleanup(() => worker.stop());

  const notion = notionControl(emulator.url);
  await notion.createIntegration({ name: "1:1 agendas (browser tests)", token: DEMO_NOTION_TOKEN });
  // The healthy pair's earlier agendas, with open items to carry.
  const [seeded] = await seedDemoWorkspace(notion, DEMO_NOTION_TOKEN, [healthy], nowMs);
  if (seeded === undefined) throw new ScriptError("the healthy pair was not seeded");
  const properties = { Name: { type: "title" }, Date: { type: "date" } } as const;
  // Not shared with the integration: the Worker cannot see it.
  await notion.seedDatabase(undefined, {
    id: unshared.destination.databaseId,
    title: "1:1s · not shared",
    properties,
  });
  await notion.seedDatabase(DEMO_NOTION_TOKEN, {
    id: late.destination.databaseId,
    title: "1:1s · Gus & Hal",
    properties,
  });

  const admin = adminClient(worker.url, DEMO_ADMIN_TOKEN);
  await admin.importPairs(document);
  // The digest's first post is refused for good (410 Gone); the receiver accepts the next.
  await receiversControl(receivers.url).behave(`slack/${SLACK_HOOK}`, { status: 410, failNext: 1 });
  // One cron tick prepares both weekly pairs' next meetings (the same schedule); never browser-late's.
  await admin.scheduled(seeded.plan.tickMs);
  if (tickAtOrAfter(lateMeeting.meeting.prepareAtMs) === seeded.plan.tickMs) {
    throw new ScriptError("browser-late's meeting is due at the weekly pairs' tick: pairs.yaml changed?");
  }

  const healthyMeeting = await until("the healthy pair's agenda and its failed delivery", async () => {
    const meeting = (await admin.meetings(healthy.id)).find(
      (candidate) => candidate.date === seeded.plan.meeting.date,
    );
    const delivery = meeting?.deliveries.find((candidate) => candidate.status === "failed");
    return meeting?.status === "created" && delivery !== undefined ? { meeting, delivery } : undefined;
  });
  await until("the unshared pair's failed meeting", async () =>
    (await admin.meetings(unshared.id)).some((meeting) => meeting.status === "failed") ? true : undefined,
  );

  const info: StackInfo = {
    workerUrl: worker.url,
    adminToken: DEMO_ADMIN_TOKEN,
    healthyPairId: healthy.id,
    failedPairId: unshared.id,
    healthyMeetingKey: healthyMeeting.meeting.key,
    failedDeliveryId: healthyMeeting.delivery.id,
    deadLetterSubject,
    deadLetterPairId: late.id,
  };
  process.stdout.write(`${READY}${JSON.stringify(info)}\n`);
  await untilInterrupted();
  return 0;
});
