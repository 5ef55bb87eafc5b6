// Owns the scripts' Google Docs pairs: who meets, on which schedule, and where their agendas go — a
// running doc, or a doc per meeting copied from a template into a shared drive. The documents and folders
// are seeded first (their ids are the emulator's to choose), then each pair's import object is written
// the way a person would, with those ids.
import type { z } from "zod";
import type { DigestChannel } from "../../../src/domain/channels";
import type { Schedule } from "../../../src/domain/schedule";
import { scheduleSchema } from "../../../src/domain/schedule";
import type { GoogleSide } from "../google-side";
import type { GooglePerson } from "./seed";
import { createPeople, firstName, seedAgendaFolder, seedRunningDoc } from "./seed";

export type GoogleMode = "running-doc" | "doc-per-meeting";

type GoogleDestination =
  | { kind: "google-docs"; mode: "running-doc"; documentId: string }
  | { kind: "google-docs"; mode: "doc-per-meeting"; folderId: string; templateDocumentId: string };

export interface GooglePairSpec {
  id: string;
  manager: GooglePerson;
  report: GooglePerson;
  template: string;
  /** As written in an import file. */
  scheduleInput: z.input<typeof scheduleSchema>;
  mode: GoogleMode;
  /** Where the pair's digests go, as an import file names the channels; none when absent. */
  digests?: DigestChannel[];
}

export interface GooglePair extends GooglePairSpec {
  schedule: Schedule;
  carry: { discussion: boolean };
  destination: GoogleDestination;
  /** What a person calls the destination, for the demo's lines. */
  where: string;
}

/** The pair's running doc, or its shared drive and template, seeded and shared with the service account. */
async function seedDestination(
  google: GoogleSide,
  spec: GooglePairSpec,
): Promise<Omit<GooglePair, keyof GooglePairSpec>> {
  const names = `${firstName(spec.manager)} & ${firstName(spec.report)}`;
  const base = { schedule: scheduleSchema.parse(spec.scheduleInput), carry: { discussion: false } };
  if (spec.mode === "running-doc") {
    const title = `${names} · 1:1 notes`;
    const documentId = await seedRunningDoc(google.control, {
      title,
      owner: spec.manager.email,
      report: spec.report.email,
      serviceAccount: google.serviceAccount,
      intro: `${names}'s running 1:1 notes: each meeting's agenda is added as a section on top.`,
    });
    return {
      ...base,
      destination: { kind: "google-docs", mode: "running-doc", documentId },
      where: `running doc "${title}" (${firstName(spec.manager)}'s, shared with the service account as editor)`,
    };
  }
  const driveName = `${names} · 1:1s`;
  const templateTitle = `${firstName(spec.manager)}'s 1:1 template`;
  const folder = await seedAgendaFolder(google.control, {
    driveName,
    templateTitle,
    owner: spec.manager.email,
    report: spec.report.email,
    serviceAccount: google.serviceAccount,
  });
  return {
    ...base,
    destination: { kind: "google-docs", mode: "doc-per-meeting", ...folder },
    where: `shared drive "${driveName}" (service account: Content manager), template "${templateTitle}" (shared to read)`,
  };
}

export async function seedGooglePairs(
  google: GoogleSide,
  specs: readonly GooglePairSpec[],
): Promise<GooglePair[]> {
  await createPeople(
    google.control,
    specs.flatMap((spec) => [spec.manager, spec.report]),
  );
  const pairs: GooglePair[] = [];
  for (const spec of specs) pairs.push({ ...spec, ...(await seedDestination(google, spec)) });
  return pairs;
}

/** The pair as an import file has it. */
export function googleImport(pair: GooglePair): unknown {
  return {
    id: pair.id,
    manager: pair.manager,
    report: pair.report,
    template: pair.template,
    schedule: pair.scheduleInput,
    destination: pair.destination,
    ...(pair.digests === undefined ? {} : { digests: pair.digests }),
  };
}

/** The document an agenda lives in: the running doc, or the agenda's own document. */
export function agendaDocumentId(pair: GooglePair, agendaId: string): string {
  return pair.destination.mode === "running-doc" ? pair.destination.documentId : agendaId;
}
