// Bulk import of pairs from a YAML or JSON file: `npm run import-pairs -- pairs.yaml`.
// The Worker validates every pair and stores all of them or none; this command only reads the file,
// sends it, and prints what was imported or every problem with its path.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: "string", default: process.env.AGENDAS_URL ?? "http://127.0.0.1:8787" },
  },
});

const file = positionals[0];
const token = process.env.ADMIN_TOKEN;
if (!file || !token) {
  console.error(
    "usage: ADMIN_TOKEN=… npm run import-pairs -- <pairs.yaml|pairs.json> [--url https://your-worker]",
  );
  process.exit(2);
}

const text = await readFile(file, "utf8");
let document: unknown;
try {
  document = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
} catch (error) {
  console.error(
    `${file}: not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(error as Error).message}`,
  );
  process.exit(1);
}

const response = await fetch(new URL("/admin/pairs/import", values.url), {
  method: "POST",
  headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
  body: JSON.stringify(document),
});
const body = (await response.json()) as { imported?: string[]; problems?: string[] };
if (!response.ok) {
  console.error(`import refused (${response.status}); nothing was stored:`);
  for (const problem of body.problems ?? []) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(`imported ${body.imported?.length ?? 0} pairs: ${(body.imported ?? []).join(", ")}`);
