/**
 * fast-check arbitraries built from JSON Schemas (the OpenAPI 3.1 dialect: draft 2020-12
 * plus `example`), for fuzzing what a schema describes: `validValue` draws values meant to
 * satisfy the schema, `invalidValue` values meant to break it (wrong types, out of range,
 * over a length, off a pattern or an enum, a required key missing, an unknown key, too many
 * items, …).
 *
 * Contract: the arbitraries aim, they do not promise. A caller that needs to know whether a
 * value satisfies the schema asks a validator (openapi-validator.ts) — so a generator that
 * misses a keyword's subtlety (a pattern and a format together, `anyOf` branches that
 * overlap) costs coverage, never a wrong verdict.
 *
 * Keywords drawn from: `$ref`, `type` (one or a list), `enum`, `const`, `anyOf`, `oneOf`,
 * `allOf` (of objects), `minLength`, `maxLength`, `pattern`, `format` (`date`, `date-time`,
 * `uri`), `minimum`, `maximum`, `items`, `minItems`, `maxItems`, `properties`, `required`,
 * `additionalProperties`, `dependentRequired`. Others are ignored (the validator still
 * checks them). Strings are drawn from a mix meant to hurt: ASCII, accents, CJK, emoji
 * (two UTF-16 units, one character), NUL and other control characters, bidi overrides,
 * line separators, quotes, backslashes and URL delimiters.
 */
import fc from 'fast-check';

export type Schema = boolean | SchemaObject;
export interface SchemaObject {
  readonly [keyword: string]: unknown;
}

/** Where a value sits in the value being drawn: property names, `*` for an array item. */
export type ValuePath = readonly string[];

export interface SchemaArbitraryOptions {
  /** The schema a `$ref` names (`#/components/schemas/Name`). */
  readonly resolve: (ref: string) => Schema;
  /**
   * An arbitrary to draw from beside the schema's own at `path` (known ids, the case's
   * actors): the schema alone rarely hits values the server knows. Drawn half the time.
   */
  readonly hint?: (path: ValuePath) => fc.Arbitrary<unknown> | undefined;
  /** Deepest nesting drawn in full; below it, objects get their required keys only. */
  readonly maxDepth?: number;
  /** The longest string drawn far over a `maxLength` (default 300 000 characters). */
  readonly farOver?: number;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** The longest string drawn when none is asked for; longer ones come from the boundaries. */
const SHORT = 24;
/** The longest array drawn at its exact `maxItems` (larger bounds are met only by the invalid side). */
const MAX_BOUNDARY_ITEMS = 60;

/** Characters that hurt parsers, stores, encoders and length counts. */
const NASTY = [
  'é',
  'ß',
  'Ω',
  '中',
  '文',
  '😀',
  '👍🏽',
  '𝄞',
  '\u0000',
  '\u0007',
  '\u001b',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u200b',
  '\u202e',
  '\ufeff',
  '\ufffd',
  ' ',
  '\t',
  '\n',
  '\r',
  '"',
  "'",
  '\\',
  '/',
  '%',
  '%00',
  '&',
  '=',
  '?',
  '#',
  '+',
  ';',
  ',',
  '<script>',
  "' OR 1=1 --",
  '$' + '{x}', // a template placeholder, as text
  '..',
] as const;

/** One "character" of a drawn string (a NASTY entry may be several code points). */
const unit: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
);

/** Length in characters (code points), as JSON Schema counts `minLength`/`maxLength`. */
export function characterLength(s: string): number {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}

function isObject(schema: Schema): schema is SchemaObject {
  return typeof schema === 'object' && schema !== null;
}

function num(schema: SchemaObject, key: string): number | undefined {
  const v = schema[key];
  return typeof v === 'number' ? v : undefined;
}

function list<T = unknown>(schema: SchemaObject, key: string): readonly T[] | undefined {
  const v = schema[key];
  return Array.isArray(v) ? (v as T[]) : undefined;
}

function types(schema: SchemaObject): readonly string[] {
  const t = schema.type;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  if (schema.properties !== undefined || schema.required !== undefined) return ['object'];
  if (schema.items !== undefined) return ['array'];
  return [];
}

