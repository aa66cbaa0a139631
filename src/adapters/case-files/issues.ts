/**
 * Turns zod issues for one item into positioned, actionable messages.
 *
 * Contract:
 * - One message per problem: a failed union reports the problems of the alternative the
 *   item was evidently written as (or one message naming the alternatives), not one per
 *   alternative; an unknown key is reported at the key, with the closest allowed key.
 * - A missing key is reported at the mapping that should hold it.
 * - Messages read `<item> <field>: <what is wrong>`, e.g.
 *   `interest "security" weight: expected a weight in [0, 1], got 1.5`.
 */
import { z } from 'zod';
import { describeValue } from './case-schema.ts';
import type { Locator, Path, PathSegment } from './locator.ts';
import type { Position, ProblemCode } from './problem.ts';
import { formatSuggestion } from './suggest.ts';

type Issue = z.core.$ZodIssue;

/** Message zod gives an issue when the schema sets none (see `validateItem`). */
const NO_CUSTOM_MESSAGE = '\u0000';

export interface LocatedMessage {
  readonly position: Position;
  readonly code: ProblemCode;
  readonly message: string;
}

export interface ItemValidation<T> {
  /** The item, when it is valid. */
  readonly data?: T;
  /**
   * When the item is invalid only in keys it could do without (optional or unknown keys):
   * the item without them, so its other fields can still be checked.
   */
  readonly salvaged?: T;
  readonly messages: readonly LocatedMessage[];
}

/**
 * Validates one item against its schema; on failure, `messages` say what is wrong where.
 * `label` names the item in messages (`actor "pakistan"`, `actor #3`).
 */
export function validateItem<S extends z.ZodType>(
  schema: S,
  value: unknown,
  label: string,
  locator: Locator,
): ItemValidation<z.infer<S>> {
  const result = schema.safeParse(value, { error: () => NO_CUSTOM_MESSAGE });
  if (result.success) return { data: result.data, messages: [] };
  const ctx: Context = { schema, value, label, locator };
  const messages = result.error.issues.flatMap((issue) => describeIssue(ctx, issue, []));
  const salvaged = salvageItem(schema, value, result.error.issues);
  return salvaged === undefined ? { messages } : { salvaged, messages };
}

function salvageItem<S extends z.ZodType>(schema: S, value: unknown, issues: readonly Issue[]): z.infer<S> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const drop = new Set<string>();
  for (const issue of issues) {
    const [head] = issue.path;
    if (head !== undefined) drop.add(String(head));
    else if (issue.code === 'unrecognized_keys') for (const k of issue.keys) drop.add(k);
    else return undefined;
  }
  const rest = Object.fromEntries(Object.entries(value).filter(([k]) => !drop.has(k)));
  const retry = schema.safeParse(rest);
  return retry.success ? retry.data : undefined;
}

interface Context {
  readonly schema: z.ZodType;
  readonly value: unknown;
  readonly label: string;
  readonly locator: Locator;
}

function toPath(path: readonly PropertyKey[]): PathSegment[] {
  return path.map((p) => (typeof p === 'number' ? p : String(p)));
}

/** The value at `path`, or undefined when some step does not exist. */
export function getAt(value: unknown, path: Path): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (current !== null && typeof current === 'object' && !Array.isArray(current))
      current = Object.hasOwn(current, segment) ? (current as Record<string, unknown>)[segment] : undefined;
    else return undefined;
  }
  return current;
}

