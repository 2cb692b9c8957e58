/**
 * Performance guards (no catastrophic backtracking, no quadratic step) measure
 * the CPU time this process spends in the code under test, never wall time.
 * Wall time grows with whatever else the machine runs (the suite runs two
 * files at once, CI and other jobs more): a wall-clock bound either flakes
 * under load or is too loose to catch anything. CPU time is the code's own
 * work; others' load barely moves it, so a bound 20 to 100 times what linear
 * code needs still fails at once on a quadratic or exponential regression
 * (which costs seconds to hours on these inputs).
 */

/** CPU milliseconds (user + system) this process spent running `fn`. */
export function cpuMsOf(fn: () => void): number {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/**
 * The least CPU time of `runs` runs of `fn`: the first run also pays for
 * compiling and warming up the code, which is not what a guard is about.
 */
export function leastCpuMsOf(fn: () => void, runs = 3): number {
  let least = Infinity;
  for (let run = 0; run < runs; run++) least = Math.min(least, cpuMsOf(fn));
  return least;
}
