/**
 * What the checks of a case share: the problems found so far, the ids defined in the case,
 * and checks of references, dates and durations that report at the value at fault.
 *
 * Contract: a check never throws on bad input; it records a problem and returns
 * `undefined` (or nothing), so the caller can go on and find the next problem.
 */
import type { SourceRef, Validity } from '../../core/case-model.ts';
import {
  type Duration,
  dateProblem,
  durationProblem,
  firstDayOf,
  lastDayOf,
  parseDuration,
  partialDateProblem,
} from '../../core/dates.ts';
import type { RawPartialDate, RawSource } from './case-schema.ts';
import { formatPath } from './issues.ts';
import type { Path } from './locator.ts';
import { createProblem, type ItemEntry } from './parse-files.ts';
import type { Position, Problem, ProblemCode } from './problem.ts';
import { formatSuggestion } from './suggest.ts';

export type DefinitionKind =
  | 'actor'
  | 'interest'
  | 'instrument'
  | 'indicator'
  | 'benchmark'
  | 'group'
  | 'gate'
  | 'waiver'
  | 'justification'
  | 'review'
  | 'issue area'
  | 'monitoring'
  | 'evidence';

const PLURALS: Record<DefinitionKind, string> = {
  actor: 'actors',
  interest: 'interests',
  instrument: 'instruments',
  indicator: 'indicators',
  benchmark: 'benchmarks',
  group: 'groups',
  gate: 'gates',
  waiver: 'waivers',
  justification: 'justifications',
  review: 'reviews',
  'issue area': 'issue areas',
  monitoring: 'monitoring claims',
  evidence: 'evidence items',
};

/** An item that passed validation (or could be checked without its faulty keys). */
export interface Valid<T> {
  readonly entry: ItemEntry;
  readonly data: T;
  /** Names the item in messages: `actor "pakistan"`, `gate for instrument "f16"`. */
  readonly label: string;
}

interface Definition {
  readonly file: string;
  /** Where the id is written; looked up only when a second definition is reported. */
  readonly position: () => Position;
}

