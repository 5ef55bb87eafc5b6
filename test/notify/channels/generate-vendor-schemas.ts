/// <reference types="node" />
// Generates JSON Schema from the vendors' own TypeScript types with ts-json-schema-generator: Slack's
// `KnownBlock` from @slack/types, and Discord's webhook body (`RESTPostAPIWebhookWithTokenJSONBody`)
// from discord-api-types. Run in Node: `npx tsx test/notify/channels/generate-vendor-schemas.ts`. The
// tests run inside workerd, which has neither the TypeScript compiler nor the host file system, so the
// schemas are generated here and committed beside the tests; vendor-schemas.unit.test.ts fails, naming this
// command, when an installed package or generator version differs from the one a schema was made from.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { vendorSchemaGenerator } from "../../../emulators/common/schema-generator";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../../..");

function versionOf(name: string): string {
  // Read from node_modules directly: some packages (discord-api-types) do not export their package.json.
  const pkg: unknown = JSON.parse(
    fs.readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8"),
  );
  const version = typeof pkg === "object" && pkg !== null && "version" in pkg ? pkg.version : undefined;
  return typeof version === "string" ? version : "unknown";
}

// The generator's tsconfig lives in the git-ignored test/.generated with the other scratch files.
const scratch = path.join(root, "test/.generated");
fs.mkdirSync(scratch, { recursive: true });

function generate(name: string, entry: string, type: string): Record<string, unknown> {
  const generator = vendorSchemaGenerator(entry, path.join(scratch, `${name}-schema.tsconfig.json`));
  return generator.createSchema(type).definitions ?? {};
}

function write(file: string, document: Record<string, unknown>, label: string): void {
  const out = path.join(here, file);
  fs.writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`wrote ${path.relative(root, out)} (${label})`);
}

const generatorVersion = versionOf("ts-json-schema-generator");
const slackTypesVersion = versionOf("@slack/types");
write(
  "slack-known-block.schema.json",
  {
    slackTypesVersion,
    generatorVersion,
    definitions: generate(
      "slack",
      path.join(root, "node_modules/@slack/types/dist/index.d.ts"),
      "KnownBlock",
    ),
  },
  `@slack/types ${slackTypesVersion}`,
);
const discordApiTypesVersion = versionOf("discord-api-types");
write(
  "discord-webhook-body.schema.json",
  {
    discordApiTypesVersion,
    generatorVersion,
    definitions: generate(
      "discord",
      path.join(root, "node_modules/discord-api-types/v10.d.ts"),
      "RESTPostAPIWebhookWithTokenJSONBody",
    ),
  },
  `discord-api-types ${discordApiTypesVersion}`,
);
