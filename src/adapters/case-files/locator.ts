/**
 * Locators map a path into a parsed value (keys and list indices) to a position in the
 * text it came from.
 *
 * Contract: a locator never fails. When the path does not exist in full (a missing key),
 * it answers with the position of the deepest part that does exist, so a missing key is
 * reported at the mapping that should hold it.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type Pair } from 'yaml';
import type { Position } from './problem.ts';

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

export interface Locator {
  /** Where the value at `path` starts (or the nearest enclosing value that exists). */
  valueAt(path: Path): Position;
  /** Where the key naming the last segment of `path` starts; `valueAt(path)` when there is no key. */
  keyAt(path: Path): Position;
}

/** A locator for the part of a value under `prefix`: paths are relative to it. */
export function scopeLocator(locator: Locator, prefix: Path): Locator {
  if (prefix.length === 0) return locator;
  return {
    valueAt: (path) => locator.valueAt([...prefix, ...path]),
    keyAt: (path) => locator.keyAt([...prefix, ...path]),
  };
}

/**
 * A locator made on first use: positions are needed only for problems, and finding them
 * can cost far more than reading the value (a JSON line parsed again as YAML).
 */
export function lazyLocator(make: () => Locator): Locator {
  let made: Locator | undefined;
  return {
    valueAt: (path) => (made ??= make()).valueAt(path),
    keyAt: (path) => (made ??= make()).keyAt(path),
  };
}

/** A locator that answers `position` for every path. */
export function fixedLocator(position: Position): Locator {
  return { valueAt: () => position, keyAt: () => position };
}

interface Resolution {
  /** The deepest node reached. */
  readonly node: Node | null;
  /** The pair whose value is the node at the full path, when the last step was a mapping key. */
  readonly pair: Pair | null;
  /** Whether the whole path was found. */
  readonly complete: boolean;
}

function keyText(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return String(key.value);
  if (key === null || key === undefined) return undefined;
  return String(key);
}

function followAlias(node: unknown, doc: Document): unknown {
  return isAlias(node) ? (node.resolve(doc) ?? node) : node;
}

function resolvePath(doc: Document, path: Path): Resolution {
  let node = (doc.contents ?? null) as Node | null;
  let pair: Pair | null = null;
  for (const [index, segment] of path.entries()) {
    const container = followAlias(node, doc);
    let next: unknown;
    if (isMap(container)) {
      const found = container.items.find((p) => keyText(p) === String(segment));
      if (found === undefined) return { node, pair, complete: false };
      pair = found;
      next = found.value;
    } else if (isSeq(container) && typeof segment === 'number') {
      next = container.items[segment];
      pair = null;
      if (next === undefined) return { node, pair: null, complete: false };
    } else {
      return { node, pair, complete: false };
    }
    // A key with no value: found if it is the last step; otherwise report its mapping.
    if (next === null || next === undefined) return { node, pair, complete: pair !== null && index === path.length - 1 };
    node = next as Node;
  }
  return { node, pair, complete: true };
}

function isEmptyScalar(node: Node): boolean {
  const range = node.range;
  return isScalar(node) && node.value === null && range !== undefined && range !== null && range[0] === range[1];
}

/**
 * A locator into a YAML (or JSON) document. `lineOffset` is added to every line, for a
 * document parsed from one line of a larger file.
 */
export function createYamlLocator(doc: Document, lineCounter: LineCounter, lineOffset = 0): Locator {
  const at = (offset: number): Position => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line + lineOffset, col: pos.col };
  };
  const start = (node: Node | null | undefined): Position | undefined =>
    node?.range === undefined || node.range === null ? undefined : at(node.range[0]);
  const keyStart = (pair: Pair | null): Position | undefined =>
    pair === null ? undefined : start(isScalar(pair.key) ? pair.key : (pair.key as Node | null));
  const fallback: Position = { line: 1 + lineOffset, col: 1 };

  const valueAt = (path: Path): Position => {
    const r = resolvePath(doc, path);
    if (r.complete) {
      // An empty value (`key:` and nothing after it) is best shown at its key.
      const value = r.pair !== null && (r.pair.value === null || r.pair.value === undefined) ? null : r.node;
      if (value === null || isEmptyScalar(value)) return keyStart(r.pair) ?? start(r.node) ?? fallback;
      return start(value) ?? fallback;
    }
    return start(r.node) ?? fallback;
  };
  const keyAt = (path: Path): Position => {
    const r = resolvePath(doc, path);
    if (r.complete && r.pair !== null) return keyStart(r.pair) ?? valueAt(path);
    return valueAt(path);
  };
  return { valueAt, keyAt };
}
