/// <reference types="node" />
// The tsconfig ts-json-schema-generator reads a package's declarations with, shared by every schema we
// generate from vendors' types (Notion's SDK, Slack's and Discord's types). Strict null checks matter:
// without them every `| null` in the vendors' types would vanish from the schemas.
import fs from "node:fs";

/** Writes the tsconfig for generating from `entry` (a .d.ts file) to `file`. */
export function writeGeneratorTsconfig(file: string, entry: string): void {
  fs.writeFileSync(
    file,
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
}
