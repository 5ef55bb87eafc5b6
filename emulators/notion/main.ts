/// <reference types="node" />
// Runs the Notion emulator on its own (`npx tsx emulators/notion/main.ts [port]`) for manual poking.
import { startNotionEmulator } from "./server";

const port = Number(process.argv[2] ?? process.env.NOTION_EMULATOR_PORT ?? 0);
const emulator = await startNotionEmulator({ port });
console.log(
  `Notion emulator on ${emulator.url} (control API at ${emulator.url}/__emulator, pages at ${emulator.url}/view)`,
);

process.once("SIGINT", () => {
  const violations = emulator.violations();
  if (violations.length > 0) console.error(`violations:\n${violations.join("\n")}`);
  void emulator.close().then(() => process.exit(violations.length > 0 ? 1 : 0));
});
