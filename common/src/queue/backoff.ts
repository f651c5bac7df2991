// The capped exponential backoff of client-go's rate limiters, shared by the informer and the work
// queue.

/** `baseMs` doubled for each attempt after the first (attempt counts from 1), at most `maxMs`. */
export function cappedBackoffMs(baseMs: number, maxMs: number, attempt: number): number {
  return Math.min(baseMs * 2 ** (attempt - 1), maxMs);
}
