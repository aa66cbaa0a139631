/**
 * The CAMEO vocabulary the program needs, read once from the shipped tables in
 * `data/cameo/` (origins and licences in `data/cameo/SOURCES.md`).
 *
 * Contract: codes are text (`043`); lookups never throw for unknown keys (they return
 * `undefined`); the tables are frozen after loading.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CameoTables {
  /** CAMEO event code → Goldstein score. */
  readonly goldstein: ReadonlyMap<string, number>;
  /** CAMEO event code → description. */
  readonly eventNames: ReadonlyMap<string, string>;
  /** ICEWS country name → CAMEO country code (ISO3-based: `PAK`, `USA`). */
  readonly countryByName: ReadonlyMap<string, string>;
  /** ICEWS sector name → CAMEO agent code (`GOV`, `MIL`). */
  readonly agentBySector: ReadonlyMap<string, string>;
  /** Phoenix group code (`SASREB`) → normalised names of the actors it covers. */
  readonly groupNames: ReadonlyMap<string, readonly string[]>;
}

function readLines(path: string): string[] {
  return readFileSync(path, 'utf8').split(/\r?\n/);
}

/** Upper-case letters and digits separated by single spaces: how actor names are compared. */
export function normaliseActorName(name: string): string {
  return name
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();
}

function readTsvPairs(path: string, skipHeader: boolean): [string, string][] {
  const out: [string, string][] = [];
  for (const [i, line] of readLines(path).entries()) {
    if ((skipHeader && i === 0) || line.trim() === '') continue;
    const cells = line.split('\t');
    if (cells.length >= 2) out.push([(cells[0] as string).trim(), (cells[1] as string).trim()]);
  }
  return out;
}

/** Phoenix dictionary entries: `NAME_(ABBR)_ [CODE]` followed by `+SYNONYM` lines. */
function readPhoenixGroups(path: string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const raw of readLines(path)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') {
      current = undefined;
      continue;
    }
    const entry = /^([^+[][^[]*?)\s*\[([A-Z0-9]+)\]/.exec(line);
    if (entry) {
      const code = entry[2] as string;
      current = groups.get(code) ?? [];
      groups.set(code, current);
      pushNames(current, entry[1] as string);
    } else if (line.startsWith('+') && current) {
      for (const syn of line.slice(1).split('+')) pushNames(current, syn);
    }
  }
  return groups;
}

function pushNames(into: string[], dictName: string): void {
  // `LASHKAR-E-TAIBA_(LET)_` names the group both in full and by its abbreviation.
  const full = normaliseActorName(dictName.replace(/\([^)]*\)/g, ' ').replace(/_/g, ' '));
  if (full !== '' && !into.includes(full)) into.push(full);
}

export function loadCameoTables(dir: string): CameoTables {
  const goldstein = new Map<string, number>();
  for (const [code, value] of readTsvPairs(join(dir, 'CAMEO.goldsteinscale.txt'), true)) goldstein.set(code, Number(value));
  const eventNames = new Map(readTsvPairs(join(dir, 'CAMEO.eventcodes.txt'), true));
  const countryByName = new Map<string, string>();
  for (const [name, code] of readTsvPairs(join(dir, 'text_to_CAMEO_countrynames.txt'), false)) {
    if (/^[A-Z]{3}/.test(code)) countryByName.set(name, code);
  }
  const agentBySector = new Map<string, string>();
  for (const [name, code] of readTsvPairs(join(dir, 'text_to_CAMEO_agentnames.txt'), false)) {
    if (!agentBySector.has(name)) agentBySector.set(name, code);
  }
  const groupNames = readPhoenixGroups(join(dir, 'Phoenix.MilNonState.actors.txt'));
  return Object.freeze({ goldstein, eventNames, countryByName, agentBySector, groupNames });
}

/** QuadClass of a CAMEO root code: 01–04 verbal cooperation (1), 05–08 material cooperation (2), 09–13 verbal conflict (3), 14–20 material conflict (4). */
export function quadClassOfRoot(root: number): 1 | 2 | 3 | 4 | undefined {
  if (root >= 1 && root <= 4) return 1;
  if (root >= 5 && root <= 8) return 2;
  if (root >= 9 && root <= 13) return 3;
  if (root >= 14 && root <= 20) return 4;
  return undefined;
}
