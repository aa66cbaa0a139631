/**
 * Drift between a case folder and the ledger: what the ledger holds that the folder does
 * not, which folder items the ledger stores with other content, and the corrections that
 * record a folder's changed items. Pure: both sides are given as entries; nothing is read
 * or written here.
 *
 * Contracts:
 * - Content is compared as canonical JSON (`src/core/canonical-json.ts`), as the ledger's
 *   append compares it (`ledger-rules.ts`): field order and absent optional fields do not
 *   matter.
 * - A folder item is *edited* when its id is stored with other content. The stored entry
 *   is the record (append-only): an edited item is never appended, and the stored entry,
 *   as superseded by later entries, is what is assessed.
 * - An edited item *differs* (is reported) unless the entry standing at the end of its
 *   supersession chain has the item's content, `id`, `supersedes` and `recorded` aside:
 *   once a correction of the folder's version stands, the item is no longer reported.
 * - An entry is *not in the folder* when its id is no folder item's and it is not on the
 *   supersession chain of an edited item (such entries, the corrections, record the
 *   folder's own changes). Corrections of unedited items (made through `proviso serve`,
 *   say) are not in the folder.
 * - Supersession is followed as the core resolves it (`src/core/evidence.ts`): when two
 *   entries supersede one, the later in id order wins.
 * - Lists are in id order (the core's: UTF-16 code units).
 */
import { canonicalJson } from '../core/canonical-json.ts';
import type { Evidence } from '../core/evidence.ts';
import { compareIds } from './ledger-rules.ts';

export interface DriftedItem {
  /** The folder item's id. */
  readonly id: string;
  /** The id of the entry standing at the end of the item's supersession chain (the item's own when uncorrected). */
  readonly standing: string;
  /** Set when the chain ends in a retraction: a correction would reinstate a withdrawn entry. */
  readonly retracted: boolean;
}

export interface LedgerDrift {
  /** Ids of the case's stored entries that are not in the folder (see the module's contracts). */
  readonly notInFolder: readonly string[];
  /** Folder items stored with other content and not yet corrected to the folder's version. */
  readonly differs: readonly DriftedItem[];
  /** Ids of every edited folder item (reported or corrected): they are not appended. */
  readonly edited: ReadonlySet<string>;
}

export const NO_DRIFT: LedgerDrift = Object.freeze({ notInFolder: [], differs: [], edited: new Set<string>() });

export function hasDrift(drift: LedgerDrift): boolean {
  return drift.notInFolder.length > 0 || drift.differs.length > 0;
}

/** An entry's content without the fields a correction sets itself (`id`, `supersedes`, `recorded`). */
export function correctedContent(e: Evidence): string {
  const { id: _id, supersedes: _supersedes, recorded: _recorded, ...rest } = e;
  return canonicalJson(rest);
}

/** Each superseded id mapped to the id of the entry that supersedes it, as the core resolves it. */
function supersessions(stored: readonly Evidence[]): Map<string, string> {
  const byId = [...stored].sort((a, b) => compareIds(a.id, b.id));
  const next = new Map<string, string>();
  for (const e of byId) if (e.supersedes !== undefined) next.set(e.supersedes, e.id);
  return next;
}

/** The ids after `id` on its supersession chain, in order (a loop, which the ledger refuses, ends the walk). */
function chainAfter(id: string, next: ReadonlyMap<string, string>): string[] {
  const chain: string[] = [];
  const seen = new Set([id]);
  for (let at = next.get(id); at !== undefined && !seen.has(at); at = next.get(at)) {
    chain.push(at);
    seen.add(at);
  }
  return chain;
}

/**
 * Compares a case folder's evidence items with the case's stored entries. `storedAsIs`
 * says the caller knows every folder item to be stored with its content (the ledger just
 * accepted them all), which spares comparing contents: only entries not in the folder
 * remain to be found.
 */
