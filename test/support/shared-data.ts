/**
 * Where the tests read the public data samples (GDELT, ICEWS, UN votes, aid, SIPRI,
 * strikes): `PROVISO_SHARED_DATA` when set; else `../shared/data` beside the checkout,
 * where the project keeps them; else the byte-identical copy in `test/fixtures/shared-data`
 * (with their SOURCES.md), so that a clone anywhere runs every test.
 * `test/shared-data-copy.test.ts` checks the copy against the originals when both exist.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const SHARED_BESIDE = resolve(REPO_ROOT, '..', 'shared', 'data');
export const SHARED_COPY = join(REPO_ROOT, 'test', 'fixtures', 'shared-data');

export const SHARED_DATA = process.env.PROVISO_SHARED_DATA ?? (existsSync(SHARED_BESIDE) ? SHARED_BESIDE : SHARED_COPY);