/** `sources[0].reliability` */
export function formatPath(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

function subject(ctx: Context, path: Path): string {
  return path.length === 0 ? ctx.label : `${ctx.label} ${formatPath(path)}`;
}

function describeIssue(ctx: Context, issue: Issue, prefix: Path): LocatedMessage[] {
  const path = [...prefix, ...toPath(issue.path)];
  const value = getAt(ctx.value, path);
  const custom = issue.message !== NO_CUSTOM_MESSAGE ? issue.message : undefined;

  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = collectAllowedKeys(ctx.schema, path, ctx.value);
      return issue.keys.map((key) => {
        const hint = formatSuggestion(key, allowed);
        const list = hint === '' && allowed.length > 0 ? `; allowed keys: ${allowed.join(', ')}` : '';
        return {
          position: ctx.locator.keyAt([...path, key]),
          code: 'schema',
          message: `${subject(ctx, path)}: unknown key "${key}"${hint}${list}`,
        };
      });
    }
    case 'invalid_union': {
      if (issue.discriminator !== undefined) {
        const options = (issue.inclusive !== false ? (issue.options ?? []) : []).map((o) => JSON.stringify(o)).join(', ');
        return [describeWrongValue(ctx, path, value, `expected one of ${options}`)];
      }
      if (issue.inclusive !== false) {
        const branch = chooseUnionBranch(issue.errors, value);
        if (branch !== undefined) return branch.flatMap((inner) => describeIssue(ctx, inner, path));
      }
      return [describeWrongValue(ctx, path, value, custom ?? 'expected a different kind of value')];
    }
    case 'invalid_key':
    case 'invalid_element': {
      const inner = issue.issues[0];
      const what = inner === undefined || inner.message === NO_CUSTOM_MESSAGE ? 'is not valid' : inner.message;
      return [{ position: ctx.locator.keyAt(path), code: 'schema', message: `${subject(ctx, path)}: key ${what}` }];
    }
    case 'invalid_value': {
      const hint = typeof value === 'string' ? suggestValue(value, issue.values) : '';
      return [describeWrongValue(ctx, path, value, custom ?? describeExpectation(issue), hint)];
    }
    default:
      return [describeWrongValue(ctx, path, value, custom ?? describeExpectation(issue))];
  }
}

/**
 * `; did you mean "x"?` for a text that is not one of the allowed values: the closest by
 * edit distance, else the only allowed value it begins (`goldstein` → `goldstein-sum`).
 */
function suggestValue(value: string, allowed: readonly unknown[]): string {
  const texts = allowed.filter((v): v is string => typeof v === 'string');
  // A one- or two-letter value (a grade "G") is within one edit of every short choice: no guess.
  if (value.trim().length < 3) return '';
  const close = formatSuggestion(value, texts);
  if (close !== '' || value.trim() === '') return close;
  const lower = value.trim().toLowerCase();
  const begun = texts.filter((t) => t.toLowerCase().startsWith(lower));
  return begun.length === 1 ? `; did you mean "${begun[0]}"?` : '';
}

/** `what` is either a full sentence or an expectation starting with "expected"; `hint` follows the value. */
function describeWrongValue(ctx: Context, path: Path, value: unknown, what: string, hint = ''): LocatedMessage {
  const isExpectation = what.startsWith('expected ');
  if (value === undefined && path.length > 0) {
    const parent = path.slice(0, -1);
    const key = path[path.length - 1];
    const expectation = isExpectation ? ` (${what.slice('expected '.length).replace(/, got .*$/, '')})` : '';
    return {
      position: ctx.locator.valueAt(parent),
      code: 'schema',
      message: `${subject(ctx, parent)}: missing required key "${String(key)}"${expectation}`,
    };
  }
  const got = isExpectation && !/, got /.test(what) ? `, got ${describeValue(value)}` : '';
  return { position: ctx.locator.valueAt(path), code: 'schema', message: `${subject(ctx, path)}: ${what}${got}${hint}` };
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  null: 'an empty value',
};

function formatNumber(n: number | bigint): string {
  return String(n);
}

