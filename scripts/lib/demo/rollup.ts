// Owns the demo's weekly roll-up: which manager gets one (the first with two or more reports), and when.
// Its weekday and local time are read off the cron tick that prepares the last of that manager's agendas,
// in the manager's zone, so that tick sends it with every report's new agenda in it. The Worker sends a
// week's roll-up on the first run within 12 hours after its time, and the demo's runs span weeks, so the
// time is moved back from that tick, 15 minutes at a time and at most 3 hours, until no other run of the
// demo (the cron ticks, the Google pairs' earlier runs) falls in a window: then exactly one roll-up goes
// out. When no such time exists, the tick's own time is kept, and another week's roll-up goes out too, as
// it would in production. The check is the Worker's own `dueRollupDate`.
import { Temporal } from "temporal-polyfill";
import type { DigestChannel } from "../../../src/domain/channels";
import type { RollupConfig } from "../../../src/domain/rollup-schedule";
import { dueRollupDate, rollupConfigSchema } from "../../../src/domain/rollup-schedule";
import type { Schedule } from "../../../src/domain/schedule";
import { DEMO_SMTP_SECRET } from "../digest-side";
import { TICK_MS } from "../ticks";

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
/** How far before the sending tick the roll-up's time may be put, in ticks: 3 hours. */
const MAX_STEPS = 12;

/** The roll-up's channels: the manager's Slack direct messages, and an email to the manager. */
const ROLLUP_CHANNELS: DigestChannel[] = [
  { channel: "slack", secret: "DEMO_ROLLUP_SLACK_URL" },
  {
    channel: "email",
    via: "smtp",
    secret: DEMO_SMTP_SECRET,
    from: { email: "agendas@example.com", name: "1:1 agendas" },
  },
];

interface ManagedPair {
  pair: { id: string; manager: { name: string; email: string }; schedule: Schedule };
  plan: { tickMs: number };
}

export interface PlannedRollup {
  config: RollupConfig;
  /** The cron tick that sends it. */
  tickMs: number;
  /** The pairs it reports on. */
  pairIds: string[];
  /** False when every candidate time also fell in another run's window (another week's roll-up goes out). */
  alone: boolean;
}

function configAt(manager: ManagedPair["pair"]["manager"], timeZone: string, atMs: number): RollupConfig {
  const zoned = Temporal.Instant.fromEpochMilliseconds(atMs).toZonedDateTimeISO(timeZone);
  return rollupConfigSchema.parse({
    manager: { name: manager.name, email: manager.email },
    weekday: WEEKDAYS[zoned.dayOfWeek - 1],
    time: zoned.toPlainTime().toString({ smallestUnit: "minute" }),
    timeZone,
    channels: ROLLUP_CHANNELS,
  });
}

/**
 * The roll-up of the first manager with two or more reports, timed to go out on the tick of the last of
 * their agendas and on no other of `runTimes` (every moment the demo runs the Worker). Null when no
 * manager has two reports.
 */
export function planRollup(pairs: readonly ManagedPair[], runTimes: readonly number[]): PlannedRollup | null {
  const byManager = new Map<string, ManagedPair[]>();
  for (const entry of pairs) {
    const email = entry.pair.manager.email.toLowerCase();
    byManager.set(email, [...(byManager.get(email) ?? []), entry]);
  }
  const managed = [...byManager.values()].find((group) => group.length >= 2);
  const [first] = managed ?? [];
  if (managed === undefined || first === undefined) return null;

  const tickMs = Math.max(...managed.map((entry) => entry.plan.tickMs));
  const others = [...new Set(runTimes)].filter((time) => time !== tickMs);
  const { manager, schedule } = first.pair;
  const candidates = Array.from({ length: MAX_STEPS + 1 }, (_, step) =>
    configAt(manager, schedule.timeZone, tickMs - step * TICK_MS),
  ).filter((config) => dueRollupDate(config, tickMs) !== null);
  const alone = candidates.find((config) => others.every((time) => dueRollupDate(config, time) === null));
  const config = alone ?? candidates[0] ?? configAt(manager, schedule.timeZone, tickMs);
  return { config, tickMs, pairIds: managed.map((entry) => entry.pair.id), alone: alone !== undefined };
}
