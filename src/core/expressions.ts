/**
 * CEL expressions in case files: evidence filters (`where`) and benchmark conditions.
 *
 * Why CEL (Common Expression Language, via @marcbachmann/cel-js): it is a published,
 * language-neutral spec; it is not Turing-complete, has no I/O and evaluates in time linear
 * in the expression, so a case file cannot hang or harm the engine; it type-checks before
 * it runs, so `validate` reports a misspelt indicator or a string compared with a number.
 *
 * Contract: compilation is pure and deterministic; a compiled expression is a function of
 * its bindings only. Problems are returned as data, never thrown.
 */
import { Environment } from '@marcbachmann/cel-js';
import { type Bound, type CelNode, decideClause } from './bounds.ts';
import type { Evidence } from './evidence.ts';

export type ExpressionResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** Variables a `where` filter sees for one evidence item. */
export const EVIDENCE_VARIABLES = {
  id: 'string',
  kind: 'string',
  actors: 'list<string>',
  tags: 'list<string>',
  description: 'string',
  amount: 'double',
  currency: 'string',
  value: 'double',
  of: 'double',
  has_amount: 'bool',
  has_value: 'bool',
} as const;

let evidenceEnv: Environment | undefined;
function getEvidenceEnv(): Environment {
  if (evidenceEnv === undefined) {
    const env = new Environment();
    for (const [name, type] of Object.entries(EVIDENCE_VARIABLES)) env.registerVariable(name, type);
    evidenceEnv = env;
  }
  return evidenceEnv;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}

export type EvidencePredicate = (e: Evidence) => boolean;

/** Compiles a `where` filter; it must be a boolean expression over EVIDENCE_VARIABLES. */
export function compileEvidenceFilter(source: string): ExpressionResult<EvidencePredicate> {
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = getEvidenceEnv().parse(source);
  } catch (err) {
    return { ok: false, message: `cannot parse CEL expression "${source}": ${firstLine((err as Error).message)}` };
  }
  const checked = parsed.check();
  if (!checked.valid) {
    return {
      ok: false,
      message: `CEL expression "${source}" does not type-check: ${firstLine(checked.error?.message ?? 'error')}`,
    };
  }
  if (checked.type !== 'bool') {
    return { ok: false, message: `CEL expression "${source}" gives ${checked.type}, not bool` };
  }
  const predicate: EvidencePredicate = (e) => parsed(evidenceBindings(e)) === true;
  return { ok: true, value: predicate };
}

/** The names a `where` expression may use: the fields of an evidence item it sees. */
export const EVIDENCE_FILTER_FIELDS = [
  'id',
  'kind',
  'actors',
  'tags',
  'description',
  'amount',
  'currency',
  'value',
  'of',
  'has_amount',
  'has_value',
] as const;

function evidenceBindings(e: Evidence): Record<(typeof EVIDENCE_FILTER_FIELDS)[number], unknown> {
  return {
    id: e.id,
    kind: e.kind,
    actors: [...e.actors],
    tags: [...e.tags],
    description: e.description,
    amount: e.amount ?? 0,
    currency: e.currency ?? '',
    value: e.quantity?.value ?? 0,
    of: e.quantity?.of ?? 0,
    has_amount: e.amount !== undefined,
    has_value: e.quantity !== undefined,
  };
}

export type IndicatorValueType = 'int' | 'double' | 'bool';
export type IndicatorValue = number | boolean;

export interface CompiledCondition {
  readonly source: string;
  /** Indicator ids the clause reads. */
  readonly uses: readonly string[];
  readonly evaluate: (values: ReadonlyMap<string, IndicatorValue>) => boolean;
  /**
   * The clause over what is known of each value it reads (by position in `uses`): true or
   * false only when every value inside the bounds gives that answer (see bounds.ts).
   */
  readonly decide: (bounds: readonly Bound[]) => boolean | undefined;
}

const IDENT_RE = /[A-Za-z_][A-Za-z0-9_]*/g;
const CEL_WORDS = new Set([
  'true',
  'false',
  'null',
  'in',
  'size',
  'int',
  'double',
  'string',
  'bool',
  'has',
  'all',
  'exists',
  'exists_one',
  'map',
  'filter',
  'matches',
  'startsWith',
  'endsWith',
  'contains',
]);

/**
 * Compiles a benchmark condition clause over the given indicators. Every identifier must be
 * an indicator id (or a CEL word); the clause must be boolean.
 */
export function compileCondition(
  source: string,
  indicatorTypes: ReadonlyMap<string, IndicatorValueType>,
): ExpressionResult<CompiledCondition> {
  const env = new Environment();
  for (const [id, type] of indicatorTypes) {
    try {
      env.registerVariable(id, type);
    } catch (err) {
      return {
        ok: false,
        message: `indicator id "${id}" cannot be used in a CEL condition: ${firstLine((err as Error).message)}`,
      };
    }
  }
  const stripped = source.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '');
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = env.parse(source);
  } catch (err) {
    return { ok: false, message: `cannot parse CEL condition "${source}": ${firstLine((err as Error).message)}` };
  }
  const checked = parsed.check();
  if (!checked.valid) {
    const unknown = (stripped.match(IDENT_RE) ?? []).filter((w) => !CEL_WORDS.has(w) && !indicatorTypes.has(w));
    const hint = unknown.length > 0 ? ` (unknown indicator ${unknown.map((u) => `"${u}"`).join(', ')})` : '';
    return {
      ok: false,
      message: `CEL condition "${source}" does not type-check: ${firstLine(checked.error?.message ?? 'error')}${hint}`,
    };
  }
  if (checked.type !== 'bool') return { ok: false, message: `CEL condition "${source}" gives ${checked.type}, not bool` };
  const uses = [...new Set((stripped.match(IDENT_RE) ?? []).filter((w) => indicatorTypes.has(w)))].sort();
  const types = indicatorTypes;
  const evaluate = (values: ReadonlyMap<string, IndicatorValue>): boolean => {
    const bindings: Record<string, unknown> = {};
    for (const id of uses) {
      const v = values.get(id);
      bindings[id] = types.get(id) === 'int' && typeof v === 'number' ? BigInt(Math.trunc(v)) : v;
    }
    return parsed(bindings) === true;
  };
  const ast = parsed.ast as unknown as CelNode;
  const position = new Map(uses.map((id, i) => [id, i]));
  const decide = (bounds: readonly Bound[]): boolean | undefined => {
    if (bounds.every((b) => b.lo === b.hi)) {
      const values = new Map<string, IndicatorValue>();
      uses.forEach((id, i) => {
        const b = bounds[i] as Bound;
        values.set(id, types.get(id) === 'bool' ? b.lo === 1 : b.lo);
      });
      return evaluate(values);
    }
    return decideClause(ast, (id) => {
      const at = position.get(id);
      if (at === undefined) return undefined;
      return { bound: bounds[at] as Bound, type: types.get(id) ?? 'double' };
    });
  };
  return { ok: true, value: { source, uses, evaluate, decide } };
}
