// Runs async work over a list with a bounded number in flight: enough to keep a rate-limited API busy
// while one request waits on the network, few enough not to pile up requests that only queue.

/** Maps `items` through `work` with at most `limit` calls running at once; results keep input order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  // One iterator shared by every worker: each entry is taken exactly once, whoever is free first.
  const queue = items.entries();
  const worker = async () => {
    for (const [index, item] of queue) results[index] = await work(item, index);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
