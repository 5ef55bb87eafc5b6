/// <reference types="node" />
// Runs the Google emulator on its own (`npx tsx emulators/google/main.ts [port]`) for manual poking.
import { startGoogleEmulator } from "./server";

const port = Number(process.argv[2] ?? process.env.GOOGLE_EMULATOR_PORT ?? 0);
const emulator = await startGoogleEmulator({ port });
console.log(
  `Google emulator on ${emulator.url} (token endpoint ${emulator.tokenUrl}, control API at ${emulator.url}/__emulator, documents at ${emulator.url}/view)`,
);

process.once("SIGINT", () => {
  const violations = emulator.violations();
  if (violations.length > 0) console.error(`violations:\n${violations.join("\n")}`);
  void emulator.close().then(() => process.exit(violations.length > 0 ? 1 : 0));
});
