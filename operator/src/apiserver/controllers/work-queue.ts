// A de-duplicating queue worked one key at a time, with retry after a delay on failure: the shape
// of the controllers in kube-controller-manager, sized for one process.

export class WorkQueue {
  #pending = new Set<string>();
  #running = false;
  #stopped = false;
  #timers = new Set<NodeJS.Timeout>();
  readonly #work: (key: string) => Promise<void>;
  readonly #log: (m: string) => void;
  /** resolves when the queue is empty and idle (tests, shutdown) */
  #idle: Array<() => void> = [];

  constructor(work: (key: string) => Promise<void>, log: (m: string) => void) {
    this.#work = work;
    this.#log = log;
  }

  add(key: string): void {
    if (this.#stopped) return;
    this.#pending.add(key);
    if (!this.#running) {
      this.#running = true;
      setImmediate(() => void this.#drain());
    }
  }

  addAfter(key: string, ms: number): void {
    if (this.#stopped) return;
    const t = setTimeout(() => { this.#timers.delete(t); this.add(key); }, ms);
    t.unref();
    this.#timers.add(t);
  }

  async #drain(): Promise<void> {
    while (this.#pending.size > 0 && !this.#stopped) {
      const key = this.#pending.values().next().value!;
      this.#pending.delete(key);
      try {
        await this.#work(key);
      } catch (e) {
        this.#log(`Failed to process ${key}, retrying: ${(e as Error).message}`);
        this.addAfter(key, 1000);
      }
    }
    this.#running = false;
    for (const r of this.#idle.splice(0)) r();
  }

  idle(): Promise<void> {
    if (!this.#running && this.#pending.size === 0) return Promise.resolve();
    return new Promise((r) => this.#idle.push(r));
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#pending.clear();
  }
}