function properties(schema: SchemaObject): Readonly<Record<string, Schema>> {
  const p = schema.properties;
  return p !== null && typeof p === 'object' ? (p as Record<string, Schema>) : {};
}

/** `allOf` of object schemas as one object schema (properties and required merged). */
function mergeAllOf(schema: SchemaObject, resolve: (ref: string) => Schema): SchemaObject {
  const parts = list<Schema>(schema, 'allOf') ?? [];
  const merged: Record<string, unknown> = { ...schema, allOf: undefined, properties: { ...properties(schema) } };
  const required = new Set<string>(list<string>(schema, 'required') ?? []);
  for (const raw of parts) {
    const part = isObject(raw) && typeof raw.$ref === 'string' ? resolve(raw.$ref) : raw;
    if (!isObject(part)) continue;
    Object.assign(merged.properties as object, properties(part));
    for (const r of list<string>(part, 'required') ?? []) required.add(r);
    if (part.type !== undefined) merged.type = part.type;
    if (part.additionalProperties !== undefined) merged.additionalProperties = part.additionalProperties;
  }
  merged.required = [...required];
  delete merged.allOf;
  return merged;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** A calendar date; mostly 1900–2100, now and then a year far outside it. */
export const calendarDate: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      { weight: 9, arbitrary: fc.integer({ min: 1900, max: 2100 }) },
      { weight: 1, arbitrary: fc.constantFrom(1, 1000, 1899, 2101, 9999) },
    ),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 31 }),
  )
  .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(Math.min(d, daysIn(y, m)))}`);

const dateTime = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

const uri = fc.oneof(
  { weight: 6, arbitrary: fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true, withFragments: true }) },
  { weight: 1, arbitrary: fc.constantFrom('mailto:press@example.org', 'urn:isbn:0451450523', 'ftp://ftp.example.org/a') },
);

/** Strings the usual formats refuse. */
const FORMAT_MISSES: Readonly<Record<string, readonly string[]>> = {
  date: [
    '2023-02-30',
    '2023-13-01',
    '2023-00-10',
    '2023-1-1',
    '20230101',
    '2023-01-01T00:00:00Z',
    '0000-01-01',
    '9999-12-31',
    'x',
  ],
  'date-time': ['2023-02-30T00:00:00Z', '2023-01-01', 'yesterday'],
  uri: ['http://', 'not a url', '//example.org', 'http://exa mple.org', 'http://example.org/\u0000', 'https:/example.org', ':'],
};

/** Values of each JSON type, to put where another type is expected. */
const OTHER_TYPES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e21,
  '',
  'x',
  '1',
  'true',
  'null',
  [],
  ['x'],
  {},
  { x: 1 },
];

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function wrongTypes(schema: SchemaObject): fc.Arbitrary<unknown> {
  const ts = types(schema);
  const fits = (v: unknown) => {
    const t = typeOf(v);
    return ts.includes(t) || (t === 'integer' && ts.includes('number'));
  };
  const pool = ts.length === 0 ? OTHER_TYPES : OTHER_TYPES.filter((v) => !fits(v));
  return fc.constantFrom(...(pool.length > 0 ? pool : OTHER_TYPES));
}

type Weighted = fc.WeightedArbitrary<unknown>;

/** A builder of arbitraries over one schema document. */
export class SchemaArbitraries {
  private readonly maxDepth: number;
  private readonly farOver: number;

  constructor(private readonly options: SchemaArbitraryOptions) {
    this.maxDepth = options.maxDepth ?? 6;
    this.farOver = options.farOver ?? 300_000;
  }

  /** Values meant to satisfy `schema` (see the module contract). */
  valid(schema: Schema, path: ValuePath = [], depth = 0): fc.Arbitrary<unknown> {
    const own = this.validOwn(schema, path, depth);
    const hint = this.options.hint?.(path);
    return hint === undefined ? own : fc.oneof(own, hint);
  }

  /** Values meant to break `schema`: one thing wrong, at the top or somewhere inside. */
  invalid(schema: Schema, path: ValuePath = [], depth = 0): fc.Arbitrary<unknown> {
    if (!isObject(schema)) return fc.constantFrom(...OTHER_TYPES);
    if (typeof schema.$ref === 'string') return this.invalid(this.options.resolve(schema.$ref), path, depth);
    if (schema.allOf !== undefined) return this.invalid(mergeAllOf(schema, this.options.resolve), path, depth);
    const branches = list<Schema>(schema, 'anyOf') ?? list<Schema>(schema, 'oneOf');
    if (branches !== undefined) return fc.oneof(wrongTypes(schema), ...branches.map((b) => this.invalid(b, path, depth + 1)));
    // A wrong type is the bluntest break: drawn as often as the least likely of the others.
    const choices: Weighted[] = [{ weight: 1, arbitrary: wrongTypes(schema) }];
    const enumerated = list(schema, 'enum') ?? ('const' in schema ? [schema.const] : undefined);
    if (enumerated !== undefined) {
      const strings = enumerated.filter((v): v is string => typeof v === 'string');
      choices.push({
        weight: 3,
        arbitrary: fc.constantFrom('zzz', ...strings.flatMap((s) => [s.toUpperCase(), ` ${s}`, `${s}x`, ''])),
      });
    }
    for (const type of types(schema)) {
      if (type === 'string') choices.push(...this.invalidStrings(schema));
      else if (type === 'integer' || type === 'number') choices.push({ weight: 3, arbitrary: this.invalidNumbers(schema, type) });
      else if (type === 'array') choices.push(...this.invalidArrays(schema, path, depth));
      else if (type === 'object') choices.push(...this.invalidObjects(schema, path, depth));
    }
    return fc.oneof(...choices);
  }

  /**
   * `value` (valid by `schema`) with one thing in it broken: a field, an item or a field
   * deep inside replaced by a value `invalid` draws, or a required field left out — the
   * rest as it was, so that the request still gets past everything else the server checks.
   */
  breakOne(schema: Schema, value: unknown, path: ValuePath = [], depth = 0): fc.Arbitrary<unknown> {
    const here = this.invalid(schema, path, depth);
    const node = this.objectSchemaFor(schema, value);
    if (depth > this.maxDepth || node === undefined) return here;
    if (Array.isArray(value)) {
      if (value.length === 0) return here;
      const items = (node.items as Schema | undefined) ?? true;
      return fc.oneof(
        { weight: 1, arbitrary: here },
        {
          weight: 3,
          arbitrary: fc
            .nat({ max: value.length - 1 })
            .chain((i) =>
              this.breakOne(items, value[i], [...path, '*'], depth + 1).map((bad) => value.map((v, j) => (j === i ? bad : v))),
            ),
        },
      );
    }
    if (value === null || typeof value !== 'object') return here;
    const record = value as Record<string, unknown>;
    const props = properties(node);
    const keys = Object.keys(record).filter((k) => k in props);
    const required = (list<string>(node, 'required') ?? []).filter((k) => k in record);
    const choices: Weighted[] = [{ weight: 1, arbitrary: here }];
    if (keys.length > 0)
      choices.push({
        weight: 6,
        arbitrary: fc
          .constantFrom(...keys)
          .chain((k) =>
            this.breakOne(props[k] ?? true, record[k], [...path, k], depth + 1).map((bad) => ({ ...record, [k]: bad })),
          ),
      });
    if (required.length > 0)
      choices.push({
        weight: 1,
        arbitrary: fc.constantFrom(...required).map((k) => {
          const { [k]: _, ...rest } = record;
          return rest;
        }),
      });
    return fc.oneof(...choices);
  }

  /** The object or array schema `value` is described by: `schema` itself, or the `anyOf`/`oneOf` branch naming its keys. */
  private objectSchemaFor(schema: Schema, value: unknown): SchemaObject | undefined {
    if (!isObject(schema)) return undefined;
    if (typeof schema.$ref === 'string') return this.objectSchemaFor(this.options.resolve(schema.$ref), value);
    if (schema.allOf !== undefined) return mergeAllOf(schema, this.options.resolve);
    const branches = list<Schema>(schema, 'anyOf') ?? list<Schema>(schema, 'oneOf');
    if (branches !== undefined) {
      for (const b of branches) {
        const found = this.objectSchemaFor(b, value);
        if (found === undefined) continue;
        if (
          Array.isArray(value)
            ? types(found).includes('array')
            : value !== null && typeof value === 'object' && Object.keys(value).every((k) => k in properties(found))
        )
          return found;
      }
      return undefined;
    }
    const ts = types(schema);
    return (Array.isArray(value) && ts.includes('array')) || (!Array.isArray(value) && ts.includes('object'))
      ? schema
      : undefined;
  }

  private validOwn(schema: Schema, path: ValuePath, depth: number): fc.Arbitrary<unknown> {
    if (schema === true) return fc.jsonValue({ maxDepth: 2 });
    if (!isObject(schema)) return fc.constant(null);
    if (typeof schema.$ref === 'string') return this.valid(this.options.resolve(schema.$ref), path, depth);
    if (schema.allOf !== undefined) return this.validOwn(mergeAllOf(schema, this.options.resolve), path, depth);
    const branches = list<Schema>(schema, 'anyOf') ?? list<Schema>(schema, 'oneOf');
    if (branches !== undefined) return fc.oneof(...branches.map((b) => this.valid(b, path, depth + 1)));
    const enumerated = list(schema, 'enum');
    if (enumerated !== undefined && enumerated.length > 0) return fc.constantFrom(...enumerated);
    if ('const' in schema) return fc.constant(schema.const);
    const ts = types(schema);
    if (ts.length === 0) return fc.jsonValue({ maxDepth: 2 });
    return fc.oneof(...ts.map((t) => this.validOfType(schema, t, path, depth)));
  }

  private validOfType(schema: SchemaObject, type: string, path: ValuePath, depth: number): fc.Arbitrary<unknown> {
    switch (type) {
      case 'string':
        return this.validString(schema);
      case 'integer':
      case 'number':
        return this.validNumber(schema, type);
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return this.validArray(schema, path, depth);
      case 'object':
        return this.validObject(schema, path, depth);
      default:
        return fc.jsonValue({ maxDepth: 1 });
    }
  }

  private validString(schema: SchemaObject): fc.Arbitrary<string> {
    const min = num(schema, 'minLength') ?? 0;
    const max = num(schema, 'maxLength');
    const fits = (s: string) => {
      const n = characterLength(s);
      return n >= min && (max === undefined || n <= max);
    };
    const format = schema.format;
    if (format === 'date') return calendarDate;
    if (format === 'date-time') return dateTime;
    if (format === 'uri') return uri.filter(fits);
    if (typeof schema.pattern === 'string') {
      const re = new RegExp(schema.pattern, 'u');
      let matching: fc.Arbitrary<string>;
      try {
        matching = fc.stringMatching(re, { maxLength: Math.min(max ?? 64, 64) });
      } catch {
        matching = fc.string({ unit, minLength: min, maxLength: SHORT }).filter((s) => re.test(s));
      }
      // A pattern most strings meet (no NUL, say) keeps the draws without it, lengths and
      // boundaries included; a strict one (an id) only what is drawn from the pattern.
      const free = this.validString({ ...schema, pattern: undefined });
      const meets = fc.sample(free, { numRuns: 40, seed: 1 }).filter((s) => re.test(s)).length;
      if (meets < 30) return matching.filter(fits);
      return fc.oneof(
        matching.filter(fits),
        free.filter((s) => re.test(s)),
      );
    }
    const short = fc.string({ unit, minLength: min, maxLength: Math.max(min, Math.min(max ?? SHORT, SHORT)) });
    if (max === undefined || max <= SHORT) return short.filter(fits);
    // The boundary: exactly `max` characters, some of them outside the Basic Multilingual
    // Plane (two UTF-16 units each, one character).
    const atMax = fc
      .tuple(fc.constantFrom('x', 'é', '😀', 'a😀'), fc.integer({ min: 0, max: 3 }))
      .map(([c, under]) =>
        Array.from({ length: Math.max(min, max - under) }, (_, i) => [...c][i % [...c].length] as string).join(''),
      );
    // Anywhere between: lengths a short draw never reaches.
    const between = fc.integer({ min: Math.max(min, SHORT + 1), max }).map((n) => 'abc '.repeat(Math.ceil(n / 4)).slice(0, n));
    return fc.oneof(
      { weight: 8, arbitrary: short.filter(fits) },
      { weight: 1, arbitrary: atMax },
      { weight: 1, arbitrary: between },
    );
  }

  private validNumber(schema: SchemaObject, type: 'integer' | 'number'): fc.Arbitrary<number> {
    const min = num(schema, 'minimum') ?? -MAX_SAFE;
    const max = num(schema, 'maximum') ?? MAX_SAFE;
    const small = fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) });
    const bounds = fc.constantFrom(...[min, max, min + 1, max - 1].filter((n) => n >= min && n <= max));
    const wide = fc.bigInt({ min: BigInt(Math.ceil(min)), max: BigInt(Math.floor(max)) }).map(Number);
    const ints = fc.oneof({ weight: 6, arbitrary: small }, { weight: 2, arbitrary: bounds }, { weight: 1, arbitrary: wide });
    if (type === 'integer') return ints;
    return fc.oneof(ints, fc.double({ min, max, noNaN: true, noDefaultInfinity: true }));
  }

  private validArray(schema: SchemaObject, path: ValuePath, depth: number): fc.Arbitrary<unknown[]> {
    const item = this.valid((schema.items as Schema | undefined) ?? true, [...path, '*'], depth + 1);
    const min = num(schema, 'minItems') ?? 0;
    const max = num(schema, 'maxItems');
    const some = fc.array(item, { minLength: min, maxLength: Math.max(min, Math.min(max ?? 3, 3)) });
    if (max === undefined || max <= 3 || max > MAX_BOUNDARY_ITEMS) return some;
    return fc.oneof({ weight: 9, arbitrary: some }, { weight: 1, arbitrary: fc.array(item, { minLength: max, maxLength: max }) });
  }

  private validObject(schema: SchemaObject, path: ValuePath, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const props = properties(schema);
    const required = new Set(list<string>(schema, 'required') ?? []);
    const deep = depth >= this.maxDepth;
    const keys = Object.keys(props).filter((k) => !deep || required.has(k));
    const values = fc.record(Object.fromEntries(keys.map((k) => [k, this.valid(props[k] ?? true, [...path, k], depth + 1)])));
    const picks = fc.record(Object.fromEntries(keys.map((k) => [k, fc.boolean()])));
    const dependent = (schema.dependentRequired ?? {}) as Record<string, readonly string[]>;
    const additional = schema.additionalProperties;
    const extra =
      additional === false || deep
        ? fc.constant({})
        : fc.dictionary(
            fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }).filter((k) => !(k in props)),
            this.valid(isObject(additional as Schema) ? (additional as Schema) : true, [...path, '?'], depth + 2),
            { maxKeys: 2 },
          );
    const rareExtra = fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: extra });
    return fc.tuple(values, picks, rareExtra).map(([v, pick, more]) => {
      const chosen = new Set(keys.filter((k) => required.has(k) || pick[k] === true));
      // A key present brings the keys it depends on (`amount` needs `currency`).
      for (const k of [...chosen]) for (const d of dependent[k] ?? []) if (d in v) chosen.add(d);
      const out: Record<string, unknown> = { ...(more ?? {}) };
      for (const k of chosen) out[k] = v[k];
      return out;
    });
  }

  private invalidStrings(schema: SchemaObject): Weighted[] {
    const out: Weighted[] = [];
    const max = num(schema, 'maxLength');
    const min = num(schema, 'minLength');
    if (max !== undefined) {
      // Just over: the boundary a server most often gets wrong by one, or by how it counts.
      const over = fc
        .tuple(fc.constantFrom('x', 'x', 'é', '中', '😀', '\u0000'), fc.integer({ min: 1, max: 3 }))
        .map(([c, by]) => c.repeat(max + by));
      // Far over: the body limit holds it, the field's limit does not.
      const far = fc
        .integer({ min: Math.floor(this.farOver / 3), max: this.farOver })
        .map((n) => 'y'.repeat(Math.max(n, max + 1)));
      out.push({ weight: 5, arbitrary: over }, { weight: 1, arbitrary: far });
    }
    if (min !== undefined && min > 0) out.push({ weight: 3, arbitrary: fc.constant('x'.repeat(min - 1)) });
    if (typeof schema.pattern === 'string') {
      const re = new RegExp(schema.pattern, 'u');
      const miss = fc
        .tuple(
          this.validString({ ...schema, pattern: undefined }),
          fc.constantFrom(' ', '\n', '-', '.', 'Z', 'é', '/', '\u0000', ''),
        )
        .map(([s, c]) => `${c}${s}${c}`)
        .filter((s) => !re.test(s));
      out.push({ weight: 3, arbitrary: miss });
    }
    const misses = typeof schema.format === 'string' ? FORMAT_MISSES[schema.format] : undefined;
    if (misses !== undefined) out.push({ weight: 3, arbitrary: fc.constantFrom(...misses) });
    // Half a surrogate pair: a JSON string, but no Unicode text.
    out.push({ weight: 1, arbitrary: fc.constantFrom('\ud800', 'a\udc00b') });
    return out;
  }

  private invalidNumbers(schema: SchemaObject, type: string): fc.Arbitrary<number> {
    const min = num(schema, 'minimum');
    const max = num(schema, 'maximum');
    const values = [1e21, -1e21, 2 ** 53, -(2 ** 53)];
    if (min !== undefined) values.push(min - 1, min - 1000);
    if (max !== undefined) values.push(max + 1, max * 10 + 1);
    if (type === 'integer') values.push(0.5, 1.5, -2.25, (min ?? 0) + 0.1);
    return fc.constantFrom(...values);
  }

  private invalidArrays(schema: SchemaObject, path: ValuePath, depth: number): Weighted[] {
    const itemSchema = (schema.items as Schema | undefined) ?? true;
    const item = this.valid(itemSchema, [...path, '*'], depth + 1);
    const out: Weighted[] = [];
    const max = num(schema, 'maxItems');
    const min = num(schema, 'minItems');
    if (max !== undefined) out.push({ weight: 2, arbitrary: item.map((v) => Array.from({ length: max + 1 }, () => v)) });
    if (min !== undefined && min > 0) out.push({ weight: 2, arbitrary: fc.constant([]) });
    if (itemSchema !== true)
      out.push({
        weight: 4,
        arbitrary: fc
          .tuple(fc.array(item, { maxLength: 2 }), this.invalid(itemSchema, [...path, '*'], depth + 1), fc.nat())
          .map(([items, bad, at]) => {
            const copy = [...items];
            copy.splice(at % (copy.length + 1), 0, bad);
            return copy;
          }),
      });
    return out;
  }

  private invalidObjects(schema: SchemaObject, path: ValuePath, depth: number): Weighted[] {
    const valid = this.validObject(schema, path, depth);
    const props = properties(schema);
    const required = list<string>(schema, 'required') ?? [];
    const out: Weighted[] = [];
    if (required.length > 0)
      out.push({
        weight: 2,
        arbitrary: fc.tuple(valid, fc.constantFrom(...required)).map(([v, k]) => {
          const { [k]: _, ...rest } = v;
          return rest;
        }),
      });
    if (schema.additionalProperties === false)
      out.push({ weight: 1, arbitrary: valid.map((v) => ({ ...v, unexpected: 'field' })) });
    const keys = Object.keys(props);
    // One field broken, the rest valid: most of what a server checks, it checks field by field.
    if (keys.length > 0 && depth < this.maxDepth)
      out.push({
        weight: 6,
        arbitrary: fc
          .constantFrom(...keys)
          .chain((k) => fc.tuple(valid, fc.constant(k), this.invalid(props[k] ?? true, [...path, k], depth + 1)))
          .map(([v, k, bad]) => ({ ...v, [k]: bad })),
      });
    const dependent = Object.entries((schema.dependentRequired ?? {}) as Record<string, readonly string[]>);
    if (dependent.length > 0)
      out.push({
        weight: 1,
        arbitrary: fc.tuple(valid, fc.constantFrom(...dependent)).chain(([v, [k, needs]]) =>
          this.valid(props[k] ?? true, [...path, k], depth + 1).map((value) => {
            const copy: Record<string, unknown> = { ...v, [k]: value };
            for (const d of needs) delete copy[d];
            return copy;
          }),
        ),
      });
    return out;
  }
}
