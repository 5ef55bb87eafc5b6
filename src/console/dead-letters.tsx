// Dead letters: the work the queue gave up on, with the reason and the fix, and a Replay button that does
// what POST /admin/dead-letters/:subject/replay does (replayDeadLetter).
import type { Context } from "hono";
import { Hono } from "hono";
import * as z from "zod";
import { replayDeadLetter } from "../jobs/dead-letters";
import type { ConsoleEnv } from "./context";
import { fixFor } from "./fixes";
import { flashFor, withFlash } from "./flash";
import { when } from "./format";
import { CsrfField, Page, Table } from "./layout";

const LIMIT = 200;
const BACK = "/console/dead-letters";

const replayForm = z.object({ subject: z.string().min(1).max(300) });

async function deadLettersPage(c: Context<ConsoleEnv>) {
  const letters = await c.var.runtime.deadLetters.listOpen(LIMIT);
  const viewer = c.var.viewer;
  return c.html(
    <Page title="Dead letters" current={BACK} viewer={viewer} flash={flashFor(c.req.query("flash"))}>
      <p>Work the queue gave up on after its retries. Fix the cause, then replay it.</p>
      {letters.length === 0 ? (
        <p>No dead letters.</p>
      ) : (
        <Table
          caption="Open dead letters, latest first"
          columns={["Subject", "Kind", "Reason", "Fix", "Deaths", "Last died", "Action"]}
        >
          {letters.map((letter) => (
            <tr>
              <th scope="row">
                <code>{letter.subject}</code>
              </th>
              <td>{letter.kind === "prepare" ? "prepare an agenda" : "send a digest"}</td>
              <td>{letter.reason}</td>
              <td>{fixFor(letter.reason)}</td>
              <td>{letter.deaths}</td>
              <td>{when(letter.lastDiedAt)}</td>
              <td>
                <form method="post" action="/console/dead-letters/replay">
                  <CsrfField viewer={viewer} />
                  <input type="hidden" name="subject" value={letter.subject} />
                  <button type="submit">Replay</button>
                </form>
              </td>
            </tr>
          ))}
        </Table>
      )}
    </Page>,
  );
}

export const deadLetterPageRoutes = new Hono<ConsoleEnv>()
  .get("/dead-letters", deadLettersPage)
  .post("/dead-letters/replay", async (c) => {
    const form = replayForm.safeParse(await c.req.parseBody());
    if (!form.success) return c.redirect(withFlash(BACK, "replay-missing"), 303);
    const result = await replayDeadLetter(c.var.runtime, form.data.subject);
    const flash =
      result.status === "replayed"
        ? "replayed"
        : result.status === "not_found"
          ? "replay-missing"
          : "replay-done";
    return c.redirect(withFlash(BACK, flash), 303);
  });
