// Test helper: the Google destination wired to the test file's Google emulator, with a run of the job's own steps
// (locate, read the previous agenda's open items, carry them, create) and the call counts it cost.
import { type BaseFetch, createGoogleClient } from "../../../src/destinations/google/api/client";
import {
  type GoogleDocsDestinationInput,
  googleDocsDestinationSchema,
} from "../../../src/destinations/google/config";
import { createGoogleDocsDestination } from "../../../src/destinations/google/destination";
import type { AgendaDraft, AgendaRef, Destination, MeetingRef } from "../../../src/destinations/types";
import type { Agenda, Block, CarryRole } from "../../../src/domain/agenda";
import {
  type CarriedItem,
  type CarryRule,
  carryForward,
  markedTodo,
  withCarriedItems,
} from "../../../src/domain/carry";
import { liveDoc } from "./docs-model";
import type { EmulatedGoogle } from "./emulator";
import { fakeClock } from "./keys";

export const PAIR = "ada-bo";

export function meeting(date: string, pairId = PAIR): MeetingRef {
  return { pairId, key: `${pairId}/${date}`, date };
}

/** A weekly-style agenda with the given action items and discussion points. */
export function agendaWith(date: string, actions: Block[] = [], discussion: Block[] = []): Agenda {
  return {
    title: `Bo's 1:1 with Ada · ${date}`,
    intro: [{ kind: "paragraph", text: [{ kind: "text", text: "Welcome" }], children: [] }],
    sections: [
      {
        heading: [{ kind: "text", text: "How did you feel about the week?" }],
        level: 2,
        role: null,
        blocks: [],
      },
      {
        heading: [{ kind: "text", text: "Discussion points" }],
        level: 2,
        role: "discussion",
        blocks: discussion,
      },
      { heading: [{ kind: "text", text: "Action items" }], level: 2, role: "actions", blocks: actions },
    ],
  };
}

/** The draft the job would make: the agenda with the carried items placed and marked. */
export function draftWith(agenda: Agenda, carried: readonly CarriedItem[] = []): AgendaDraft {
  const marked = (role: CarryRole) => carried.filter((item) => item.role === role).map(markedTodo);
  return {
    agenda: withCarriedItems(agenda, carried),
    carried: { actions: marked("actions"), discussion: marked("discussion"), parked: marked("parked") },
    placeholders: {
      "report.name": "Bo Chen",
      "manager.name": "Ada Lovelace",
      "meeting.date": agenda.title.slice(-10),
    },
  };
}

/**
 * A world with the test file's Google emulator (see emulator.ts), a new service account that may
 * impersonate, a client acting as it on a fake clock, and a way to build destinations.
 */
export async function world(google: EmulatedGoogle) {
  const time = fakeClock();
  google.setClock(time.clock.now);
  const key = await google.control.createServiceAccount({ domainWideDelegation: true });
  // A person at work in the document between our calls (see beforeRequest).
  const hooks: ((method: string, path: string) => void)[] = [];
  const send: BaseFetch = (url, init) => {
    for (const hook of hooks) hook(init.method ?? "GET", new URL(url).pathname);
    return fetch(url, init);
  };
  const newClient = () =>
    createGoogleClient({
      serviceAccountKey: JSON.stringify(key),
      tokenUrl: google.control.tokenUrl,
      docsBaseUrl: google.emulator.url,
      driveBaseUrl: google.emulator.url,
      fetch: send,
      clock: time.clock,
      random: () => 0.5,
    });
  let client = newClient();
  const me = key.client_email;
  return {
    google,
    me,
    time,
    get client() {
      return client;
    },
    /** A new run: a new client (fresh token cache and call counts), as each cron tick makes. */
    newRun() {
      client = newClient();
    },
    destination(input: GoogleDocsDestinationInput, pairId = PAIR): Destination {
      return createGoogleDocsDestination({
        client,
        config: googleDocsDestinationSchema.parse(input),
        pairId,
      });
    },
    /** Google calls of the current run, token requests left out. */
    calls(): Record<string, number> {
      const { "POST /token": _token, ...rest } = client.calls();
      return rest;
    },
    /** A new blank document shared with each principal, to edit as its owner does. */
    async addDoc(...sharedWith: string[]) {
      return liveDoc(google.emulator, await google.docFor(...sharedWith));
    },
    /** Runs `hook` before each request reaches Google: a person editing while we work. */
    beforeRequest(hook: (method: string, path: string) => void) {
      hooks.push(hook);
    },
    /** The files this service account's app marked (its private appProperties), in creation order. */
    files(): { id: string; appProperties: Record<string, string> }[] {
      return [...google.emulator.workspace.drive.items.values()].flatMap((item) => {
        const appProperties = item.appProperties[me];
        return appProperties === undefined ? [] : [{ id: item.id, appProperties }];
      });
    },
    /** A document the emulator holds, to read and edit as its owner does. */
    doc(documentId: string) {
      return liveDoc(google.emulator, documentId);
    },
  };
}

/** What the job does for one meeting: locate, carry, create. Returns the refs and what was carried. */
export async function prepare(
  destination: Destination,
  date: string,
  build: (date: string) => Agenda = (at) => agendaWith(at),
  roles: CarryRole[] = ["actions"],
  rule: CarryRule = {},
): Promise<{ created: AgendaRef | null; found: AgendaRef | null; carried: CarriedItem[] }> {
  const located = await destination.locate(meeting(date));
  if (located.existing !== null) return { created: null, found: located.existing, carried: [] };
  const previous = located.previous;
  const open =
    previous === null ? { actions: [], discussion: [] } : await destination.readOpenItems(previous, roles);
  const carried = previous === null ? [] : carryForward(open, previous.date, date, rule);
  const created = await destination.create(meeting(date), draftWith(build(date), carried));
  return { created, found: null, carried };
}
