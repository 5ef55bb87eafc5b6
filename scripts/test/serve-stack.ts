// The local stack and nothing else, served until a signal: what `npm start -- --serve` leaves running,
// started in seconds rather than after the whole demo. Used by stops-on-signal.test.ts.
import { runMain, untilInterrupted } from "../lib/run";
import { startStack } from "../lib/stack";
import { out } from "../lib/terminal";

runMain(async () => {
  await startStack({ stateName: "signal-test", requestsPerSecond: 3, showLogs: false, digests: true });
  out("SERVING");
  await untilInterrupted();
  return 0;
});
