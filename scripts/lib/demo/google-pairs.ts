// Owns the demo's Google Docs pairs, beside the Notion ones of demo-pairs.yaml: one writes a running doc
// (a section per meeting, newest first), the other a doc per meeting copied from the manager's template
// into a shared drive. They live here rather than in the YAML because their document and folder ids are
// the emulator's to choose when they are seeded. Their digests go out by email and to Slack; the DEMO_*
// secrets are the demo's (digest-side.ts).

import type { GooglePair, GooglePairSpec } from "../google/pairs";
import { seedGooglePairs } from "../google/pairs";
import { firstName } from "../google/seed";
import type { Stack } from "../stack";
import type { PlannedMeeting } from "../ticks";
import { planMeeting } from "../ticks";

const GOOGLE_DEMO_PAIRS: readonly GooglePairSpec[] = [
  {
    id: "ivy-jon",
    manager: { name: "Ivy Novak", email: "ivy@example.com" },
    report: { name: "Jon Park", email: "jon@example.com" },
    template: "weekly",
    scheduleInput: {
      timeZone: "Europe/London",
      time: "09:30",
      cadence: { kind: "weekly", weekday: "wednesday" },
      leadTime: { hours: 24 },
    },
    mode: "running-doc",
    digests: [
      {
        channel: "email",
        via: "smtp",
        secret: "DEMO_SMTP_URL",
        from: { email: "agendas@example.com", name: "1:1 agendas" },
      },
    ],
  },
  {
    id: "kim-lou",
    manager: { name: "Kim Sato", email: "kim@example.com" },
    report: { name: "Lou Diaz", email: "lou@example.com" },
    // Names each agenda's document; its content comes from Kim's template Doc.
    template: "weekly",
    scheduleInput: {
      timeZone: "America/Los_Angeles",
      time: "15:00",
      cadence: { kind: "weekly", weekday: "friday", everyWeeks: 2, startDate: "2026-01-09" },
      leadTime: { days: 1 },
    },
    mode: "doc-per-meeting",
    // The same Slack channel as ada-bo's: a team's #one-on-ones.
    digests: [{ channel: "slack", secret: "DEMO_SLACK_URL" }],
  },
];

export interface GoogleDemoEntry {
  pair: GooglePair;
  plan: PlannedMeeting;
}

/** Seeds the Google pairs' documents and folders and plans their meetings relative to `nowMs`. */
export async function seedGoogleDemo(stack: Stack, nowMs: number): Promise<GoogleDemoEntry[]> {
  const pairs = await seedGooglePairs(stack.google, GOOGLE_DEMO_PAIRS);
  return pairs.map((pair) => ({ pair, plan: planMeeting(pair.id, pair.schedule, nowMs) }));
}

/** How the report names the pair's destination and where its agenda's content comes from. */
export function googleDestinationLabel(pair: GooglePair): string {
  return pair.destination.mode === "running-doc"
    ? `Google Docs running doc · ${pair.template} template`
    : `Google Docs, a doc per meeting · ${firstName(pair.manager)}'s template Doc`;
}
