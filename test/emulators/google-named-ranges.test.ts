// The Google emulator's named ranges as live sync relies on them (discovery document `NamedRange`: "content
// inserted inside a named range generally expands that range"): a range keeps to its text through edits
// around it, text typed at its end stays outside, and a range whose text is deleted is gone from
// documents.get. Person-side edits through the control API; each test has its own document.
import { describe, expect, inject, it } from "vitest";
import { googleControl } from "../../emulators/google/control";

const emu = googleControl(inject("googleUrl"));
const PERSON = "named-ranges-editor@example.com";

async function itemDoc() {
  const seeded = await emu.createDocument({
    title: `ranges-${crypto.randomUUID().slice(0, 8)}`,
    sharedWith: [{ principal: PERSON, role: "writer" }],
    content: [
      { paragraph: "Intro" },
      { namedRange: "oneonone.item.a1", content: [{ paragraph: "Item" }] },
      { paragraph: "Outro" },
    ],
  });
  return seeded.documentId;
}

async function rangesOf(documentId: string) {
  const doc = await emu.document(documentId);
  const named = doc.tabs?.[0]?.documentTab?.namedRanges?.["oneonone.item.a1"];
  return named?.namedRanges.flatMap((range) =>
    range.ranges.map((piece) => [piece.startIndex ?? 0, piece.endIndex]),
  );
}

describe("Google emulator: named ranges under people's edits", () => {
  it("moves with text typed above it, grows with text typed inside, keeps text typed at its end outside", async () => {
    const id = await itemDoc();
    // "Intro\n" is 1..7; the range covers "Item\n" at 7..12; "Outro\n" follows.
    expect(await rangesOf(id)).toEqual([[7, 12]]);
    await emu.batchUpdateAs(PERSON, id, [{ insertText: { location: { index: 1 }, text: "Hi " } }]);
    expect(await rangesOf(id)).toEqual([[10, 15]]);
    await emu.batchUpdateAs(PERSON, id, [{ insertText: { location: { index: 12 }, text: "xx" } }]);
    expect(await rangesOf(id)).toEqual([[10, 17]]);
    await emu.batchUpdateAs(PERSON, id, [{ insertText: { location: { index: 17 }, text: "\nNext" } }]);
    expect(await rangesOf(id)).toEqual([[10, 17]]);
  });

  it("is gone once all its text is deleted", async () => {
    const id = await itemDoc();
    await emu.batchUpdateAs(PERSON, id, [{ deleteContentRange: { range: { startIndex: 6, endIndex: 12 } } }]);
    expect(await rangesOf(id)).toBeUndefined();
    expect((await emu.document(id)).tabs?.[0]?.documentTab?.namedRanges).toBeUndefined();
  });
});
