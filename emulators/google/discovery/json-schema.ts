// Turns a discovery document's `schemas` into JSON Schema definitions that ajv can compile.
import type { JsonObject } from "../../common/json";
import type { DiscoverySchema } from "./load";

export interface ConvertOptions {
  /**
   * Schemas that are protobuf oneofs in disguise (Docs' `Request`): exactly one property must be set.
   * The discovery format cannot say so, so the caller names them.
   */
  unions?: readonly string[];
}

const INT32 = { minimum: -2147483648, maximum: 2147483647 };
const UINT32 = { minimum: 0, maximum: 4294967295 };

function bounds(node: DiscoverySchema): JsonObject {
  const out: JsonObject = {};
  if (node.minimum !== undefined) out.minimum = Number(node.minimum);
  if (node.maximum !== undefined) out.maximum = Number(node.maximum);
  return out;
}

function stringSchema(node: DiscoverySchema): JsonObject {
  const out: JsonObject = { type: "string" };
  if (node.enum !== undefined) out.enum = node.enum;
  if (node.pattern !== undefined) out.pattern = node.pattern;
  switch (node.format) {
    // 64-bit integers travel as decimal strings in Google's JSON.
    case "int64":
      out.pattern = "^-?[0-9]+$";
      break;
    case "uint64":
      out.pattern = "^[0-9]+$";
      break;
    case "date-time":
    case "google-datetime":
      out.format = "date-time";
      break;
    case "date":
      out.format = "date";
      break;
    case "google-duration":
      out.pattern = "^-?[0-9]+(\\.[0-9]{1,9})?s$";
      break;
    default:
      break;
  }
  return out;
}

/** One discovery node to JSON Schema; `$ref` names become local definition references. */
function convertNode(node: DiscoverySchema): JsonObject {
  if (node.$ref !== undefined) return { $ref: `#/definitions/${node.$ref}` };
  switch (node.type) {
    case "string":
      return stringSchema(node);
    case "integer": {
      const range = node.format === "uint32" ? UINT32 : node.format === "int32" ? INT32 : {};
      return { type: "integer", ...range, ...bounds(node) };
    }
    case "number":
      return { type: "number", ...bounds(node) };
    case "boolean":
      return { type: "boolean" };
    case "array":
      return { type: "array", ...(node.items !== undefined ? { items: convertNode(node.items) } : {}) };
    case "object": {
      const out: JsonObject = { type: "object" };
      if (node.properties !== undefined) {
        out.properties = Object.fromEntries(
          Object.entries(node.properties).map(([key, value]) => [key, convertNode(value)]),
        );
      }
      if (node.additionalProperties !== undefined)
        out.additionalProperties = convertNode(node.additionalProperties);
      // A message with declared fields accepts no others: Google answers "Cannot find field".
      else if (node.properties !== undefined) out.additionalProperties = false;
      return out;
    }
    case "any":
    case undefined:
      return {};
    default:
      throw new Error(`discovery type ${node.type} is not understood`);
  }
}

export function discoveryToJsonSchema(
  schemas: Record<string, DiscoverySchema>,
  options: ConvertOptions = {},
): Record<string, JsonObject> {
  const unions = new Set(options.unions ?? []);
  const definitions: Record<string, JsonObject> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const converted = convertNode(schema);
    definitions[name] = unions.has(name) ? { ...converted, minProperties: 1, maxProperties: 1 } : converted;
  }
  return definitions;
}
