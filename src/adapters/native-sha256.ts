/** Node's native SHA-256 for the core's digests: the same digests as the core's own (pure JavaScript), faster. */
import { createHash } from 'node:crypto';
import type { Sha256 } from '../core/digest.ts';

export const nativeSha256: Sha256 = () => createHash('sha256');
