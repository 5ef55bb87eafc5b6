// Test helper: a Google emulator of the test file's own, started in this process on a loopback port
// before its tests and closed after them, with its faults cleared after each test. Its token endpoint
// judges assertions by the clock the file sets (a test's fake clock), never the real one.
import { afterAll, afterEach, beforeAll } from "vitest";
import { type GoogleControl, googleControl } from "../../../emulators/google/control";
import { type GoogleEmulator, startGoogleEmulator } from "../../../emulators/google/server";

export interface EmulatedGoogle {
  readonly emulator: GoogleEmulator;
  readonly control: GoogleControl;
  /** The clock Google's token endpoint judges assertions by from now on. */
  setClock(now: () => number): void;
  /** A Workspace user, new each time. */
  person(name?: string): Promise<string>;
  /** A blank document shared (as writer) with each principal. */
  docFor(...sharedWith: string[]): Promise<string>;
  /** A shared drive, or a folder in another user's My Drive, shared with each principal. */
  folderFor(sharedWith: string[], sharedDrive: boolean): Promise<string>;
}

/** Call at the top of a test file. */
export function useGoogleEmulator(): EmulatedGoogle {
  let emulator: GoogleEmulator | undefined;
  let control: GoogleControl | undefined;
  let now: () => number = () => 0;
  let people = 0;
  beforeAll(async () => {
    emulator = await startGoogleEmulator({ now: () => now() });
    control = googleControl(emulator.url);
  });
  afterEach(() => control?.clearFaults());
  afterAll(() => emulator?.close());
  const started = () => {
    if (emulator === undefined || control === undefined)
      throw new Error("the Google emulator is not running");
    return { emulator, control };
  };
  return {
    get emulator() {
      return started().emulator;
    },
    get control() {
      return started().control;
    },
    setClock(clock) {
      now = clock;
    },
    async person(name = "person") {
      people += 1;
      return (await started().control.createUser({ email: `${name}${people}@example.com` })).email;
    },
    async docFor(...sharedWith) {
      return (await started().control.createDocument({ title: "Doc", sharedWith })).documentId;
    },
    async folderFor(sharedWith, sharedDrive) {
      return (await started().control.createFolder({ name: "Agendas", sharedDrive, sharedWith })).id;
    },
  };
}
