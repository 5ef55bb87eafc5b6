/// <reference types="node" />
// Generates JSON Schema from @notionhq/client's own TypeScript types, once per SDK version, cached on disk.
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { vendorSchemaGenerator } from "../../common/schema-generator";

export interface JsonSchemaDocument {
  definitions: Record<string, unknown>;
}

export interface LoadedSchema {
  schema: JsonSchemaDocument;
  sdkVersion: string;
  cached: boolean;
  /** Wall time to generate or read the cache. */
  ms: number;
  file: string;
}

/** Bump when the way definitions are produced changes, so old caches are not reused. */
const FORMAT = 1;

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

function versionOf(dir: string): string {
  const pkg: unknown = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const version = typeof pkg === "object" && pkg !== null && "version" in pkg ? pkg.version : undefined;
  return typeof version === "string" ? version : "unknown";
}

/** emulators/.generated, which git ignores. */
function generatedDir(): string {
  return path.resolve(fileURLToPath(new URL(".", import.meta.url)), "../../.generated");
}

/**
 * One TypeScript program for all the types (the slow part is building it), then one schema per
 * type merged into a single definitions table that ajv can compile once.
 */
function generate(entry: string, tsconfig: string, typeNames: readonly string[]): JsonSchemaDocument {
  const generator = vendorSchemaGenerator(entry, tsconfig);
  const definitions: Record<string, unknown> = {};
  for (const name of typeNames) {
    Object.assign(definitions, generator.createSchema(name).definitions ?? {});
  }
  return { definitions };
}

export function loadNotionSchema(typeNames: readonly string[]): LoadedSchema {
  const started = performance.now();
  const sdkDir = packageDir("@notionhq/client");
  const sdkVersion = versionOf(sdkDir);
  const generatorVersion = versionOf(packageDir("ts-json-schema-generator"));
  const key = createHash("sha256")
    .update(JSON.stringify({ FORMAT, generatorVersion, typeNames: [...typeNames].sort() }))
    .digest("hex")
    .slice(0, 12);
  const dir = generatedDir();
  const file = path.join(dir, `notion-sdk-${sdkVersion}-${key}.schema.json`);
  if (fs.existsSync(file)) {
    const schema = JSON.parse(fs.readFileSync(file, "utf8")) as JsonSchemaDocument;
    return { schema, sdkVersion, cached: true, ms: performance.now() - started, file };
  }
  fs.mkdirSync(dir, { recursive: true });
  const entry = path.join(sdkDir, "build/src/api-endpoints.d.ts");
  const tsconfig = path.join(dir, "notion-schema.tsconfig.json");
  const schema = generate(entry, tsconfig, typeNames);
  // Written whole then renamed, so a parallel run never reads half a file.
  const partial = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(partial, JSON.stringify(schema));
  fs.renameSync(partial, file);
  return { schema, sdkVersion, cached: false, ms: performance.now() - started, file };
}
