// `npm run dev`'s first step (the `predev` script): what wrangler dev needs on a fresh clone. Creates
// .dev.vars from .dev.vars.example when it is missing (the Worker answers 503 without ADMIN_TOKEN), and
// applies the migrations to the local D1 database wrangler dev uses (.wrangler/state), without asking.
// Both steps are safe to repeat: an existing .dev.vars is never touched, applied migrations are skipped.
import { constants } from "node:fs";
import { copyFile } from "node:fs/promises";
import path from "node:path";
import { runMain, ScriptError } from "./lib/run";
import { out, style } from "./lib/terminal";
import { runWrangler } from "./lib/wrangler-cli";

// Not stack.ts's REPO_ROOT: importing that would load wrangler and the emulators into this short step.
const REPO_ROOT = path.resolve(import.meta.dirname, "..");
const EXAMPLE = ".dev.vars.example";
const DEV_VARS = ".dev.vars";

/** Copies the example unless .dev.vars exists; true when it made one. */
async function ensureDevVars(): Promise<boolean> {
  try {
    // COPYFILE_EXCL: a .dev.vars a person edited is theirs, never overwritten.
    await copyFile(path.join(REPO_ROOT, EXAMPLE), path.join(REPO_ROOT, DEV_VARS), constants.COPYFILE_EXCL);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new ScriptError(`could not create ${DEV_VARS} from ${EXAMPLE}: ${(error as Error).message}`);
  }
}

async function main(): Promise<number> {
  process.chdir(REPO_ROOT);
  if (await ensureDevVars()) {
    out(
      `Created ${DEV_VARS} from ${EXAMPLE} ${style.dim("(local-only values; the admin token is in it, edit it there)")}`,
    );
  }
  const { stdout } = await runWrangler(["d1", "migrations", "apply", "DB", "--local"]);
  const applied = /No migrations to apply/.test(stdout) ? "already up to date" : "migrations applied";
  out(`Local D1 database (.wrangler/state): ${applied}`);
  return 0;
}

runMain(main);
