// The queue options every in-process controller of the API server uses.
import type { WorkQueueOptions } from '../../../common/src/queue/work-queue.js';

/** The API server's in-process controllers: one key at a time, a failed key retried after 1 s. */
export function retryEverySecond(log: (message: string) => void): WorkQueueOptions {
  return {
    concurrency: 1,
    baseDelayMs: 1000,
    maxDelayMs: 1000,
    onError: (key, err) => log(`Failed to process ${key}, retrying: ${(err as Error).message}`),
  };
}