export function ledgerDrift(folder: readonly Evidence[], stored: readonly Evidence[], storedAsIs = false): LedgerDrift {
  if (storedAsIs) {
    const folderIds = new Set(folder.map((e) => e.id));
    const notInFolder = stored.map((e) => e.id).filter((id) => !folderIds.has(id));
    return { notInFolder: notInFolder.sort(compareIds), differs: [], edited: new Set() };
  }
  const storedById = new Map(stored.map((e) => [e.id, e]));
  const next = supersessions(stored);
  const folderIds = new Set<string>();
  const edited = new Set<string>();
  const onEditedChains = new Set<string>();
  const differs: DriftedItem[] = [];
  for (const item of folder) {
    if (folderIds.has(item.id)) continue;
    folderIds.add(item.id);
    const entry = storedById.get(item.id);
    if (entry === undefined || canonicalJson(entry) === canonicalJson(item)) continue;
    edited.add(item.id);
    const chain = chainAfter(item.id, next);
    for (const id of chain) onEditedChains.add(id);
    const standing = storedById.get(chain[chain.length - 1] ?? item.id) ?? entry;
    if (correctedContent(standing) !== correctedContent(item)) {
      differs.push({ id: item.id, standing: standing.id, retracted: standing.retracted === true });
    }
  }
  const notInFolder = stored.map((e) => e.id).filter((id) => !folderIds.has(id) && !onEditedChains.has(id));
  return {
    notInFolder: notInFolder.sort(compareIds),
    differs: differs.sort((a, b) => compareIds(a.id, b.id)),
    edited,
  };
}

/** A correction to append, and what it corrects. */
export interface Correction {
  readonly entry: Evidence;
  /** The folder item it records. */
  readonly item: string;
}

/** Why a requested correction cannot be made. */
export interface CorrectionProblem {
  readonly id: string;
  readonly reason: string;
}

/**
 * The corrections recording drifted folder items: for each, the folder's content under the
 * id `<item id>.c<N>` (the first N = 1, 2, … that names no stored entry and no folder
 * item), superseding the entry that stands for the item, recorded on `recorded`.
 *
 * `ids` chooses the items (all drifted items when empty). An id that is not a drifted item,
 * an item whose chain ends in a retraction, or a `recorded` date before the entry it
 * corrects was recorded is a problem; with any problem, no correction is returned.
 */
export function correctionsFor(
  folder: readonly Evidence[],
  stored: readonly Evidence[],
  drift: LedgerDrift,
  ids: readonly string[],
  recorded: string,
):
  | { readonly ok: true; readonly corrections: readonly Correction[] }
  | { readonly ok: false; readonly problems: readonly CorrectionProblem[] } {
  const folderById = new Map(folder.map((e) => [e.id, e]));
  const storedById = new Map(stored.map((e) => [e.id, e]));
  const driftById = new Map(drift.differs.map((d) => [d.id, d]));
  const problems: CorrectionProblem[] = [];
  const wanted = ids.length === 0 ? drift.differs.map((d) => d.id) : [...new Set(ids)];
  const taken = new Set([...folderById.keys(), ...storedById.keys()]);
  const corrections: Correction[] = [];
  for (const id of wanted) {
    const item = folderById.get(id);
    const drifted = driftById.get(id);
    if (item === undefined) {
      problems.push({ id, reason: 'is not an evidence item of the case folder' });
      continue;
    }
    if (drifted === undefined) {
      problems.push({
        id,
        reason: !storedById.has(id)
          ? 'is not in the ledger yet: it is appended as it is when the case is next loaded (assess, history, brief); nothing to correct'
          : drift.edited.has(id)
            ? 'is already recorded: the entry standing for it has the folder’s content'
            : 'matches its ledger entry; nothing to correct',
      });
      continue;
    }
    const standing = storedById.get(drifted.standing);
    if (drifted.retracted || standing === undefined) {
      problems.push({
        id,
        reason: `was retracted in the ledger by ${drifted.standing}; a correction would reinstate it. Restore the folder's item to its stored content, or record a new item (with a new id) if the event is to count again`,
      });
      continue;
    }
    if (recorded < standing.recorded) {
      problems.push({
        id,
        reason: `the correction would be recorded on ${recorded}, before ${standing.id} (which it supersedes) was recorded on ${standing.recorded}; give --recorded ${standing.recorded} or later`,
      });
      continue;
    }
    let n = 1;
    while (taken.has(`${id}.c${n}`)) n += 1;
    const newId = `${id}.c${n}`;
    taken.add(newId);
    const { supersedes: _supersedes, ...content } = item;
    corrections.push({ item: id, entry: { ...content, id: newId, supersedes: standing.id, recorded } });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, corrections };
}
