/**
 * A served OpenAPI 3.1 document as data a fuzzer walks (`operationsOf`) and a validator of
 * values against its schemas (`DocumentValidator`): Ajv in draft 2020-12 mode, the formats
 * of ajv-formats (`date` is a real calendar day, `date-time` RFC 3339, `uri` RFC 3986), and
 * OpenAPI's `example` keyword allowed. Lengths are counted in characters (code points), as
 * JSON Schema says, so a client validating with any conforming validator sees what this one
 * sees.
 *
 * Ajv and ajv-formats are not dependencies of the project: they come with
 * @redocly/openapi-core (the document's linter), which installs Ajv under the name `ajv`.
 *
 * Contract: `validate` answers `[]` when the value satisfies the schema, else one line per
 * error (`/path: message`); `validateClosed` the same with every object closed to the
 * fields its schema names (for answers: see there). Every schema of the document, its
 * `$ref`s included, compiles in strict mode or throws — a keyword the validator does not
 * know is an error, not silently ignored.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Schema, SchemaObject } from './json-schema-arbitrary.ts';

export interface ParameterObject {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema: Schema;
}

export interface MediaTypeObject {
  readonly schema?: Schema;
}

export interface ResponseObject {
  readonly description?: string;
  readonly content?: Readonly<Record<string, MediaTypeObject>>;
}

export interface OperationObject {
  readonly operationId?: string;
  readonly parameters?: readonly ParameterObject[];
  readonly requestBody?: { readonly required?: boolean; readonly content: Readonly<Record<string, MediaTypeObject>> };
  readonly responses: Readonly<Record<string, ResponseObject>>;
}

export interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Readonly<Record<string, Readonly<Record<string, OperationObject>>>>;
  readonly components?: { readonly schemas?: Readonly<Record<string, Schema>> };
}

/** One operation of the document, its method upper-cased. */
export interface Operation extends OperationObject {
  readonly operationId: string;
  readonly method: string;
  /** The path template as the document writes it: `/api/cases/{caseId}`. */
  readonly path: string;
  readonly parameters: readonly ParameterObject[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Every operation of the document, in document order. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths))
    for (const method of METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      out.push({
        ...op,
        operationId: op.operationId ?? `${method} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
      });
    }
  return out;
}

/** The declared response for a status: exact, then its range (`4XX`), then `default`. */
export function declaredResponse(op: OperationObject, status: number): ResponseObject | undefined {
  return op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses.default;
}

const COMPONENTS_ID = 'https://proviso.invalid/openapi.json';
const COMPONENT_REF = '#/components/schemas/';

/** `schema` with each `#/components/schemas/X` reference made absolute (into `COMPONENTS_ID`). */
function absoluteRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(absoluteRefs);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    out[k] =
      k === '$ref' && typeof v === 'string' && v.startsWith(COMPONENT_REF)
        ? `${COMPONENTS_ID}#/$defs/${v.slice(COMPONENT_REF.length)}`
        : absoluteRefs(v);
  }
  return out;
}

const SUBSCHEMA_MAPS = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs']);
const SUBSCHEMAS = new Set([
  'items',
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
]);

/**
 * `schema` with every object it describes closed to fields it does not name
 * (`unevaluatedProperties: false` where it says nothing of other fields), `$ref`s made
 * absolute into the closed (`closed_X`) or, inside an `allOf`, open (`open_X`) copies of
 * the components: an `allOf` is closed as a whole, its members left open, so that the
 * fields one member names are not refused by another.
 */
function closedSchema(schema: unknown, open = false): unknown {
  if (Array.isArray(schema)) return schema.map((s) => closedSchema(s, open));
  if (schema === null || typeof schema !== 'object') return schema;
  const node = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith(COMPONENT_REF))
      out[k] = `${COMPONENTS_ID}#/$defs/${open ? 'open' : 'closed'}_${v.slice(COMPONENT_REF.length)}`;
    else if (k === 'allOf' && Array.isArray(v)) out[k] = v.map((m) => closedSchema(m, true));
    else if ((k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) out[k] = v.map((m) => closedSchema(m, open));
    else if (k === 'prefixItems' && Array.isArray(v)) out[k] = v.map((m) => closedSchema(m));
    else if (SUBSCHEMA_MAPS.has(k) && v !== null && typeof v === 'object')
      out[k] = Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, closedSchema(sub)]));
    else if (SUBSCHEMAS.has(k)) out[k] = closedSchema(v);
    else out[k] = v;
  }
  const objectLike = node.type === 'object' || 'properties' in node || 'allOf' in node;
  if (!open && objectLike && !('additionalProperties' in node) && !('unevaluatedProperties' in node))
    out.unevaluatedProperties = false;
  return out;
}

function errorLine(e: ErrorObject): string {
  const params =
    e.keyword === 'additionalProperties'
      ? ` (${String(e.params.additionalProperty)})`
      : e.keyword === 'unevaluatedProperties'
        ? ` (${String(e.params.unevaluatedProperty)})`
        : '';
  return `${e.instancePath === '' ? '/' : e.instancePath}: ${e.message ?? e.keyword}${params}`;
}

export class DocumentValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new WeakMap<object, ValidateFunction>();
  private readonly compiledClosed = new WeakMap<object, ValidateFunction>();
  private readonly components: Readonly<Record<string, Schema>>;

  constructor(doc: OpenApiDocument) {
    this.ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictTuples: false });
    addFormats.default(this.ajv);
    this.ajv.addKeyword({ keyword: 'example' });
    this.components = doc.components?.schemas ?? {};
    const defs: Record<string, unknown> = absoluteRefs(this.components) as Record<string, unknown>;
    for (const [name, component] of Object.entries(this.components)) {
      defs[`closed_${name}`] = closedSchema(component);
      defs[`open_${name}`] = closedSchema(component, true);
    }
    this.ajv.addSchema({ $id: COMPONENTS_ID, $defs: defs } as SchemaObject);
  }

  /** The component a `#/components/schemas/X` reference names. */
  resolve = (ref: string): Schema => {
    if (!ref.startsWith(COMPONENT_REF)) throw new Error(`unsupported $ref ${ref}`);
    const found = this.components[ref.slice(COMPONENT_REF.length)];
    if (found === undefined) throw new Error(`no component for ${ref}`);
    return found;
  };

  /** `[]` when `value` satisfies `schema`, else its errors (see the module contract). */
  validate(schema: Schema, value: unknown): string[] {
    if (typeof schema === 'boolean') return schema ? [] : ['/: the schema is false'];
    let check = this.compiled.get(schema);
    if (check === undefined) {
      check = this.ajv.compile(absoluteRefs(schema) as SchemaObject);
      this.compiled.set(schema, check);
    }
    return check(value) ? [] : (check.errors ?? []).map(errorLine);
  }

  /**
   * `validate`, with every object closed to the fields its schema names (see
   * `closedSchema`): the document's objects are open, as JSON Schema's are, but an answer
   * of the server describes each field it sends — a field no schema names (a leaked hash,
   * a renamed key) is an error here.
   */
  validateClosed(schema: Schema, value: unknown): string[] {
    if (typeof schema === 'boolean') return this.validate(schema, value);
    let check = this.compiledClosed.get(schema);
    if (check === undefined) {
      check = this.ajv.compile(closedSchema(schema) as SchemaObject);
      this.compiledClosed.set(schema, check);
    }
    return check(value) ? [] : (check.errors ?? []).map(errorLine);
  }
}
