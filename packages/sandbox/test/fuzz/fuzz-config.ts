/**
 * What the sandbox's fuzz tests share: how many runs (read here only: it configures these tests,
 * not the sandbox) and the fixed seed a failure reproduces with.
 */
export function fuzzRuns(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const runs = Number(value);
  // Fewer than ~50 samples may not reach every outcome the assertions expect to see.
  if (!Number.isInteger(runs) || runs < 50) throw new Error(`BATON_SANDBOX_FUZZ_RUNS: expected a whole number of at least 50, got "${value.slice(0, 20)}"`);
  return runs;
}

/** Fixed so a failure reproduces; FUZZ_SEED explores others. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_130);

/** What Node's HTTP client accepts in a header value. */
export const headerSafe = (s: string): boolean => /^[\x21-\x7e]*$/.test(s);
