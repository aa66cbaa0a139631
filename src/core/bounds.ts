/**
 * What is known of an indicator's value, and what a condition clause can conclude from it.
 *
 * A `Bound` is the set of values an indicator may have given what is known: an inclusive
 * interval `[lo, hi]` (either end may be infinite; booleans are 0 and 1). An exact value
 * is `lo === hi`. A count whose trailing window was not wholly monitored is `[n, ∞)`: n
 * items were recorded, and more may have gone unrecorded.
 *
 * `decideClause` evaluates a CEL clause over bounds by interval arithmetic on its syntax
 * tree. It is sound: `true` (or `false`) only when the clause is true (or false) for
 * EVERY combination of values inside the bounds; otherwise `undefined` (unknown). So
 * "attacks == 0" with attacks in [1, ∞) is false whatever was missed, while with [0, ∞)
 * it is unknown. Constructs it does not model (%, /, lists other than `x in [...]`,
 * functions other than int() and double()) give `undefined` unless every bound is exact,
 * in which case the caller evaluates the clause itself.
 */

export interface Bound {
  readonly lo: number;
  readonly hi: number;
}

export const UNBOUNDED: Bound = Object.freeze({ lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY });
export const ANY_BOOL: Bound = Object.freeze({ lo: 0, hi: 1 });

export function exactBound(v: number | boolean): Bound {
  const n = typeof v === 'boolean' ? (v ? 1 : 0) : v;
  return { lo: n, hi: n };
}

export function atLeast(n: number): Bound {
  return { lo: n, hi: Number.POSITIVE_INFINITY };
}

export function isExact(b: Bound): boolean {
  return b.lo === b.hi;
}

export function sameBound(a: Bound | undefined, b: Bound | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Object.is(a.lo, b.lo) && Object.is(a.hi, b.hi);
}

/** "[1, ∞)", "3", "unknown" — for explanations. */
export function describeBound(b: Bound, type: 'int' | 'double' | 'bool'): string {
  if (type === 'bool') return b.lo === b.hi ? String(b.lo === 1) : 'unknown';
  if (b.lo === b.hi) return String(b.lo);
  if (b.lo === Number.NEGATIVE_INFINITY && b.hi === Number.POSITIVE_INFINITY) return 'unknown';
  if (b.hi === Number.POSITIVE_INFINITY) return `at least ${b.lo}`;
  if (b.lo === Number.NEGATIVE_INFINITY) return `at most ${b.hi}`;
  return `between ${b.lo} and ${b.hi}`;
}

/** A syntax-tree node of @marcbachmann/cel-js (`{op, args}`), read structurally. */
export interface CelNode {
  readonly op: string;
  readonly args: unknown;
}

type Val =
  | { readonly kind: 'num'; readonly lo: number; readonly hi: number }
  | { readonly kind: 'bool'; readonly t: boolean; readonly f: boolean };

const TRUE: Val = { kind: 'bool', t: true, f: false };
const FALSE: Val = { kind: 'bool', t: false, f: true };
const EITHER: Val = { kind: 'bool', t: true, f: true };
const ANY_NUM: Val = { kind: 'num', lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY };

function num(lo: number, hi: number): Val {
  if (Number.isNaN(lo) || Number.isNaN(hi)) return ANY_NUM;
  return { kind: 'num', lo, hi };
}

function bool(t: boolean, f: boolean): Val {
  return t && f ? EITHER : t ? TRUE : FALSE;
}

function isNode(x: unknown): x is CelNode {
  return typeof x === 'object' && x !== null && typeof (x as { op?: unknown }).op === 'string';
}

