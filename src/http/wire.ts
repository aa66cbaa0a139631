/**
 * The JSON a route answers, typed by the zod schema that describes it in `/openapi.json`.
 *
 * Contract: the core's values are read-only (`readonly` arrays and properties) and its
 * optional properties have no explicit `undefined` (exactOptionalPropertyTypes), while a
 * schema's output type is mutable and has `?: T | undefined`. `Wire<T>` is a schema's output
 * type as the core writes it; a core value is answered through `toWire(schema, value)`,
 * which type-checks the value against `Wire` of the schema's output at the call site. The
 * two casts below only drop `readonly` (serialising reads, it never writes) or attach the
 * type a text was serialised from; neither can let an undescribed field through.
 */
import type { z } from '@hono/zod-openapi';

/** `T` read-only all the way down, `undefined` dropped from optional properties. */
export type Wire<T> = T extends readonly (infer E)[]
  ? readonly Wire<E>[]
  : T extends object
    ? { readonly [K in keyof T]: Wire<Exclude<T[K], undefined>> }
    : T;

/** Compile-time checks: `Expect<Assignable<Core, Wire<z.output<typeof Schema>>>>`. */
export type Assignable<From, To> = [From] extends [To] ? true : false;
export type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type Expect<T extends true> = T;

/** `value` (a core value) as the output type of `schema`, checked against it. */
export function toWire<S extends z.ZodType>(_schema: S, value: Wire<z.output<S>>): z.output<S> {
  return value as z.output<S>;
}

/** JSON text serialised from a `T`, kept to be answered many times (the assessment cache). */
export type JsonText<T> = string & { readonly __jsonOf: T };

export function jsonText<T>(value: T): JsonText<T> {
  return JSON.stringify(value) as JsonText<T>;
}
