/**
 * Deterministic property tests: every fast-check run uses one seed, so CI and a
 * developer see the same cases. Set FC_SEED to explore other seeds locally.
 */
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261128) });
