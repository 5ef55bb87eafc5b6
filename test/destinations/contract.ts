// The contract every destination passes, whatever vendor is behind it: find-before-create, the previous
// agenda, reading back exactly the open items with their text, owner, due date and sub-items, and two
// pairs sharing one place without ever seeing each other's agendas.
// Each destination's test file runs it against its emulator with a harness of its own.
import { describe, expect, it } from "vitest";
import type { AgendaRef, Destination, MeetingRef } from "../../src/destinations/types";
import type { Agenda, Block, RichText } from "../../src/domain/agenda";
import { plainText } from "../../src/domain/agenda";
import { dueDateOf, ownerNameOf, ownerOf } from "../../src/domain/carry";
import { draftOf } from "../support/pairs";

export interface ContractHarness {
  /** A destination for one pair, with no agendas yet. */
  destination: Destination;
  /** A person the destination can mention as an owner (Notion user id, or email for Google). */
  owner: { userId: string; name: string };
  /** Ticks the to-do whose text starts with `label` in agenda `ref`, as a person would. */
  markDone(ref: AgendaRef, label: string): Promise<void>;
  /**
   * A destination for another pair in the same place (data source, document, folder), set up as this
   * destination allows two pairs to share it.
   */
  neighbour(pairId: string): Destination;
}

type Todo = Extract<Block, { kind: "todo" }>;

function wordsOf(text: RichText): string {
  return text
    .flatMap((inline) => (inline.kind === "text" ? [inline.text] : []))
    .join("")
    .replace(/\s+/g, " ")
    .trim();
}

function meeting(date: string, pairId = "contract"): MeetingRef {
  return { pairId, key: `${pairId}/${date}`, date };
}

function todo(text: RichText, children: Block[] = []): Todo {
  return { kind: "todo", text, checked: false, children };
}

function agendaWith(date: string, actions: Block[], discussion: Block[] = []): Agenda {
  return {
    title: `1:1 · ${date}`,
    intro: [{ kind: "paragraph", text: [{ kind: "text", text: "Welcome" }], children: [] }],
    sections: [
      {
        heading: [{ kind: "text", text: "How did you feel about the week?" }],
        level: 1,
        role: null,
        blocks: [],
      },
      {
        heading: [{ kind: "text", text: "Discussion points" }],
        level: 1,
        role: "discussion",
        blocks: discussion,
      },
      { heading: [{ kind: "text", text: "Action items" }], level: 1, role: "actions", blocks: actions },
    ],
  };
}