/** `a.yaml, b.yaml, c.yaml and 2 more` */
export function describeFiles(names: readonly string[]): string {
  if (names.length <= 3) return names.join(', ');
  return `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/** The string at `key` of a mapping, if there is one. */
export function readString(value: unknown, key: string): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = (value as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Whether the item as written has `key`. A salvaged item (see `validateItem`) lacks its
 * faulty keys, so checks for a missing key must ask the written item, not the data.
 */
export function hasKey(v: Valid<unknown>, key: string): boolean {
  const value = v.entry.value;
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, key);
}

/** `f(text)`, computed once per text. */
function remembered(
  memo: Map<string, string | undefined>,
  text: string,
  f: (text: string) => string | undefined,
): string | undefined {
  const hit = memo.get(text);
  if (hit !== undefined || memo.has(text)) return hit;
  const answer = f(text);
  memo.set(text, answer);
  return answer;
}

export class CaseChecker {
  readonly problems: Problem[] = [];
  readonly #definitions = new Map<DefinitionKind, Map<string, Definition>>();
  readonly #definingFiles = new Map<DefinitionKind, string[]>();
  /** Kinds some of whose items come from a file with syntax errors: an id missing there may be in it, unread. */
  readonly #kindsInBrokenFiles = new Set<DefinitionKind>();
  /** The last file recorded as defining each kind (items come file by file). */
  readonly #lastDefiningFile = new Map<DefinitionKind, string>();
  /** What `partialDateProblem` and `dateProblem` say of each text (ledgers repeat a few thousand dates). */
  readonly #partialDateProblems = new Map<string, string | undefined>();
  readonly #dateProblems = new Map<string, string | undefined>();

  /** `nameOf` gives a file's name relative to the case folder, for messages. */
  constructor(readonly nameOf: (file: string) => string) {}

  report(entry: ItemEntry, at: Position, code: ProblemCode, message: string): void {
    this.problems.push(createProblem(entry.file, at, code, message));
  }

  reportAt(entry: ItemEntry, path: Path, code: ProblemCode, message: string): void {
    this.report(entry, entry.locator.valueAt(path), code, message);
  }

  /**
   * Records the id at `idKey` of an item (valid or not) as defined; reports a second
   * definition at its id, naming the first. Items of unparseable files only define.
   */
  defineId(kind: DefinitionKind, entry: ItemEntry, idKey: string, label: string): void {
    this.defineAt(kind, entry, [idKey], readString(entry.value, idKey), label);
  }

  /** As `defineId`, for an id written at `path` of the item (a block inside a group). */
  defineAt(kind: DefinitionKind, entry: ItemEntry, path: Path, id: string | undefined, label: string): void {
    if (this.#lastDefiningFile.get(kind) !== entry.file) {
      const files = this.#definingFiles.get(kind) ?? [];
      const name = this.nameOf(entry.file);
      if (!files.includes(name)) files.push(name);
      this.#definingFiles.set(kind, files);
      this.#lastDefiningFile.set(kind, entry.file);
    }
    if (id === undefined) return;
    const defs = this.#definitions.get(kind) ?? new Map<string, Definition>();
    this.#definitions.set(kind, defs);
    if (!entry.trusted) this.#kindsInBrokenFiles.add(kind);
    const first = defs.get(id);
    if (first === undefined) {
      defs.set(id, { file: entry.file, position: () => entry.locator.valueAt(path) });
      return;
    }
    if (!entry.trusted) return;
    const firstAt = `${this.nameOf(first.file)}:${first.position().line}`;
    this.report(
      entry,
      entry.locator.valueAt(path),
      'duplicate-id',
      kind === 'gate'
        ? `${label}: a second gate for this instrument (the first is at ${firstAt}); an instrument has at most one gate: merge them`
        : `duplicate ${kind} id "${id}": already defined at ${firstAt}; ${PLURALS[kind]} need unique ids`,
    );
  }

  /** Whether an item of `kind` defines `id`. */
  has(kind: DefinitionKind, id: string): boolean {
    return this.#definitions.get(kind)?.has(id) === true;
  }

  /** Whether an id of `kind` may be defined in a file that does not parse (a missing reference is then not reported). */
  mayBeUnread(kind: DefinitionKind): boolean {
    return this.#kindsInBrokenFiles.has(kind);
  }

  /** The ids of `kind` defined so far. */
  idsOf(kind: DefinitionKind): readonly string[] {
    return [...(this.#definitions.get(kind)?.keys() ?? [])];
  }

  /** Case-relative names of the files that define items of `kind`. */
  listDefiningFiles(kind: DefinitionKind): readonly string[] {
    return this.#definingFiles.get(kind) ?? [];
  }

  /**
   * Reports `id` at `at` when no item of `kind` has it, naming `referrer` and where such ids
   * live. `at` may be given as a function: it is then called only to report.
   */
  referTo(
    kind: DefinitionKind,
    id: string,
    entry: ItemEntry,
    at: Position | (() => Position),
    referrer: string,
    notSuggested?: string,
  ): void {
    const defined = this.#definitions.get(kind);
    if (defined?.has(id) === true) return;
    // Not a problem of its own: the file that may define it does not parse (reported there).
    if (this.#kindsInBrokenFiles.has(kind)) return;
    const files = this.listDefiningFiles(kind);
    const where =
      files.length === 0
        ? kind === 'evidence'
          ? 'no evidence is recorded in evidence/'
          : `no ${PLURALS[kind]} are defined in this case`
        : kind === 'evidence'
          ? `evidence is recorded in ${describeFiles(files)}`
          : `${PLURALS[kind]} are defined in ${describeFiles(files)}`;
    const hint = formatSuggestion(
      id,
      [...(defined?.keys() ?? [])].filter((c) => c !== notSuggested),
    );
    this.report(
      entry,
      typeof at === 'function' ? at() : at,
      'unknown-reference',
      `${referrer} refers to unknown ${kind} "${id}" (${where})${hint}`,
    );
  }

  referAt(kind: DefinitionKind, id: string, v: Valid<unknown>, path: Path): void {
    this.referTo(kind, id, v.entry, () => v.entry.locator.valueAt(path), v.label);
  }

  referList(kind: DefinitionKind, ids: readonly string[] | undefined, v: Valid<unknown>, path: Path): void {
    ids?.forEach((id, i) => {
      this.referAt(kind, id, v, [...path, i]);
    });
  }

  /** The partial date as written, when it is a real year, month or day. */
  checkPartialDate(v: Valid<unknown>, path: Path, value: RawPartialDate): string | undefined {
    const written = String(value);
    return this.#checkWith(v, path, written, remembered(this.#partialDateProblems, written, partialDateProblem), 'bad-date');
  }

  /** The date, when it is a real day written YYYY-MM-DD. */
  checkDate(v: Valid<unknown>, path: Path, value: string): string | undefined {
    return this.#checkWith(v, path, value, remembered(this.#dateProblems, value, dateProblem), 'bad-date');
  }

  checkDuration(v: Valid<unknown>, path: Path, value: string): Duration | undefined {
    const text = this.#checkWith(v, path, value, durationProblem(value), 'bad-duration');
    return text === undefined ? undefined : parseDuration(text);
  }

  #checkWith(v: Valid<unknown>, path: Path, value: string, problem: string | undefined, code: ProblemCode): string | undefined {
    if (problem === undefined) return value;
    this.reportAt(v.entry, path, code, `${v.label} ${formatPath(path)}: ${problem}`);
    return undefined;
  }

  /** `{source}` converted, or `{}` when there is none (optional keys are omitted, not undefined). */
  convertSource(v: Valid<unknown>, s: RawSource | undefined): { source?: SourceRef } {
    if (s === undefined) return {};
    return {
      source: {
        publisher: s.publisher,
        title: s.title,
        date: this.checkPartialDate(v, ['source', 'date'], s.date) ?? String(s.date),
        ...(s.url === undefined ? {} : { url: s.url }),
      },
    };
  }

  /**
   * `{validity}` from `from`/`until`/`known`, or `{}` when none is given. A partial `from`
   * applies from its last day and a partial `until` ends on its first (as for waivers);
   * `known` (its last day) defaults to the source's date when the item is dated.
   */
  convertValidity(
    v: Valid<unknown>,
    d: { from?: RawPartialDate | undefined; until?: RawPartialDate | undefined; known?: RawPartialDate | undefined },
    source: RawSource | undefined,
  ): { validity?: Validity } {
    if (d.from === undefined && d.until === undefined && d.known === undefined) return {};
    const fromWritten = d.from === undefined ? undefined : this.checkPartialDate(v, ['from'], d.from);
    const untilWritten = d.until === undefined ? undefined : this.checkPartialDate(v, ['until'], d.until);
    const knownWritten = d.known === undefined ? undefined : this.checkPartialDate(v, ['known'], d.known);
    const from = fromWritten === undefined ? undefined : lastDayOf(fromWritten);
    const until = untilWritten === undefined ? undefined : firstDayOf(untilWritten);
    if (from !== undefined && until !== undefined && until < from) {
      this.reportAt(
        v.entry,
        ['until'],
        'bad-date',
        `${v.label}: until ${untilWritten} (${until}) is before from ${fromWritten} (${from}); a partial from applies from its last day and a partial until ends on its first: correct one of them`,
      );
    }
    const sourceDate = source === undefined || (d.from === undefined && d.until === undefined) ? undefined : String(source.date);
    const known =
      knownWritten !== undefined
        ? lastDayOf(knownWritten)
        : sourceDate !== undefined && partialDateProblem(sourceDate) === undefined
          ? lastDayOf(sourceDate)
          : undefined;
    return {
      validity: {
        ...(from === undefined ? {} : { from }),
        ...(until === undefined ? {} : { until }),
        ...(known === undefined ? {} : { known }),
      },
    };
  }

  requireCurrency(v: Valid<unknown>, amount: number | undefined, currency: string | undefined): void {
    if (amount === undefined || currency !== undefined || hasKey(v, 'currency')) return;
    this.reportAt(
      v.entry,
      ['amount'],
      'inconsistent',
      `${v.label}: amount ${amount} has no currency; add "currency:" with an ISO 4217 code such as USD`,
    );
  }
}
