// Owns the Worker's local D1 state for a script run: a folder under .wrangler/ wiped first, so every run
// starts from an empty database, then the project's migrations applied to it by wrangler itself.
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { runWrangler } from "./wrangler-cli";

/** `.wrangler/<name>`, emptied and migrated; returns its absolute path for `persistTo`. */
export async function freshLocalState(name: string): Promise<string> {
  const dir = path.resolve(".wrangler", name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await runWrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", dir]);
  return dir;
}
