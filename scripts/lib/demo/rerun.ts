// Owns the demo's "run it all again" check: the same cron ticks, and the Google pairs' earlier runs, fired
// a second time must make nothing — no Notion page, no Google section, copy or document, no new meeting,
// no digest or roll-up sent again — judged by what the emulators, the webhook receivers and the SMTP
// server saw, not by what the Worker says.
import { z } from "zod";
import { ScriptError, within } from "../run";
import type { Stack } from "../stack";
import { out } from "../terminal";
import { tickAtOrAfter } from "../ticks";
import { allMeetings, runTicks } from "./cron";
import type { Arrivals } from "./digests";
import { arrivals } from "./digests";
import type { GoogleDemoEntry } from "./google-pairs";

/** The Google calls that would write: a section or a filled copy, a copy, a new document. */
const GOOGLE_WRITES = [
  "POST /v1/documents/:id:batchUpdate",
  "POST /drive/v3/files/:id/copy",
  "POST /drive/v3/files",
] as const;

const countsSchema = z.record(z.string(), z.number());

const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

export async function rerunChangesNothing(
  stack: Stack,
  pairs: readonly { pair: { id: string } }[],
  ticks: readonly number[],
  google: readonly GoogleDemoEntry[],
): Promise<void> {
  const before = (await allMeetings(stack, pairs)).length;
  const digestsBefore = stack.digests === null ? null : await arrivals(stack.digests);
  await stack.notion.resetCalls(stack.notionToken);
  await stack.google.control.resetCalls();

  await within(120_000, "the repeated cron ticks", runTicks(stack, pairs, ticks, true));
  let runs = 0;
  for (const { pair, plan } of google) {
    for (const occurrence of [plan.earlier, plan.previous]) {
      const result = await stack.admin.run(tickAtOrAfter(occurrence.prepareAtMs), pair.id);
      const made = result.outcomes.filter((outcome) => outcome.status === "created");
      if (made.length > 0)
        throw new ScriptError(`running ${pair.id} again created ${made[0]?.key} a second time`);
      runs += 1;
    }
  }

  const notion = await stack.notion.calls(stack.notionToken);
  const pages = notion["POST /v1/pages"] ?? 0;
  const googleCalls = countsSchema.parse(await stack.google.control.calls());
  const writes = GOOGLE_WRITES.map((endpoint) => [endpoint, googleCalls[endpoint] ?? 0] as const);
  const after = (await allMeetings(stack, pairs)).length;
  const digestsAfter = stack.digests === null ? null : await arrivals(stack.digests);
  const written = writes.filter(([, count]) => count > 0);
  if (pages > 0 || written.length > 0 || after !== before) {
    const wrote = written.map(([endpoint, count]) => `${count} ${endpoint}`);
    throw new ScriptError(
      `running again made ${[`${pages} POST /v1/pages`, ...wrote].join(", ")} and ${after - before} new meetings`,
    );
  }
  out(
    `  ${ticks.length} cron ticks and ${runs} earlier Google runs again, still ${after} agendas: nothing made twice`,
  );
  out(`    Notion  ${sum(notion)} calls, ${pages} POST /v1/pages`);
  out(
    `    Google  ${sum(googleCalls)} calls, ${writes.map(([endpoint, count]) => `${count} ${endpoint}`).join(", ")}`,
  );
  if (digestsBefore !== null && digestsAfter !== null) sentNothingAgain(digestsBefore, digestsAfter);
}

/** The digests' receivers and SMTP server got nothing new: no digest or roll-up went out twice. */
function sentNothingAgain(before: Arrivals, after: Arrivals): void {
  const requests = after.requests.length - before.requests.length;
  const messages = after.messages.length - before.messages.length;
  if (requests !== 0 || messages !== 0) {
    const what = after.requests
      .slice(before.requests.length)
      .map((request) => `${request.kind}/${request.hook}`);
    throw new ScriptError(
      `running again sent digests again: ${requests} requests to the receivers (${what.join(", ")}) and ${messages} emails`,
    );
  }
  out(
    `    Digests ${requests} new requests at the receivers (${before.requests.length} before), ${messages} new emails at the SMTP server (${before.messages.length} before)`,
  );
}
