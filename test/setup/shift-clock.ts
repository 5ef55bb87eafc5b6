// Setup file of both test projects: applies the run's clock shift (see clock-shift.ts) before any test
// file's code runs, in Node and inside workerd alike, so the Worker under test sees the shifted date too.
import { inject } from "vitest";
import { shiftClock } from "./clock-shift";

declare module "vitest" {
  export interface ProvidedContext {
    /** How far ahead of the real date this run puts "now" (TEST_CLOCK_SHIFT_DAYS); 0 normally. */
    clockShiftMs: number;
  }
}

shiftClock(inject("clockShiftMs") ?? 0);
