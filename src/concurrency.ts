/**
 * Runs `task(0)` … `task(count - 1)` with at most `concurrency` in flight, in
 * index order. Once a task throws, no further task starts, and the first
 * error rejects the whole run after the tasks in flight have settled. Pure:
 * no I/O of its own.
 */
export async function forEachConcurrently(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < count) {
      const index = next++;
      try {
        await task(index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
}
