// Validates request and response bodies against the SDK-derived JSON Schema with ajv.
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { JsonSchemaDocument } from "./generate";

export type Check = (value: unknown) => string | undefined;

const SCHEMA_ID = "notion-sdk";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "/children/0/paragraph" -> ".children[0].paragraph", the way Notion writes paths. */
function notionPath(instancePath: string): string {
  return instancePath
    .split("/")
    .slice(1)
    .map((part) =>
      /^\d+$/.test(part) ? `[${part}]` : `.${part.replaceAll("~1", "/").replaceAll("~0", "~")}`,
    )
    .join("");
}

/** Notion quotes the offending value, cut short. */
function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 55 ? `${text.slice(0, 55)}...` : text;
}

/** One ajv error in Notion's words: `body.x.y should be defined, instead was \`undefined\`.` */
function line(error: ErrorObject, root: string): string {
  const path = `${root}${notionPath(error.instancePath)}`;
  const params = error.params as Record<string, unknown>;
  const data: unknown = error.data;
  switch (error.keyword) {
    case "required":
      return `${path}.${String(params.missingProperty)} should be defined, instead was \`undefined\`.`;
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const value = isObject(data) ? data[key] : undefined;
      return `${path}.${key} should be not present, instead was \`${preview(value)}\`.`;
    }
    case "type":
      return `${path} should be ${String(params.type)}, instead was \`${preview(data)}\`.`;
    case "const":
      return `${path} should be \`${preview(params.allowedValue)}\`, instead was \`${preview(data)}\`.`;
    case "enum":
      return `${path} should be one of the allowed values, instead was \`${preview(data)}\`.`;
    default:
      return `${path} ${error.message ?? "is invalid"}, instead was \`${preview(data)}\`.`;
  }
}

/**
 * An anyOf over thirty block types yields thirty complaints. The deepest ones come from the branch
 * that matched best; several at the same depth become Notion's "Fix one:" list.
 */
function describe(errors: readonly ErrorObject[], root: string): string {
  const depth = (e: ErrorObject) => e.instancePath.split("/").length;
  const deepest = Math.max(...errors.filter((e) => e.keyword !== "anyOf").map(depth));
  const lines = [
    ...new Set(errors.filter((e) => e.keyword !== "anyOf" && depth(e) === deepest).map((e) => line(e, root))),
  ];
  if (lines.length === 0) return `${root} failed validation.`;
  if (lines.length === 1) return `${root} failed validation: ${lines[0]}`;
  const shown = lines.slice(0, 10);
  if (lines.length > shown.length) shown.push(`(and ${lines.length - shown.length} more)`);
  return `${root} failed validation. Fix one:\n${shown.join("\n")}`;
}

export class SchemaValidator {
  private readonly ajv: Ajv;
  private readonly definitions: Record<string, unknown>;

  constructor(document: JsonSchemaDocument) {
    // Not strict: the generator emits annotations such as `deprecated: "use in_trash"` that ajv does not know.
    this.ajv = new Ajv({ strict: false, allErrors: false, verbose: true });
    addFormats(this.ajv);
    this.definitions = { ...document.definitions };
  }

  private compiled = false;

  private compile(name: string): ValidateFunction {
    if (!this.compiled) {
      this.ajv.addSchema({ $id: SCHEMA_ID, definitions: this.definitions });
      this.compiled = true;
    }
    const validate = this.ajv.getSchema(`${SCHEMA_ID}#/definitions/${encodeURIComponent(name)}`);
    if (validate === undefined) throw new Error(`no schema for ${name}`);
    return validate;
  }

  /**
   * The SDK's `XxxParameters` merge path, query and body keys; the body schema is that type
   * without the keys its endpoint table lists as path or query parameters.
   */
  bodyCheck(parametersType: string, omit: readonly string[]): Check {
    const name = `Body_${parametersType}`;
    if (!(name in this.definitions)) {
      if (this.compiled) throw new Error("register body schemas before the first validation");
      this.definitions[name] = this.without(this.definitions[parametersType], new Set(omit));
    }
    return this.check(name, "body");
  }

  responseCheck(responseType: string): Check {
    return this.check(responseType, "response");
  }

  /** Compiles every registered check now, so the first request does not pay for it. */
  warm(): void {
    for (const name of this.registered) this.compile(name);
  }

  private readonly registered: string[] = [];

  private check(name: string, root: string): Check {
    this.registered.push(name);
    let validate: ValidateFunction | undefined;
    return (value) => {
      validate ??= this.compile(name);
      return validate(value) ? undefined : describe(validate.errors ?? [], root);
    };
  }

  private without(schema: unknown, omit: ReadonlySet<string>): unknown {
    if (!isObject(schema)) return schema;
    const ref = schema.$ref;
    if (typeof ref === "string" && ref.startsWith("#/definitions/")) {
      return this.without(this.definitions[decodeURIComponent(ref.slice("#/definitions/".length))], omit);
    }
    if (Array.isArray(schema.anyOf))
      return { ...schema, anyOf: schema.anyOf.map((s) => this.without(s, omit)) };
    if (Array.isArray(schema.allOf))
      return { ...schema, allOf: schema.allOf.map((s) => this.without(s, omit)) };
    if (!isObject(schema.properties)) return schema;
    const properties = Object.fromEntries(Object.entries(schema.properties).filter(([k]) => !omit.has(k)));
    const required = Array.isArray(schema.required)
      ? schema.required.filter((k) => !omit.has(String(k)))
      : undefined;
    return { ...schema, properties, ...(required ? { required } : {}) };
  }
}
