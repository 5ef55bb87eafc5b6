// Test helper: a Notion emulator of the test file's own, started in this process on a loopback port
// before its tests and closed after them. After each test it checks that nothing the test sent broke the
// SDK's schema, then forgets everything (workspace, integrations, calls, faults), so tests may reuse ids.
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { type NotionControl, notionControl } from "../../../emulators/notion/control";
import { type NotionEmulator, startNotionEmulator } from "../../../emulators/notion/server";

export interface EmulatedNotion {
  readonly emulator: NotionEmulator;
  readonly control: NotionControl;
}

/** Call at the top of a test file. */
export function useNotionEmulator(): EmulatedNotion {
  let emulator: NotionEmulator | undefined;
  let control: NotionControl | undefined;
  beforeAll(async () => {
    emulator = await startNotionEmulator();
    control = notionControl(emulator.url);
  });
  afterEach(async () => {
    const violations = emulator?.violations() ?? [];
    await control?.reset();
    expect(violations).toEqual([]);
  });
  afterAll(() => emulator?.close());
  const started = () => {
    if (emulator === undefined || control === undefined)
      throw new Error("the Notion emulator is not running");
    return { emulator, control };
  };
  return {
    get emulator() {
      return started().emulator;
    },
    get control() {
      return started().control;
    },
  };
}
