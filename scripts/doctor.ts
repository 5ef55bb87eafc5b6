// `npm run doctor`: asks the Worker to check every stored pair (GET /admin/doctor) and prints a table,
// pair by check, then each problem's fix. Against the local stack by default, or any deployed Worker with
// --url. The admin token comes from ADMIN_TOKEN or --token-file, never from a flag's value, so it stays
// out of shell history and process lists. Exits 1 when anything needs fixing.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { adminClient } from "./lib/admin";
import { formatDoctorReport } from "./lib/doctor-table";
import { runMain, ScriptError } from "./lib/run";
import { out, style } from "./lib/terminal";

const USAGE = `usage: ADMIN_TOKEN=… npm run doctor [-- --url https://your-worker] [--token-file path] [--dry-run] [--json]
  --url         the Worker (default http://localhost:8787, the local stack)
  --token-file  a file holding the admin token (else ADMIN_TOKEN)
  --dry-run     also show each pair's next agenda as a dry run would write it (writes nothing)
  --json        print the Worker's answer as JSON instead of the table`;

async function adminToken(tokenFile: string | undefined): Promise<string> {
  if (tokenFile !== undefined) {
    let text: string;
    try {
      text = await readFile(tokenFile, "utf8");
    } catch (error) {
      throw new ScriptError(
        `--token-file ${tokenFile}: ${(error as NodeJS.ErrnoException).code ?? "cannot be read"}`,
      );
    }
    const token = text.trim();
    if (token === "") throw new ScriptError(`--token-file ${tokenFile} is empty`);
    return token;
  }
  const token = process.env.ADMIN_TOKEN?.trim();
  if (token === undefined || token === "") throw new ScriptError(`ADMIN_TOKEN is not set\n${USAGE}`);
  return token;
}

runMain(async () => {
  let values: { url: string; "token-file"?: string; "dry-run": boolean; json: boolean; help: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        url: { type: "string", default: process.env.AGENDAS_URL ?? "http://localhost:8787" },
        "token-file": { type: "string" },
        "dry-run": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    throw new ScriptError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const url = values.url.replace(/\/+$/, "");
  const report = await adminClient(url, await adminToken(values["token-file"])).doctor(values["dry-run"]);
  if (values.json) out(JSON.stringify(report, null, 2));
  else {
    out(style.dim(`${url} · checked ${report.checkedAt}`));
    for (const line of formatDoctorReport(report, {
      ok: style.green,
      problem: style.red,
      skipped: style.dim,
      heading: style.bold,
    }))
      out(line);
  }
  return report.ok ? 0 : 1;
});