function describeExpectation(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? `a value of type ${issue.expected}`}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}`
        : `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'array') return `expected a list of at least ${formatNumber(issue.minimum)} item(s)`;
      if (issue.origin === 'string') return 'expected a non-empty text';
      return issue.inclusive === true
        ? `expected a number of at least ${formatNumber(issue.minimum)}`
        : `expected a number greater than ${formatNumber(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'array') return `expected a list of at most ${formatNumber(issue.maximum)} item(s)`;
      if (issue.origin === 'string') return `expected a text of at most ${formatNumber(issue.maximum)} characters`;
      return issue.inclusive === true
        ? `expected a number of at most ${formatNumber(issue.maximum)}`
        : `expected a number less than ${formatNumber(issue.maximum)}`;
    case 'invalid_format':
      return `expected a text in the format ${issue.format}`;
    case 'not_multiple_of':
      return `expected a multiple of ${formatNumber(issue.divisor)}`;
    default:
      return 'expected a valid value';
  }
}

/** Whether a branch rejected the value outright (wrong type or literal at the union's own level). */
function isOutrightMismatch(issues: readonly Issue[]): boolean {
  return issues.some(
    (i) =>
      i.path.length === 0 &&
      (i.code === 'invalid_type' ||
        i.code === 'invalid_value' ||
        (i.code === 'invalid_union' && i.errors.length > 0 && i.errors.every((e) => isOutrightMismatch(e)))),
  );
}

function countUnknownKeys(issues: readonly Issue[]): number {
  let n = 0;
  for (const i of issues) if (i.code === 'unrecognized_keys' && i.path.length === 0) n += i.keys.length;
  return n;
}

/**
 * The union alternative the value was evidently meant as: one of the right type that
 * shares at least one key with it (for a mapping), preferring fewest unknown keys, then
 * fewest problems. `undefined` when no alternative fits, or the value is missing.
 */
function chooseUnionBranch(branches: readonly (readonly Issue[])[], value: unknown): readonly Issue[] | undefined {
  if (value === undefined) return undefined;
  const keys = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : undefined;
  let best: readonly Issue[] | undefined;
  for (const issues of branches) {
    if (isOutrightMismatch(issues)) continue;
    const unknown = countUnknownKeys(issues);
    if (keys !== undefined && unknown >= keys.length) continue;
    if (
      best === undefined ||
      unknown < countUnknownKeys(best) ||
      (unknown === countUnknownKeys(best) && issues.length < best.length)
    ) {
      best = issues;
    }
  }
  return best;
}

/** Keys an object schema at `path` allows (all alternatives' keys where a union cannot be resolved). */
function collectAllowedKeys(schema: z.ZodType, path: Path, value: unknown): string[] {
  const keys = new Set<string>();
  const visit = (s: z.ZodType, rest: Path, v: unknown): void => {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
      visit(s.unwrap() as z.ZodType, rest, v);
    } else if (s instanceof z.ZodDiscriminatedUnion) {
      const tag = getAt(v, [s.def.discriminator]);
      const options = s.options as readonly z.ZodType[];
      const matching = options.filter((o) => o instanceof z.ZodObject && getLiteral(o.shape[s.def.discriminator]) === tag);
      for (const o of matching.length > 0 ? matching : options) visit(o, rest, v);
    } else if (s instanceof z.ZodUnion) {
      for (const o of s.options as readonly z.ZodType[]) visit(o, rest, v);
    } else if (rest.length === 0) {
      if (s instanceof z.ZodObject) for (const k of Object.keys(s.shape)) keys.add(k);
    } else {
      const [head, ...tail] = rest;
      if (s instanceof z.ZodObject && typeof head === 'string') {
        const field = (s.shape as Record<string, z.ZodType | undefined>)[head];
        if (field !== undefined) visit(field, tail, getAt(v, [head]));
      } else if (s instanceof z.ZodArray && typeof head === 'number') {
        visit(s.element as z.ZodType, tail, getAt(v, [head]));
      } else if (s instanceof z.ZodRecord) {
        visit(s.valueType as z.ZodType, tail, getAt(v, [head ?? '']));
      }
    }
  };
  visit(schema, path, value);
  return [...keys];
}

function getLiteral(schema: unknown): unknown {
  return schema instanceof z.ZodLiteral ? schema.value : undefined;
}
