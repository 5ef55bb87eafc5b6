// Google's partial-response `fields` masks ("files(id,name),nextPageToken"): parsing, checking against a schema, projecting.
import { isRecord, type JsonObject } from "../../common/json";
import type { DiscoverySchema } from "./load";

export interface FieldMask {
  /** The whole value is selected (a leaf, or `*`). */
  all: boolean;
  fields: Map<string, FieldMask>;
}

export class FieldMaskError extends Error {}

const leaf = (): FieldMask => ({ all: true, fields: new Map() });
const node = (): FieldMask => ({ all: false, fields: new Map() });

function merge(into: FieldMask, path: string[], sub: FieldMask): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (head === "*") {
    into.all = true;
    return;
  }
  let child = into.fields.get(head);
  if (rest.length === 0) {
    if (child === undefined) into.fields.set(head, sub);
    else if (sub.all) child.all = true;
    else for (const [k, v] of sub.fields) child.fields.set(k, v);
    return;
  }
  if (child === undefined) {
    child = node();
    into.fields.set(head, child);
  }
  merge(child, rest, sub);
}

export function parseFields(text: string): FieldMask {
  let pos = 0;
  const name = (): string => {
    const match = /^[A-Za-z0-9_*]+/.exec(text.slice(pos));
    if (match === null) throw new FieldMaskError(`Invalid field selection ${text.slice(pos) || text}`);
    pos += match[0].length;
    return match[0];
  };
  const list = (into: FieldMask): void => {
    for (;;) {
      while (text[pos] === " ") pos++;
      const path = [name()];
      while (text[pos] === "/") {
        pos++;
        path.push(name());
      }
      let sub = leaf();
      if (text[pos] === "(") {
        pos++;
        sub = node();
        list(sub);
        if (text[pos] !== ")") throw new FieldMaskError(`Invalid field selection ${text}`);
        pos++;
      }
      merge(into, path, sub);
      while (text[pos] === " ") pos++;
      if (text[pos] !== ",") return;
      pos++;
    }
  };
  const root = node();
  list(root);
  if (pos !== text.length) throw new FieldMaskError(`Invalid field selection ${text.slice(pos)}`);
  return root;
}

function resolve(schema: DiscoverySchema | undefined, schemas: Record<string, DiscoverySchema>) {
  let current = schema;
  while (current?.$ref !== undefined) current = schemas[current.$ref];
  while (current?.type === "array") {
    current = current.items;
    while (current?.$ref !== undefined) current = schemas[current.$ref];
  }
  return current;
}

/** The first selected name the schema does not have, as Google reports it (the name alone, not its path). */
export function checkFields(
  mask: FieldMask,
  schemaName: string,
  schemas: Record<string, DiscoverySchema>,
): string | undefined {
  const walk = (m: FieldMask, schema: DiscoverySchema | undefined): string | undefined => {
    const resolved = resolve(schema, schemas);
    for (const [key, sub] of m.fields) {
      // Map-valued fields (appProperties) accept any key below them.
      if (resolved?.additionalProperties !== undefined && resolved.properties === undefined) continue;
      const property = resolved?.properties?.[key];
      if (property === undefined) return key;
      const bad = walk(sub, property);
      if (bad !== undefined) return bad;
    }
    return undefined;
  };
  return walk(mask, schemas[schemaName]);
}

export function project(value: unknown, mask: FieldMask): unknown {
  if (mask.all) return value;
  if (Array.isArray(value)) return value.map((v) => project(v, mask));
  if (!isRecord(value)) return value;
  const out: JsonObject = {};
  for (const [key, sub] of mask.fields) {
    if (key in value) out[key] = project(value[key], sub);
  }
  return out;
}

/** Whether the mask names `key` at its top level (Docs treats a mask naming `tabs` as includeTabsContent). */
export function selects(mask: FieldMask, key: string): boolean {
  return mask.all || mask.fields.has(key);
}
