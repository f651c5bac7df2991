// A rate-limited work queue in the manner of client-go's: keys are deduplicated, a key is handled
// by at most one worker at a time (a key added while it is being handled runs once more after),
// failures are retried with capped exponential backoff, and a handler may ask to run again later.
import { cappedBackoffMs } from './backoff.js';
import { maxTimerDelayMs } from '../timers/long-timeout.js';

export interface ReconcileResult {
  requeueAfterMs?: number;
}

export interface WorkQueueOptions {
  concurrency: number;
  baseDelayMs: number;
  maxDelayMs: number;
  onError(key: string, err: unknown): void;
}

export class WorkQueue {
  readonly #handler: (key: string) => Promise<ReconcileResult | void>;
  readonly #options: WorkQueueOptions;
  readonly #ready = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #timers = new Map<string, { timer: NodeJS.Timeout; due: number }>();
  #stopped = false;
  #idle: (() => void)[] = [];

  constructor(handler: (key: string) => Promise<ReconcileResult | void>, options: WorkQueueOptions) {
    this.#handler = handler;
    this.#options = options;
  }

  add(key: string): void {
    if (this.#stopped) return;
    if (this.#processing.has(key)) {
      this.#dirty.add(key);
      return;
    }
    this.#ready.add(key);
    this.#pump();
  }

  /** Adds the key after `ms`; an earlier pending delay for the key is kept if it is sooner. */
  addAfter(key: string, ms: number): void {
    if (this.#stopped) return;
    if (ms <= 0) return this.add(key);
    const existing = this.#timers.get(key);
    const due = Date.now() + ms;
    if (existing && existing.due <= due) return;
    if (existing) clearTimeout(existing.timer);
    // NB: Node fires delays above 2^31-1 ms at once; a longer delay re-arms until it is due.
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      const left = due - Date.now();
      if (left > 0) this.addAfter(key, left);
      else this.add(key);
    }, Math.min(ms, maxTimerDelayMs));
    // NB: a pending retry alone does not keep the process alive; the owner decides its lifetime.
    timer.unref();
    this.#timers.set(key, { timer, due });
  }

  get length(): number {
    return this.#ready.size + this.#processing.size;
  }

  /** Resolves when nothing is ready or being handled (delayed keys do not count). */
  drained(): Promise<void> {
    if (this.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  shutdown(): void {
    this.#stopped = true;
    for (const t of this.#timers.values()) clearTimeout(t.timer);
    this.#timers.clear();
    this.#ready.clear();
  }

  #backoff(key: string): number {
    const n = (this.#failures.get(key) ?? 0) + 1;
    this.#failures.set(key, n);
    return cappedBackoffMs(this.#options.baseDelayMs, this.#options.maxDelayMs, n);
  }

  #pump(): void {
    for (const key of this.#ready) {
      if (this.#processing.size >= this.#options.concurrency) return;
      if (this.#processing.has(key)) continue;
      this.#ready.delete(key);
      this.#processing.add(key);
      void this.#run(key);
    }
  }

  async #run(key: string): Promise<void> {
    let retryAfter: number | undefined;
    try {
      const result = await this.#handler(key);
      this.#failures.delete(key);
      retryAfter = result?.requeueAfterMs;
    } catch (err) {
      this.#options.onError(key, err);
      retryAfter = this.#backoff(key);
    }
    this.#processing.delete(key);
    if (this.#dirty.delete(key)) this.add(key);
    else if (retryAfter !== undefined) this.addAfter(key, retryAfter);
    this.#pump();
    if (this.length === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }
}
