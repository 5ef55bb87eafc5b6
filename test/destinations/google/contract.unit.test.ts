// The Google Docs destination passes the shared destination contract in each mode that writes the
// rendered agenda, against the Google emulator in this process. (With a template document the copy holds the template's own
// content and only the carried items are written, so the contract's agenda items do not apply; the
// template mode has its own tests in destination.unit.test.ts.)

import type { GoogleDocsDestinationInput } from "../../../src/destinations/google/config";
import type { AgendaRef } from "../../../src/destinations/types";
import { describeDestinationContract } from "../contract";
import type { ModelDoc } from "./docs-model";
import { useGoogleEmulator } from "./emulator";
import { world } from "./harness";

const google = useGoogleEmulator();

type Mode = "running-doc" | "tab-per-meeting" | "doc-per-meeting";

async function harness(mode: Mode) {
  const w = await world(google);
  const folder = await google.folderFor([w.me], true);
  let input: GoogleDocsDestinationInput;
  let running: ModelDoc | null = null;
  if (mode === "running-doc" || mode === "tab-per-meeting") {
    running = await w.addDoc(w.me);
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
      const doc = running ?? w.doc(ref.id);
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
  describeDestinationContract(`Google Docs (${mode}, emulator)`, () => harness(mode));
}
