// The Google Docs destination passes the shared destination contract in each mode that writes the
// rendered agenda, over the fake Google. (With a template document the copy holds the template's own
// content and only the carried items are written, so the contract's agenda items do not apply; the
// template mode has its own tests in destination.unit.test.ts.)

import type { GoogleDocsDestinationInput } from "../../../src/destinations/google/config";
import type { AgendaRef } from "../../../src/destinations/types";
import { describeDestinationContract } from "../contract";
import type { FakeDoc } from "./fake-docs";
import { world } from "./harness";

type Mode = "running-doc" | "tab-per-meeting" | "doc-per-meeting";

async function harness(mode: Mode) {
  const w = await world();
  const folder = w.google.addFolder([w.me], true);
  let input: GoogleDocsDestinationInput;
  let running: FakeDoc | null = null;
  if (mode === "running-doc" || mode === "tab-per-meeting") {
    running = w.google.addDoc([w.me]);
    input = {
      kind: "google-docs",
      mode: "running-doc",
      documentId: running.documentId,
      tabPerMeeting: mode === "tab-per-meeting",
    };
  } else {
    input = { kind: "google-docs", mode: "doc-per-meeting", folderId: folder };
  }
  return {
    destination: w.destination(input, "contract"),
    // The same document or folder: sections are keyed by pair, documents carry their pair.
    neighbour: (pairId: string) => w.destination(input, pairId),
    owner: { userId: "ada@example.com", name: "Ada Manager" },
    async markDone(ref: AgendaRef, label: string) {
      const doc = running ?? w.google.docs.get(ref.id);
      if (doc === undefined || doc === null) throw new Error(`no document for ${ref.id}`);
      for (let tab = 0; tab < doc.tabs.length; tab += 1) {
        if (!doc.text(tab).includes(` ${label}`)) continue;
        doc.selectOption(doc.indexOf(`\ue907 ${label}`, tab), "Done", tab);
        return;
      }
      throw new Error(`no item "${label}"`);
    },
  };
}

for (const mode of ["running-doc", "tab-per-meeting", "doc-per-meeting"] as const) {
  describeDestinationContract(`Google Docs (${mode}, fake)`, () => harness(mode));
}
