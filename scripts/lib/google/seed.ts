// Owns the Google workspace the scripts seed: people (so chips show names), a running doc shared with the
// service account, and a shared drive the service account may add to (Content manager, "fileOrganizer")
// with a template Doc that has `{{placeholders}}` and an "Action items" heading, shared with it to read.
// Since 2025 a service account owns no Drive storage, so agendas can only be copied into a shared drive.
import { z } from "zod";
import type { GoogleControl } from "../../../emulators/google/control";
import { ScriptError } from "../run";

export interface GooglePerson {
  name: string;
  email: string;
}

/** How the demo's lines call a person. */
export const firstName = (person: GooglePerson): string => person.name.split(" ")[0] ?? person.name;

const documentSchema = z.looseObject({ documentId: z.string().min(1) });
const folderSchema = z.looseObject({ id: z.string().min(1) });

function checked<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new ScriptError(`the Google emulator did not create ${what}: ${parsed.error.message}`);
  return parsed.data;
}

export async function createPeople(control: GoogleControl, people: readonly GooglePerson[]): Promise<void> {
  for (const person of people) await control.createUser({ email: person.email, name: person.name });
}

/** A manager's running 1:1 doc: one line on top, no sections yet; the report and the Worker may edit it. */
export async function seedRunningDoc(
  control: GoogleControl,
  options: { title: string; owner: string; report: string; serviceAccount: string; intro: string },
): Promise<string> {
  const created = await control.createDocument({
    title: options.title,
    owner: options.owner,
    sharedWith: [
      { principal: options.report, role: "writer" },
      { principal: options.serviceAccount, role: "writer" },
    ],
    content: [{ paragraph: options.intro }],
  });
  return checked(documentSchema, created, `the running doc "${options.title}"`).documentId;
}

export interface AgendaFolder {
  folderId: string;
  templateDocumentId: string;
}

/** A shared drive for a pair's agendas (the report may edit them too) and, in the manager's My Drive, the template each one is copied from. */
export async function seedAgendaFolder(
  control: GoogleControl,
  options: {
    driveName: string;
    templateTitle: string;
    owner: string;
    report: string;
    serviceAccount: string;
  },
): Promise<AgendaFolder> {
  const drive = await control.createFolder({
    name: options.driveName,
    sharedDrive: true,
    owner: options.owner,
    sharedWith: [
      { principal: options.report, role: "writer" },
      { principal: options.serviceAccount, role: "fileOrganizer" },
    ],
  });
  const template = await control.createDocument({
    title: options.templateTitle,
    owner: options.owner,
    sharedWith: [{ principal: options.serviceAccount, role: "reader" }],
    content: [
      { title: "1:1 {{manager.name}} & {{report.name}} · {{meeting.date}}" },
      {
        paragraph: [
          {
            text: "{{meeting.weekday}} {{meeting.date}} at {{meeting.time}} ({{meeting.timeZone}})",
            italic: true,
          },
        ],
      },
      { heading: "Wins since last time", level: 2 },
      { paragraph: "What went well, in a sentence or two." },
      { heading: "Discussion points", level: 2 },
      { bullet: "From {{report.name}}:" },
      { bullet: "From {{manager.name}}:" },
      { heading: "Action items", level: 2 },
      { paragraph: [{ text: "Type @ for the owner, then @ again for the due date.", italic: true }] },
    ],
  });
  return {
    folderId: checked(folderSchema, drive, `the shared drive "${options.driveName}"`).id,
    templateDocumentId: checked(documentSchema, template, `the template "${options.templateTitle}"`)
      .documentId,
  };
}
