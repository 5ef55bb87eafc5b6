/// <reference types="node" />
// The one way we turn vendors' TypeScript types into JSON Schema (Notion's SDK for its emulator, Slack's
// and Discord's types for digest payloads): ts-json-schema-generator over a package's declarations, with
// the same options everywhere. Strict null checks matter: without them every `| null` in the vendors'
// types would vanish from the schemas.
import fs from "node:fs";
import { createGenerator, type SchemaGenerator } from "ts-json-schema-generator";

/** A generator for the types declared in `entry` (a .d.ts file); its tsconfig is written to `tsconfigFile`. */
export function vendorSchemaGenerator(entry: string, tsconfigFile: string): SchemaGenerator {
  fs.writeFileSync(
    tsconfigFile,
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
  return createGenerator({
    path: entry,
    tsconfig: tsconfigFile,
    expose: "all",
    skipTypeCheck: true,
    topRef: true,
    jsDoc: "none",
    additionalProperties: false,
  });
}
