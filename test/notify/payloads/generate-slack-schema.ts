/// <reference types="node" />
// Generates the JSON Schema of Slack's `KnownBlock` from @slack/types with ts-json-schema-generator.
// Run in Node: `npx tsx test/notify/payloads/generate-slack-schema.ts`. The tests run inside workerd,
// which has neither the TypeScript compiler nor the host file system, so the schema is generated here
// and committed beside the tests; slack.test.ts fails, naming this command, when the installed
// @slack/types or generator version differs from the one the committed schema was made from.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createGenerator } from "ts-json-schema-generator";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../../..");

function versionOf(name: string): string {
  const file = require.resolve(`${name}/package.json`, { paths: [root] });
  const pkg: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  const version = typeof pkg === "object" && pkg !== null && "version" in pkg ? pkg.version : undefined;
  return typeof version === "string" ? version : "unknown";
}

const entry = path.join(root, "node_modules/@slack/types/dist/index.d.ts");
// The generator needs a tsconfig; strict null checks keep every `| null`. It lives in the git-ignored
// test/.generated with the other generator scratch files.
const scratch = path.join(root, "test/.generated");
fs.mkdirSync(scratch, { recursive: true });
const tsconfig = path.join(scratch, "slack-schema.tsconfig.json");
fs.writeFileSync(
  tsconfig,
  JSON.stringify({
    compilerOptions: {
      strict: true,
      skipLibCheck: true,
      target: "ES2023",
      module: "ESNext",
      moduleResolution: "Bundler",
      noEmit: true,
    },
    files: [entry],
  }),
);
const generator = createGenerator({
  path: entry,
  tsconfig,
  expose: "all",
  skipTypeCheck: true,
  topRef: true,
  jsDoc: "none",
  additionalProperties: false,
});
const schema = generator.createSchema("KnownBlock");
const document = {
  slackTypesVersion: versionOf("@slack/types"),
  generatorVersion: versionOf("ts-json-schema-generator"),
  definitions: schema.definitions ?? {},
};
const out = path.join(here, "slack-known-block.schema.json");
fs.writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
console.log(`wrote ${path.relative(root, out)} (@slack/types ${document.slackTypesVersion})`);