/** The value of one node over the bounds, or undefined where the evaluator does not model the construct. */
function evalNode(
  node: CelNode,
  lookup: (id: string) => { bound: Bound; type: 'int' | 'double' | 'bool' } | undefined,
): Val | undefined {
  const { op, args } = node;
  switch (op) {
    case 'value': {
      if (typeof args === 'bigint') return num(Number(args), Number(args));
      if (typeof args === 'number') return num(args, args);
      if (typeof args === 'boolean') return args ? TRUE : FALSE;
      return undefined;
    }
    case 'id': {
      if (typeof args !== 'string') return undefined;
      const v = lookup(args);
      if (v === undefined) return undefined;
      if (v.type === 'bool') return bool(v.bound.hi >= 1, v.bound.lo <= 0);
      return num(v.bound.lo, v.bound.hi);
    }
    case '!_': {
      if (!isNode(args)) return undefined;
      const a = evalNode(args, lookup);
      return a?.kind === 'bool' ? bool(a.f, a.t) : undefined;
    }
    case '-_': {
      if (!isNode(args)) return undefined;
      const a = evalNode(args, lookup);
      return a?.kind === 'num' ? num(-a.hi, -a.lo) : undefined;
    }
    case '&&':
    case '||': {
      const [a, b] = pair(args, lookup);
      if (a?.kind !== 'bool' || b?.kind !== 'bool') return undefined;
      return op === '&&' ? bool(a.t && b.t, a.f || b.f) : bool(a.t || b.t, a.f && b.f);
    }
    case '?:': {
      if (!Array.isArray(args) || args.length !== 3 || !args.every(isNode)) return undefined;
      const c = evalNode(args[0] as CelNode, lookup);
      const x = evalNode(args[1] as CelNode, lookup);
      const y = evalNode(args[2] as CelNode, lookup);
      if (c?.kind !== 'bool' || x === undefined || y === undefined || x.kind !== y.kind) return undefined;
      if (c.t && !c.f) return x;
      if (c.f && !c.t) return y;
      if (x.kind === 'num' && y.kind === 'num') return num(Math.min(x.lo, y.lo), Math.max(x.hi, y.hi));
      if (x.kind === 'bool' && y.kind === 'bool') return bool(x.t || y.t, x.f || y.f);
      return undefined;
    }
    case '+':
    case '-':
    case '*': {
      const [a, b] = pair(args, lookup);
      if (a?.kind !== 'num' || b?.kind !== 'num') return undefined;
      if (op === '+') return num(a.lo + b.lo, a.hi + b.hi);
      if (op === '-') return num(a.lo - b.hi, a.hi - b.lo);
      const products = [mul(a.lo, b.lo), mul(a.lo, b.hi), mul(a.hi, b.lo), mul(a.hi, b.hi)];
      return num(Math.min(...products), Math.max(...products));
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '==':
    case '!=': {
      const [a, b] = pair(args, lookup);
      if (a === undefined || b === undefined) return undefined;
      return compare(op, a, b);
    }
    case 'in': {
      if (!Array.isArray(args) || args.length !== 2 || !isNode(args[0]) || !isNode(args[1])) return undefined;
      const a = evalNode(args[0], lookup);
      const list = args[1];
      if (a?.kind !== 'num' || list.op !== 'list' || !Array.isArray(list.args)) return undefined;
      let inside = false;
      for (const el of list.args) {
        if (!isNode(el)) return undefined;
        const v = evalNode(el, lookup);
        if (v?.kind !== 'num' || v.lo !== v.hi) return undefined;
        if (a.lo <= v.lo && v.lo <= a.hi) inside = true;
      }
      // An exact value inside the list is in it; an interval meeting no element is not.
      return !inside ? FALSE : a.lo === a.hi ? TRUE : EITHER;
    }
    case 'call': {
      if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string' || !Array.isArray(args[1])) return undefined;
      const [name, params] = args as [string, unknown[]];
      if (params.length !== 1 || !isNode(params[0])) return undefined;
      const a = evalNode(params[0], lookup);
      if (a?.kind !== 'num') return undefined;
      if (name === 'double') return a;
      if (name === 'int') return num(Math.trunc(a.lo), Math.trunc(a.hi));
      return undefined;
    }
    default:
      return undefined;
  }
}

function mul(x: number, y: number): number {
  // In interval bounds, 0 × ∞ is 0: the product of a value near 0 and any finite value stays near 0.
  if (x === 0 || y === 0) return 0;
  return x * y;
}

function pair(
  args: unknown,
  lookup: (id: string) => { bound: Bound; type: 'int' | 'double' | 'bool' } | undefined,
): [Val | undefined, Val | undefined] {
  if (!Array.isArray(args) || args.length !== 2 || !isNode(args[0]) || !isNode(args[1])) return [undefined, undefined];
  return [evalNode(args[0], lookup), evalNode(args[1], lookup)];
}

function compare(op: string, a: Val, b: Val): Val | undefined {
  if (a.kind === 'bool' && b.kind === 'bool') {
    if (op !== '==' && op !== '!=') return undefined;
    const eq = a.t !== a.f && b.t !== b.f ? (a.t === b.t ? TRUE : FALSE) : EITHER;
    return op === '==' ? eq : bool(eq.kind === 'bool' && eq.f, eq.kind === 'bool' && eq.t);
  }
  if (a.kind !== 'num' || b.kind !== 'num') return undefined;
  switch (op) {
    case '<':
      return a.hi < b.lo ? TRUE : a.lo >= b.hi ? FALSE : EITHER;
    case '<=':
      return a.hi <= b.lo ? TRUE : a.lo > b.hi ? FALSE : EITHER;
    case '>':
      return a.lo > b.hi ? TRUE : a.hi <= b.lo ? FALSE : EITHER;
    case '>=':
      return a.lo >= b.hi ? TRUE : a.hi < b.lo ? FALSE : EITHER;
    case '==':
      return a.lo === a.hi && b.lo === b.hi && a.lo === b.lo ? TRUE : a.hi < b.lo || b.hi < a.lo ? FALSE : EITHER;
    case '!=':
      return a.lo === a.hi && b.lo === b.hi && a.lo === b.lo ? FALSE : a.hi < b.lo || b.hi < a.lo ? TRUE : EITHER;
    default:
      return undefined;
  }
}

/**
 * The clause over bounds: true or false when every value inside the bounds gives that
 * answer, undefined otherwise (or when the clause uses what the evaluator does not model).
 */
export function decideClause(
  ast: CelNode,
  lookup: (id: string) => { bound: Bound; type: 'int' | 'double' | 'bool' } | undefined,
): boolean | undefined {
  const v = evalNode(ast, lookup);
  if (v?.kind !== 'bool') return undefined;
  if (v.t && !v.f) return true;
  if (v.f && !v.t) return false;
  return undefined;
}
