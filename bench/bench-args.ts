/** Command-line options shared by the benchmarks: `--name value`. */
export function benchArg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** The synthetic-case options every engine benchmark accepts. */
export function syntheticOptions(): { benchmarks: number; evidence: number; years: number; from: string; seed: number } {
  return {
    benchmarks: Number(benchArg('benchmarks', '200')),
    evidence: Number(benchArg('evidence', '100000')),
    years: Number(benchArg('years', '20')),
    from: '2004-01-01',
    seed: Number(benchArg('seed', '42')),
  };
}
