// Validates bodies against a discovery document's schemas with ajv, and words failures the way Google's front end does.
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { isRecord } from "../../common/json";
import { discoveryToJsonSchema } from "./json-schema";
import type { DiscoveryDocument, DiscoveryMethod, DiscoveryParameter } from "./load";

export interface Problem {
  /** What Google would answer, e.g. `Invalid JSON payload received. Unknown name "x" at 'requests[0]': Cannot find field.` */
  message: string;
  /** Google's field path (snake_case, `a[0].b`), for the BadRequest detail. */
  field: string;
  /** Plain JSON-pointer wording for the violation log. */
  detail: string;
  /** Set for a missing required parameter, which Google reports as `required` at that parameter. */
  reason?: "required";
}

export type Check = (value: unknown) => Problem | undefined;

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** "/requests/0/insertText" -> "requests[0].insert_text", the way Google names fields in errors. */
function googlePath(instancePath: string): string {
  let out = "";
  for (const part of instancePath.split("/").slice(1)) {
    const key = part.replaceAll("~1", "/").replaceAll("~0", "~");
    out += /^\d+$/.test(key) ? `[${key}]` : `${out === "" ? "" : "."}${snake(key)}`;
  }
  return out;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function protoType(schema: unknown): string {
  if (!isRecord(schema)) return "TYPE_MESSAGE";
  if (Array.isArray(schema.enum)) return "TYPE_ENUM";
  switch (schema.type) {
    case "integer":
      return schema.maximum === 2147483647 ? "TYPE_INT32" : "TYPE_INT64";
    case "number":
      return "TYPE_DOUBLE";
    case "boolean":
      return "TYPE_BOOL";
    case "string":
      return schema.pattern === "^-?[0-9]+$" ? "TYPE_INT64" : "TYPE_STRING";
    default:
      return "TYPE_MESSAGE";
  }
}

function problemFor(error: ErrorObject, schemaName: string): Problem {
  const path = googlePath(error.instancePath);
  const at = path === "" ? "" : ` at '${path}'`;
  const params = error.params as Record<string, unknown>;
  const pointer = `${schemaName}${error.instancePath}`;
  const data: unknown = error.data;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      return {
        message: `Invalid JSON payload received. Unknown name "${key}"${at}: Cannot find field.`,
        field: path,
        detail: `${pointer} has unknown field "${key}"`,
      };
    }
    case "maxProperties": {
      const keys = isRecord(data) ? Object.keys(data) : [];
      return {
        message: `Invalid JSON payload received. Oneof field 'request'${at} is already set. Cannot set '${snake(keys[1] ?? "")}'`,
        field: path,
        detail: `${pointer} sets ${keys.length} request kinds (${keys.join(", ")}); exactly one is allowed`,
      };
    }
    case "minProperties":
      return {
        message: `Invalid ${path}: No request set.`,
        field: path,
        detail: `${pointer} sets no request kind`,
      };
    case "required":
      return {
        message: `Invalid JSON payload received. Missing field '${String(params.missingProperty)}'${at}.`,
        field: path,
        detail: `${pointer} lacks ${String(params.missingProperty)}`,
      };
    default:
      return {
        message: `Invalid value${at} (${protoType(error.parentSchema)}), ${preview(data)}`,
        field: path,
        detail: `${pointer} ${error.message ?? "is invalid"} (got ${preview(data)})`,
      };
  }
}

export class DiscoveryValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(
    private readonly id: string,
    readonly doc: DiscoveryDocument,
    unions: readonly string[] = [],
  ) {
    this.ajv = new Ajv({ strict: false, allErrors: false, verbose: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: id, definitions: discoveryToJsonSchema(doc.schemas, { unions }) });
  }

  private compile(name: string): ValidateFunction {
    let validate = this.compiled.get(name);
    if (validate === undefined) {
      validate = this.ajv.getSchema(`${this.id}#/definitions/${name}`);
      if (validate === undefined) throw new Error(`${this.doc.name} discovery has no schema ${name}`);
      this.compiled.set(name, validate);
    }
    return validate;
  }

  /** A check against one named schema (compiled now, so the first request does not pay for it). */
  check(name: string): Check {
    const validate = this.compile(name);
    return (value) => {
      if (validate(value)) return undefined;
      const first = validate.errors?.[0];
      return first === undefined
        ? { message: "Invalid JSON payload received.", field: "", detail: `${name} failed validation` }
        : problemFor(first, name);
    };
  }
}

/** System parameters every Google API accepts, whether or not an older discovery document lists them. */
const SYSTEM_PARAMETERS = new Set([
  "access_token",
  "$.xgafv",
  "callback",
  "alt",
  "fields",
  "key",
  "prettyPrint",
  "quotaUser",
]);

/** Google ignores nothing in the query string: unknown names and bad values are 400s. */
export function checkQuery(
  method: DiscoveryMethod,
  globals: Record<string, DiscoveryParameter>,
  query: URLSearchParams,
): Problem | undefined {
  for (const [name, param] of Object.entries(method.parameters ?? {})) {
    if (param.location === "query" && param.required === true && !query.has(name)) {
      return {
        message: `Required parameter: ${name}`,
        field: name,
        detail: `query parameter ${name} is required by ${method.id}`,
        reason: "required",
      };
    }
  }
  for (const [name, value] of query) {
    const param = method.parameters?.[name] ?? globals[name];
    if (param === undefined && SYSTEM_PARAMETERS.has(name)) continue;
    // The global `alt` enum lists only json; methods that download also take media.
    if (name === "alt" && value === "media" && method.supportsMediaDownload === true) continue;
    if (param === undefined || param.location !== "query") {
      return {
        message: `Invalid JSON payload received. Unknown name "${name}": Cannot bind query parameter. Field '${name}' could not be found in request message.`,
        field: name,
        detail: `query parameter ${name} is not a parameter of ${method.id}`,
      };
    }
    const bad = (why: string): Problem => ({
      message: `Invalid value at '${snake(name)}' (${protoType({ type: param.type, enum: param.enum })}), "${value}"`,
      field: snake(name),
      detail: `query parameter ${name}=${value} ${why}`,
    });
    if (param.type === "boolean" && value !== "true" && value !== "false") return bad("is not a boolean");
    if (param.enum !== undefined && !param.enum.includes(value)) return bad("is not one of the enum values");
    if (param.type === "integer") {
      if (!/^-?\d+$/.test(value)) return bad("is not an integer");
      const n = Number(value);
      const min = param.minimum === undefined ? undefined : Number(param.minimum);
      const max = param.maximum === undefined ? undefined : Number(param.maximum);
      if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
        return {
          message: `Invalid value '${value}'. Values must be within the range: [${min ?? ""}, ${max ?? ""}]`,
          field: name,
          detail: `query parameter ${name}=${value} is out of range`,
        };
      }
    }
  }
  return undefined;
}
