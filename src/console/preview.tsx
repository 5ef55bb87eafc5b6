// The next agenda of a pair as it will look: a dry run of that meeting (runTick with dryRun and pairId,
// as POST /admin/run with dryRun does), at the moment its agenda is due or now if that has passed. It
// reads the previous agenda to carry its items, and writes nothing.
import type { Context } from "hono";
import { Hono } from "hono";
import type { Occurrence } from "../domain/occurrences";
import { meetingKey, nextOccurrence } from "../domain/occurrences";
import type { TickResult } from "../jobs/run-tick";
import { runTick } from "../jobs/run-tick";
import { AgendaView } from "./agenda-html";
import type { ConsoleEnv } from "./context";
import { fixFor } from "./fixes";
import { Page } from "./layout";

type Outcome = TickResult["outcomes"][number];
type DryRun = Extract<Outcome, { status: "dry-run" }>;

/**
 * Why a dry run of the meeting gave no preview: the pair's problems (invalid or sharing another pair's
 * agendas) when it had no outcome, the failure's reason, or what the run answered instead.
 */
export function noPreviewReason(outcome: Outcome | undefined, problems: readonly string[]): string {
  if (outcome === undefined) {
    return problems.length > 0 ? problems.join("; ") : "No agenda is due for this meeting.";
  }
  return outcome.status === "failed" ? outcome.error : `The run answered "${outcome.status}".`;
}

function BackTo(props: { id: string }) {
  return (
    <p>
      <a href={`/console/pairs/${encodeURIComponent(props.id)}`}>{`Back to ${props.id}`}</a>
    </p>
  );
}

/** The agenda a run would write now, what it carries, and where it is when it exists already. */
function DryRunView(props: { outcome: DryRun; next: Occurrence }) {
  const { outcome, next } = props;
  return (
    <>
      <p>
        {`The agenda of the meeting on ${next.date} (${next.startsAt}), as a run would write it now. `}
        {`It carries ${outcome.carried.length} open item${outcome.carried.length === 1 ? "" : "s"}. Nothing was written.`}
      </p>
      {outcome.existingUrl ? (
        <p>
          {"Its agenda exists already: "}
          <a href={outcome.existingUrl} rel="noreferrer">
            open it
          </a>
          .
        </p>
      ) : null}
      <AgendaView agenda={outcome.agenda} />
    </>
  );
}

async function previewPage(c: Context<ConsoleEnv>) {
  const runtime = c.var.runtime;
  const id = c.req.param("id") ?? "";
  const viewer = c.var.viewer;
  const back = <BackTo id={id} />;
  const stored = await runtime.pairs.get(id);
  if (stored === null) {
    return c.html(
      <Page title="No such pair" viewer={viewer} flash={{ role: "alert", text: `There is no pair "${id}".` }}>
        {back}
      </Page>,
      404,
    );
  }
  const pair = stored.pair;
  const now = runtime.clock();
  const next = pair ? nextOccurrence(pair.schedule, now) : null;
  if (pair === null || next === null) {
    const text =
      pair === null
        ? "This pair's stored config no longer parses, so no agenda can be made."
        : "This pair has no next meeting (its schedule is paused or has ended).";
    return c.html(
      <Page title={`Preview: ${id}`} viewer={viewer} flash={{ role: "alert", text }}>
        {back}
      </Page>,
    );
  }
  const result = await runTick(runtime, {
    nowMs: Math.max(now, next.prepareAtMs),
    runId: crypto.randomUUID(),
    dryRun: true,
    pairId: id,
  });
  const problems = [...result.invalidPairs, ...result.sharedPairs].flatMap((entry) => entry.problems);
  const key = meetingKey(id, next.date);
  const outcome = result.outcomes.find((each) => each.key === key) ?? result.outcomes[0];
  const title = `Preview: ${id}, ${next.date}`;
  if (outcome?.status === "dry-run") {
    return c.html(
      <Page title={title} viewer={viewer}>
        <DryRunView outcome={outcome} next={next} />
        {back}
      </Page>,
    );
  }
  const reason = noPreviewReason(outcome, problems);
  return c.html(
    <Page title={title} viewer={viewer} flash={{ role: "alert", text: `No preview: ${reason}` }}>
      <p>
        <strong>Fix: </strong>
        {fixFor(reason)}
      </p>
      {back}
    </Page>,
  );
}

export const previewRoutes = new Hono<ConsoleEnv>().get("/pairs/:id/preview", previewPage);
