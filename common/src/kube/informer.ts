// An informer in the manner of client-go's reflector: list, then watch from the list's
// resourceVersion; a 410 Gone relists (and reports objects that vanished meanwhile as deleted); a
// watch the server ends is resumed from the last resourceVersion; any other failure retries with
// capped backoff counted from the last watch the server accepted, so the informer never stops by
// itself (client-node's ListWatch does) and is back within the first step after each API server restart.
import type { KubeClient } from './client.js';
import { KubeApiError } from './client.js';
import { cappedBackoffMs } from '../queue/backoff.js';

export interface KubeObject {
  metadata: { name?: string; namespace?: string; resourceVersion?: string };
}

interface InformerHandlers<T> {
  onChange(obj: T): void;
  onDelete(obj: T): void;
  /** a list or watch failed and will be retried in `retryInMs` */
  onError(err: unknown, retryInMs: number): void;
}

interface List<T> {
  metadata: { resourceVersion?: string };
  items: T[];
}

const key = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

export class Informer<T extends KubeObject> {
  readonly #client: KubeClient;
  readonly #path: string;
  readonly #labelSelector: string;
  readonly #fieldSelector: string | undefined;
  readonly #handlers: InformerHandlers<T>;
  readonly #cache = new Map<string, T>();
  #resourceVersion = '';
  #synced = false;
  #watching = false;
  #abort = new AbortController();
  #running: Promise<void> | undefined;

  /** `fieldSelector` metadata.name=X lets RBAC rules with resourceNames allow the list and watch. */
  constructor(client: KubeClient, path: string, labelSelector: string, handlers: InformerHandlers<T>, fieldSelector?: string) {
    this.#fieldSelector = fieldSelector;
    this.#client = client;
    this.#path = path;
    this.#labelSelector = labelSelector;
    this.#handlers = handlers;
  }

  /** The cache has been filled by a list at least once. */
  get synced(): boolean {
    return this.#synced;
  }

  /** A watch is open now: changes reach the cache. */
  get watching(): boolean {
    return this.#watching;
  }

  get(namespace: string, name: string): T | undefined {
    return this.#cache.get(`${namespace}/${name}`);
  }

  list(): T[] {
    return [...this.#cache.values()];
  }

  /** Resolves after the first successful list (or when stopped). */
  async start(): Promise<void> {
    const firstList = new Promise<void>((resolve) => {
      this.#running = this.#run(resolve);
    });
    await firstList;
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#running;
  }

  async #run(listed: () => void): Promise<void> {
    let failures = 0;
    while (!this.#abort.signal.aborted) {
      try {
        if (!this.#resourceVersion) {
          await this.#relist();
          listed();
        }
        await this.#client.watch<T>(this.#path, {
          labelSelector: this.#labelSelector,
          fieldSelector: this.#fieldSelector,
          resourceVersion: this.#resourceVersion,
          allowWatchBookmarks: 'true',
        }, (e) => this.#apply(e.type, e.object), this.#abort.signal, true, () => {
          // An accepted watch is a success: the next cut starts again from the first backoff step.
          this.#watching = true;
          failures = 0;
        });
        this.#watching = false;
        failures = 0;
      } catch (err) {
        this.#watching = false;
        if (this.#abort.signal.aborted) break;
        if (err instanceof KubeApiError && err.statusCode === 410) {
          this.#resourceVersion = '';
          continue;
        }
        failures++;
        const retryInMs = cappedBackoffMs(200, 10_000, failures);
        this.#handlers.onError(err, retryInMs);
        await this.#sleep(retryInMs);
      }
    }
    listed();
  }

  async #relist(): Promise<void> {
    const list = await this.#client.request<List<T>>('GET', this.#path, { query: { labelSelector: this.#labelSelector, fieldSelector: this.#fieldSelector } });
    const seen = new Set<string>();
    for (const obj of list.items) {
      seen.add(key(obj));
      this.#cache.set(key(obj), obj);
      this.#handlers.onChange(obj);
    }
    for (const [k, obj] of this.#cache) {
      if (seen.has(k)) continue;
      this.#cache.delete(k);
      this.#handlers.onDelete(obj);
    }
    this.#resourceVersion = list.metadata.resourceVersion ?? '';
    this.#synced = true;
  }

  #apply(type: string, obj: T): void {
    switch (type) {
      case 'ADDED':
      case 'MODIFIED':
        this.#cache.set(key(obj), obj);
        this.#handlers.onChange(obj);
        break;
      case 'DELETED':
        this.#cache.delete(key(obj));
        this.#handlers.onDelete(obj);
        break;
      case 'ERROR': {
        // The server ends the watch after an ERROR event; 410 means our resourceVersion is gone.
        const code = (obj as unknown as { code?: number }).code;
        throw new KubeApiError('WATCH', this.#path, code ?? 500, obj as unknown as { message?: string });
      }
      default:
        break;
    }
    this.#resourceVersion = obj.metadata.resourceVersion ?? this.#resourceVersion;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.#abort.signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      }, { once: true });
    });
  }
}
