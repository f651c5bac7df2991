// Per-resource watch history and fan-out, after apiserver's cacher: each resource keeps its own
// window of recent events, so an idle resource's watchers never see a spurious 410 because other
// resources were busy; a watch from before the window gets "too old resource version".
import type { Obj } from '../objects.js';
import type { Change } from '../store/durable-store.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface HistoryEvent {
  type: EventType;
  rv: number;
  /** the object after the change; for DELETED the last state, carrying the deletion's resourceVersion */
  obj: Obj;
  prev?: Obj;
}

/** Delivery target of one watch request; match decides selector membership. */
export interface WatchSink {
  match(obj: Obj): boolean;
  send(type: EventType | 'BOOKMARK', obj: Obj | null, rv: number): void;
  /** end the stream; expiredAt: the history was dropped (forced expiry), so say 410 Expired first */
  close(expiredAt?: number): void;
}

const DEFAULT_CAPACITY = 10000;

class ResourceHistory {
  /** events strictly newer than startRv are all retained */
  startRv: number;
  #events: HistoryEvent[] = [];
  #head = 0;
  readonly #capacity: number;
  readonly sinks = new Set<WatchSink>();

  constructor(startRv: number, capacity = DEFAULT_CAPACITY) {
    this.startRv = startRv;
    this.#capacity = capacity;
  }

  push(ev: HistoryEvent): void {
    this.#events.push(ev);
    if (this.#events.length - this.#head > this.#capacity) {
      this.startRv = this.#events[this.#head]!.rv;
      this.#head++;
      if (this.#head > 4096) { this.#events = this.#events.slice(this.#head); this.#head = 0; }
    }
    for (const s of this.sinks) deliver(s, ev);
  }

  /** Events after rv, or null when rv is older than the window. */
  since(rv: number): HistoryEvent[] | null {
    if (rv < this.startRv) return null;
    const out: HistoryEvent[] = [];
    for (let i = this.#events.length - 1; i >= this.#head; i--) {
      const e = this.#events[i]!;
      if (e.rv <= rv) break;
      out.push(e);
    }
    return out.reverse();
  }

  /** Drops the window (test switch for a 410): every current watch gets 410 Expired and ends. */
  expire(currentRv: number): void {
    this.#events = [];
    this.#head = 0;
    this.startRv = currentRv;
    for (const s of [...this.sinks]) s.close(currentRv);
    this.sinks.clear();
  }
}

/** cache_watcher.go convertToWatchEvent: selector transitions become ADDED / DELETED. */
export function deliver(s: WatchSink, ev: HistoryEvent): void {
  if (ev.type === 'DELETED') {
    if (s.match(ev.prev ?? ev.obj)) s.send('DELETED', ev.obj, ev.rv);
    return;
  }
  const cur = s.match(ev.obj);
  const old = ev.prev ? s.match(ev.prev) : false;
  if (cur && old) s.send('MODIFIED', ev.obj, ev.rv);
  else if (cur && !old) s.send('ADDED', ev.obj, ev.rv);
  else if (!cur && old) s.send('DELETED', withResourceVersion(ev.prev!, ev.rv), ev.rv);
}

function withResourceVersion(obj: Obj, rv: number): Obj {
  return { ...obj, metadata: { ...(obj.metadata as Obj), resourceVersion: String(rv) } };
}

/** All resources' histories, fed by the store's commits. */
export class WatchHub {
  #histories = new Map<string, ResourceHistory>();
  #currentRv: () => number;
  #waiters = new Set<() => void>();

  constructor(currentRv: () => number) {
    this.#currentRv = currentRv;
  }

  /** Starts the history of a bucket (at server start or CRD establishment); no-op if it exists. */
  ensure(bucket: string): ResourceHistory {
    let h = this.#histories.get(bucket);
    if (!h) this.#histories.set(bucket, (h = new ResourceHistory(this.#currentRv())));
    return h;
  }

  onCommit(changes: Change[]): void {
    for (const c of changes) {
      const h = this.ensure(c.bucket);
      if (c.obj) h.push({ type: c.prev ? 'MODIFIED' : 'ADDED', rv: c.rv, obj: c.obj, prev: c.prev });
      else if (c.prev) h.push({ type: 'DELETED', rv: c.rv, obj: withResourceVersion(c.prev, c.rv), prev: c.prev });
    }
    for (const w of [...this.#waiters]) w();
  }

  /** Resolves true once the committed resourceVersion reaches rv, false after timeoutMs. */
  waitForRv(rv: number, timeoutMs: number): Promise<boolean> {
    if (this.#currentRv() >= rv) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (this.#currentRv() >= rv) { done(); resolve(true); }
      };
      const timer = setTimeout(() => { done(); resolve(false); }, timeoutMs);
      const done = () => { clearTimeout(timer); this.#waiters.delete(check); };
      this.#waiters.add(check);
    });
  }

  expire(bucket: string): void {
    this.ensure(bucket).expire(this.#currentRv());
  }

  closeAll(): void {
    for (const h of this.#histories.values()) {
      for (const s of [...h.sinks]) s.close();
      h.sinks.clear();
    }
  }
}
