// An in-memory destination for job tests: agendas kept by date, each call able to wait at a gate the
// test opens, so a test can hold one run mid-meeting while another runs, in any order it chooses.
import type {
  AgendaDraft,
  AgendaRef,
  Destination,
  Located,
  MeetingRef,
  ReadItems,
} from "../../src/destinations/types";

type Step = "locate" | "readOpenItems" | "create";

/** A gate: `reached` resolves when a call arrives at it; the call goes on when the test calls `open`. */
interface Gate {
  reached: Promise<void>;
  open(): void;
}

function gate(): Gate & { arrive(): Promise<void> } {
  let arrived = (): void => {};
  let opened = (): void => {};
  const reached = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const open = new Promise<void>((resolve) => {
    opened = resolve;
  });
  return {
    reached,
    open: () => opened(),
    arrive: () => {
      arrived();
      return open;
    },
  };
}

export interface MemoryDestination {
  /** A view of the destination for one run: its calls stop at the gates set with `holdAt`. */
  destination(): Destination;
  /** The next call at `step` (by any run) waits until the returned gate is opened. */
  holdAt(step: Step): Gate;
  /** Agendas written for a meeting date, in the order written. */
  agendasOn(date: string): AgendaRef[];
  /** Drafts written, by agenda id. */
  drafts: Map<string, AgendaDraft>;
}

/**
 * A destination holding an earlier agenda dated `previousDate` whose open items are `open`; its id is
 * `previousId` ("previous" unless given), so tests that watch it for changes can tell theirs apart.
 */
export function memoryDestination(
  previousDate: string,
  open: ReadItems,
  previousId = "previous",
): MemoryDestination {
  const agendas: AgendaRef[] = [
    { id: previousId, url: `https://agendas.test/${previousId}`, date: previousDate },
  ];
  const drafts = new Map<string, AgendaDraft>();
  const gates = new Map<Step, ReturnType<typeof gate>[]>();
  let serial = 0;
  const pass = async (step: Step) => {
    const waiting = gates.get(step)?.shift();
    if (waiting !== undefined) await waiting.arrive();
  };
  return {
    drafts,
    holdAt(step) {
      const held = gate();
      gates.set(step, [...(gates.get(step) ?? []), held]);
      return held;
    },
    agendasOn: (date) => agendas.filter((agenda) => agenda.date === date),
    destination: () => ({
      async locate(meeting: MeetingRef): Promise<Located> {
        await pass("locate");
        const existing = agendas.find((agenda) => agenda.date === meeting.date) ?? null;
        const earlier = agendas.filter((agenda) => agenda.date < meeting.date);
        const previous = earlier.sort((a, b) => b.date.localeCompare(a.date))[0] ?? null;
        return { existing, previous };
      },
      async readOpenItems(): Promise<ReadItems> {
        await pass("readOpenItems");
        return open;
      },
      async create(meeting: MeetingRef, draft: AgendaDraft): Promise<AgendaRef> {
        await pass("create");
        serial += 1;
        const ref = {
          id: `agenda-${serial}`,
          url: `https://agendas.test/agenda-${serial}`,
          date: meeting.date,
        };
        agendas.push(ref);
        drafts.set(ref.id, draft);
        return ref;
      },
    }),
  };
}
