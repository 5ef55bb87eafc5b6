/// <reference types="node" />
// Loads Google's discovery documents (the vendor's own description of Docs v1 and Drive v3), kept beside this
// file (see README.md here for their source and revision), so a clone needs nothing outside its own tree.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isRecord } from "../../common/json";

export interface DiscoverySchema {
  id?: string;
  type?: string;
  $ref?: string;
  items?: DiscoverySchema;
  properties?: Record<string, DiscoverySchema>;
  additionalProperties?: DiscoverySchema;
  enum?: string[];
  format?: string;
  minimum?: string;
  maximum?: string;
  pattern?: string;
  readOnly?: boolean;
  default?: string;
}

export interface DiscoveryParameter extends DiscoverySchema {
  location: "path" | "query";
  required?: boolean;
  repeated?: boolean;
}

export interface DiscoveryMethod {
  id: string;
  httpMethod: string;
  path: string;
  parameters?: Record<string, DiscoveryParameter>;
  request?: { $ref: string };
  response?: { $ref: string };
  scopes?: string[];
  /** The method also serves the file's bytes with `alt=media`. */
  supportsMediaDownload?: boolean;
}

interface DiscoveryResource {
  methods?: Record<string, DiscoveryMethod>;
  resources?: Record<string, DiscoveryResource>;
}

export interface DiscoveryDocument {
  name: string;
  version: string;
  revision: string;
  schemas: Record<string, DiscoverySchema>;
  parameters: Record<string, DiscoveryParameter>;
  resources: Record<string, DiscoveryResource>;
}

export interface LoadedDiscovery {
  docs: DiscoveryDocument;
  drive: DiscoveryDocument;
  dir: string;
}

/** The repository root is the nearest folder above this file with a package.json and emulators/. */
function repoRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "emulators"))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no repository root above ${from}`);
    dir = parent;
  }
}

/** The folder of this file, which holds docs-v1.json and drive-v3.json. */
function defaultSpecsDir(): string {
  return path.join(repoRoot(), "emulators", "google", "discovery");
}

function read(file: string): DiscoveryDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`cannot read Google discovery document ${file}: ${String(error)}`);
  }
  if (!isRecord(parsed) || !isRecord(parsed.schemas) || !isRecord(parsed.resources)) {
    throw new Error(`${file} is not a discovery document (no schemas/resources)`);
  }
  // Checked above for the parts the emulator walks; the rest is Google's published format.
  return parsed as unknown as DiscoveryDocument;
}

export function loadDiscovery(dir: string = defaultSpecsDir()): LoadedDiscovery {
  return {
    docs: read(path.join(dir, "docs-v1.json")),
    drive: read(path.join(dir, "drive-v3.json")),
    dir,
  };
}

/** A method by its discovery id, e.g. "docs.documents.batchUpdate" or "drive.files.copy". */
export function discoveryMethod(doc: DiscoveryDocument, id: string): DiscoveryMethod {
  const walk = (resources: Record<string, DiscoveryResource>): DiscoveryMethod | undefined => {
    for (const resource of Object.values(resources)) {
      for (const method of Object.values(resource.methods ?? {})) if (method.id === id) return method;
      const nested = resource.resources === undefined ? undefined : walk(resource.resources);
      if (nested !== undefined) return nested;
    }
    return undefined;
  };
  const method = walk(doc.resources);
  if (method === undefined) throw new Error(`discovery document ${doc.name} has no method ${id}`);
  return method;
}
