// Events expire an hour after their last write, as kube-apiserver's --event-ttl (etcd leases) does;
// without it a long-running standalone server would keep every Event forever.
import type { Obj } from '../objects.js';
import type { DurableStore, Change } from '../store/durable-store.js';

const EVENTS_BUCKET = 'core/events';
const EVENT_TTL_MS = 60 * 60 * 1000;
const SWEEP_MS = 60 * 1000;

function lastActivity(o: Obj): number {
  const times = [(o.metadata as Obj | undefined)?.creationTimestamp, o.lastTimestamp, o.eventTime, (o.series as Obj | undefined)?.lastObservedTime];
  return Math.max(0, ...times.map((t) => (typeof t === 'string' ? Date.parse(t) : NaN)).filter((n) => !Number.isNaN(n)));
}

export class EventTtl {
  readonly #store: DurableStore;
  readonly #log: (m: string) => void;
  readonly #ttl: number;
  #expires = new Map<string, number>();
  #timer?: NodeJS.Timeout;

  constructor(store: DurableStore, log: (m: string) => void, ttlMs = EVENT_TTL_MS) {
    this.#store = store;
    this.#log = log;
    this.#ttl = ttlMs;
  }

  /** Events already stored expire an hour after the latest time they record (their write time is not kept). */
  start(): void {
    for (const o of this.#store.list(EVENTS_BUCKET)) {
      const m = o.metadata as Obj;
      const key = m.namespace ? `${String(m.namespace)}/${String(m.name)}` : String(m.name);
      this.#expires.set(key, lastActivity(o) + this.#ttl);
    }
    this.#timer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.#timer.unref();
  }

  onCommit(changes: Change[]): void {
    for (const c of changes) {
      if (c.bucket !== EVENTS_BUCKET) continue;
      if (c.obj) this.#expires.set(c.key, Date.now() + this.#ttl);
      else this.#expires.delete(c.key);
    }
  }

  async sweep(now = Date.now()): Promise<void> {
    for (const [key, at] of [...this.#expires]) {
      if (at > now || !this.#store.get(EVENTS_BUCKET, key)) continue;
      this.#expires.delete(key);
      try {
        await this.#store.write(EVENTS_BUCKET, key, null);
      } catch (e) {
        this.#log(`Failed to expire event ${key}: ${(e as Error).message}`);
      }
    }
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
