// What every roll-up payload shares: the headline, the words for reports that do not fit, which links
// may be links, and the plan of how many reports and items a channel's limits leave room for. Item
// wording, escaping and truncation come from text.ts and each channel's own file.
import { plural } from "../../domain/digest";
import type { Rollup } from "../../domain/rollup";

/** The roll-up's heading line, shared so all channels say the same thing. */
export function rollupHeadline(rollup: Rollup): string {
  return `${rollup.title} — ${rollup.shortDate}`;
}

/**
 * "and 3 more reports (7 open items, 2 overdue)": said when not even one line per report fits. The
 * totals at the top still include them, and each report's own meeting digest lists its items.
 */
export function hiddenReportsWords(rollup: Rollup, shownReports: number): string {
  const hidden = rollup.reports.slice(shownReports);
  let open = 0;
  let overdue = 0;
  for (const { digest } of hidden) {
    open += digest?.counts.carried ?? 0;
    overdue += digest?.counts.overdue ?? 0;
  }
  const reports = `${hidden.length} more ${hidden.length === 1 ? "report" : "reports"}`;
  return `and ${reports} (${plural(open, "open item", "open items")}, ${overdue} overdue)`;
}

/** How much of a roll-up a channel shows. */
export interface RollupPlan {
  /** Reports shown, from the most urgent; the rest are counted on one "and N more reports" line. */
  reports: number;
  /** Items shown for each shown report, most urgent first; the rest are counted with a link to its agenda. */
  items: readonly number[];
}

/** The largest n in [low, high] with `ok(n)`, taking `ok(low)` as given; `ok` must be monotone. */
function largest(low: number, high: number, ok: (n: number) => boolean): number {
  let lo = low;
  let hi = high;
  while (lo < hi) {
    const middle = Math.ceil((lo + hi) / 2);
    if (ok(middle)) lo = middle;
    else hi = middle - 1;
  }
  return lo;
}

/**
 * Chooses what to show within a channel's limits, checked by `fits` on the built payload. `caps[i]` is
 * the most items report i can show in its own container (a section's or field's length), so one
 * report's small container does not hold back the others.
 *
 * Order of priority, each step a binary search because more shown never takes less room:
 * 1. one line per report, so every report is named with its counts and link before any item is listed;
 * 2. the same number of items for every report, so each shows its most urgent ones;
 * 3. what room is left, to the most urgent reports first (report 0 up to its cap, then report 1, …).
 * Step 3 searches one number, the extra items handed out in that order, so the whole plan costs a few
 * dozen builds however many reports there are, not one search per report: a roll-up is built inside a
 * Worker's CPU budget.
 */
export function planRollup(caps: readonly number[], fits: (plan: RollupPlan) => boolean): RollupPlan {
  const reports = largest(0, caps.length, (shown) =>
    fits({ reports: shown, items: caps.slice(0, shown).fill(0) }),
  );
  const shownCaps = caps.slice(0, reports);
  const capped = (limit: number) => shownCaps.map((cap) => Math.min(cap, limit));
  const uniform = largest(0, Math.max(0, ...shownCaps), (limit) => fits({ reports, items: capped(limit) }));
  const base = capped(uniform);
  const room = shownCaps.map((cap, index) => cap - (base[index] ?? 0));
  const withExtra = (extra: number): number[] => {
    let left = extra;
    return base.map((count, index) => {
      const added = Math.min(left, room[index] ?? 0);
      left -= added;
      return count + added;
    });
  };
  const totalRoom = room.reduce((sum, value) => sum + value, 0);
  const extra = largest(0, totalRoom, (candidate) => fits({ reports, items: withExtra(candidate) }));
  return { reports, items: withExtra(extra) };
}
