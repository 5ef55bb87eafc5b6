// What a person does about a failure, in one sentence, from the reason the Worker recorded. The reasons
// are the Worker's own words (destinations name the secret, page or property at fault), so a few
// patterns cover them; anything else gets the general advice.

const FIXES: readonly { test: RegExp; fix: (match: RegExpExecArray) => string }[] = [
  {
    test: /\b([A-Z][A-Z0-9_]*) is not set\b/,
    fix: (m) =>
      `Set the secret: wrangler secret put ${m[1]} (locally, add it to .dev.vars), then replay or wait for the next tick.`,
  },
  {
    test: /not shared with the integration|was not found or is not shared/i,
    fix: () =>
      "Share the database or page with the Notion integration (⋯ → Connections), then replay or wait for the next tick.",
  },
  {
    test: /service account|not shared with|insufficient ?permissions|permission/i,
    fix: () =>
      "Share the Google doc or folder with the service account as an editor, then replay or wait for the next tick.",
  },
  {
    test: /has no property "([^"]+)"/,
    fix: (m) => `Add the "${m[1]}" property to the Notion database, then replay or wait for the next tick.`,
  },
  {
    test: /property "([^"]+)" is a \w+ property; it must be a (\w+) property/,
    fix: (m) =>
      `Change the "${m[1]}" property's type to ${m[2]} in Notion, then replay or wait for the next tick.`,
  },
  {
    test: /unauthorized|refused the integration token|invalid_grant|invalid token/i,
    fix: () =>
      "Check the credentials the pair uses (the Notion token or Google key secret) and set them again.",
  },
  {
    test: /unavailable|rate limit|a later run will retry|timed? ?out|HTTP 5\d\d/i,
    fix: () => "Nothing to do unless it persists: the vendor was unavailable and a later run retries.",
  },
  {
    test: /^expired:/,
    fix: () => "Nothing can be done: its moment passed before it could be sent.",
  },
  {
    test: /HTTP 4\d\d|refused by|not found|404/i,
    fix: () => "Check the receiver's URL secret and that the receiver accepts the message, then resend.",
  },
];

/** One sentence: what to do about a failure with this reason. */
export function fixFor(reason: string | null): string {
  if (reason === null || reason === "") return "Look at the Worker's logs for this failure.";
  for (const entry of FIXES) {
    const match = entry.test.exec(reason);
    if (match) return entry.fix(match);
  }
  return "Fix what the reason names, then replay it (or resend) or wait for the next tick.";
}

/** The fix for a pair whose stored config no longer parses. */
export const INVALID_PAIR_FIX =
  "Send the pair again with the fields named fixed: PUT /admin/pairs/<id> (or npm run import-pairs).";
