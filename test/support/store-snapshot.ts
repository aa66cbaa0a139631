/**
 * A folder as data, to show that a command left it as it was: every file and folder under
 * it (recursively) with its size, modification time and SHA-256. Undefined when the folder
 * does not exist.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface FolderEntry {
  readonly path: string;
  readonly kind: 'file' | 'folder';
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256?: string;
}

export function snapshotFolder(dir: string): FolderEntry[] | undefined {
  if (!existsSync(dir)) return undefined;
  const out: FolderEntry[] = [{ path: '.', kind: 'folder', size: 0, mtimeMs: statSync(dir).mtimeMs }];
  const walk = (at: string): void => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const stat = statSync(path);
      const rel = relative(dir, path);
      if (stat.isDirectory()) {
        out.push({ path: rel, kind: 'folder', size: 0, mtimeMs: stat.mtimeMs });
        walk(path);
      } else {
        const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
        out.push({ path: rel, kind: 'file', size: stat.size, mtimeMs: stat.mtimeMs, sha256 });
      }
    }
  };
  walk(dir);
  return out;
}
