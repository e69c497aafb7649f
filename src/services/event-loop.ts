import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * For long loops that run on the event loop that also answers HTTP (a 100,000-row import on the
 * embedded database, whose queries run on this thread too): awaiting promises alone never lets
 * I/O in, so the loop calls the returned function once per item and it yields a turn of the event
 * loop whenever `budgetMs` of work has gone by since the last one.
 */
export function eventLoopYielder(budgetMs = 8): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < budgetMs) return;
    await nextTurn();
    since = performance.now();
  };
}