export function describeDestinationContract(name: string, makeHarness: () => Promise<ContractHarness>): void {
  describe(`${name}: destination contract`, () => {
    it("finds nothing in an empty destination", async () => {
      const { destination } = await makeHarness();
      expect(await destination.locate(meeting("2026-12-08"))).toEqual({ existing: null, previous: null });
    });

    it("finds a created agenda again for its meeting, and as the previous one for the next meeting", async () => {
      const { destination } = await makeHarness();
      const first = await destination.create(meeting("2026-12-01"), draftOf(agendaWith("2026-12-01", [])));
      expect(first.date).toBe("2026-12-01");
      expect(first.url).toMatch(/^https:\/\//);
      const again = await destination.locate(meeting("2026-12-01"));
      expect(again.existing?.id).toBe(first.id);
      const second = await destination.create(meeting("2026-12-08"), draftOf(agendaWith("2026-12-08", [])));
      const next = await destination.locate(meeting("2026-12-15"));
      expect(next.existing).toBeNull();
      expect(next.previous?.id).toBe(second.id);
      expect(next.previous?.date).toBe("2026-12-08");
    });

    it("a meeting whose previous agenda the ledger knows locates and reads it as one that knows nothing", async () => {
      const { destination } = await makeHarness();
      const first = await destination.create(
        meeting("2026-12-01"),
        draftOf(agendaWith("2026-12-01", [todo([{ kind: "text", text: "Carry me" }])])),
      );
      const next = meeting("2026-12-08");
      for (const earlierAttempt of [false, true]) {
        const located = await destination.locate({ ...next, known: { previous: first, earlierAttempt } });
        expect(located).toMatchObject({ existing: null, previous: { id: first.id, date: "2026-12-01" } });
        const open = await destination.readOpenItems(located.previous ?? first, ["actions"]);
        expect(open.actions.map((item) => wordsOf(item.text))).toEqual(["Carry me"]);
      }
    });

    it("reads back the open to-dos with their text, owner, due date and sub-items, and not the done ones", async () => {
      const { destination, owner, markDone } = await makeHarness();
      const rich = todo([
        { kind: "text", text: "Draft the " },
        { kind: "text", text: "Q1 plan", style: { bold: true }, link: "https://example.com/q1" },
        { kind: "text", text: " " },
        { kind: "mention", text: owner.name, mention: { type: "user", userId: owner.userId } },
        { kind: "text", text: " " },
        { kind: "mention", text: "2026-12-04", mention: { type: "date", start: "2026-12-04" } },
      ]);
      const nested = todo(
        [{ kind: "text", text: "Prepare the demo" }],
        [todo([{ kind: "text", text: "Write the script" }])],
      );
      const done = todo([{ kind: "text", text: "Book the room" }]);
      const topic = todo([{ kind: "text", text: "Career path" }]);
      const ref = await destination.create(
        meeting("2026-12-01"),
        draftOf(agendaWith("2026-12-01", [rich, nested, done], [topic])),
      );
      await markDone(ref, "Book the room");

      const open = await destination.readOpenItems(ref, ["actions"]);
      // Mentions render differently per vendor ("@Ada" in Notion, a chip in Docs), so compare the words.
      expect(open.actions.map((item) => wordsOf(item.text))).toEqual([
        "Draft the Q1 plan",
        "Prepare the demo",
      ]);
      expect(open.discussion).toEqual([]);
      // "Book the room" was closed: the next digest counts it.
      expect(open.closed).toBe(1);
      const [readRich, readNested] = open.actions;
      expect(readRich?.text.find((inline) => inline.text === "Q1 plan")).toMatchObject({
        style: { bold: true },
        link: "https://example.com/q1",
      });
      expect(ownerOf(readRich?.text ?? [])).toBe(owner.userId);
      expect(ownerNameOf(readRich?.text ?? [])).toBe(owner.name.replace(/^@/u, ""));
      expect(dueDateOf(readRich?.text ?? [])).toBe("2026-12-04");
      expect(
        readNested?.children.map((child) => (child.kind === "todo" ? plainText(child.text) : child.kind)),
      ).toEqual(["Write the script"]);

      const withDiscussion = await destination.readOpenItems(ref, ["actions", "discussion"]);
      expect(withDiscussion.discussion.map((item) => plainText(item.text))).toEqual(["Career path"]);
    });

    it("two pairs sharing a destination never see each other's agendas", async () => {
      const { destination, neighbour } = await makeHarness();
      // An id that starts like the first pair's, so that a prefix match would show.
      const other = neighbour("contract-2");
      const theirs = (date: string) => meeting(date, "contract-2");
      const item = (text: string) => todo([{ kind: "text", text }]);

      const ours = await destination.create(
        meeting("2026-12-01"),
        draftOf(agendaWith("2026-12-01", [item("Ours only")])),
      );
      // The other pair finds nothing: not this date's agenda, not a previous one.
      expect(await other.locate(theirs("2026-12-01"))).toEqual({ existing: null, previous: null });
      expect(await other.locate(theirs("2026-12-08"))).toEqual({ existing: null, previous: null });

      const their = await other.create(
        theirs("2026-12-01"),
        draftOf(agendaWith("2026-12-01", [item("Theirs only")])),
      );
      expect(their.id).not.toBe(ours.id);
      expect((await destination.locate(meeting("2026-12-01"))).existing?.id).toBe(ours.id);
      expect((await other.locate(theirs("2026-12-01"))).existing?.id).toBe(their.id);

      // The next meeting of each carries its own items, and only its own.
      const ourNext = await destination.locate(meeting("2026-12-08"));
      expect(ourNext).toMatchObject({ existing: null, previous: { id: ours.id } });
      const ourItems = await destination.readOpenItems(ourNext.previous ?? ours, ["actions"]);
      expect(ourItems.actions.map((open) => plainText(open.text))).toEqual(["Ours only"]);
      const theirNext = await other.locate(theirs("2026-12-08"));
      expect(theirNext).toMatchObject({ existing: null, previous: { id: their.id } });
      const theirItems = await other.readOpenItems(theirNext.previous ?? their, ["actions"]);
      expect(theirItems.actions.map((open) => plainText(open.text))).toEqual(["Theirs only"]);
    });
  });
}
