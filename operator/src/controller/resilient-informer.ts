// client-node's ListWatch relists on 410 Gone but stops for good on any other error (a server
// restart, a refused connection). This restarts it with capped backoff, and says when its cache
// has been filled once (readiness).
import { ListWatch, Watch, type KubeConfig, type KubernetesObject, type ListPromise } from '@kubernetes/client-node';

export interface InformerHandlers<T> {
  onChange(obj: T): void;
  onDelete(obj: T): void;
  onRestart(err: unknown): void;
}

export class ResilientInformer<T extends KubernetesObject> {
  readonly name: string;
  readonly #watch: ListWatch<T>;
  readonly #handlers: InformerHandlers<T>;
  #synced = false;
  #stopped = false;
  #failures = 0;
  #errors = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(name: string, kc: KubeConfig, path: string, list: ListPromise<T>, labelSelector: string, handlers: InformerHandlers<T>) {
    this.name = name;
    this.#handlers = handlers;
    this.#watch = new ListWatch<T>(path, new Watch(kc), list, false, labelSelector);
    this.#watch.on('add', (o) => handlers.onChange(o));
    this.#watch.on('update', (o) => handlers.onChange(o));
    this.#watch.on('delete', (o) => handlers.onDelete(o));
    this.#watch.on('error', (err) => this.#restartLater(err));
  }

  get synced(): boolean {
    return this.#synced;
  }

  list(): readonly T[] {
    return this.#watch.list();
  }

  get(name: string, namespace: string): T | undefined {
    return this.#watch.get(name, namespace);
  }

  async start(): Promise<void> {
    const failuresBefore = this.#errors;
    try {
      await this.#watch.start();
    } catch (err) {
      this.#restartLater(err);
      return;
    }
    // ListWatch reports a failed list through 'error' and still resolves start().
    if (this.#errors === failuresBefore) {
      this.#synced = true;
      this.#failures = 0;
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#watch.stop();
  }

  #restartLater(err: unknown): void {
    this.#errors++;
    if (this.#stopped) return;
    this.#handlers.onRestart(err);
    this.#failures++;
    const delay = Math.min(200 * 2 ** (this.#failures - 1), 10_000);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.start(), delay);
  }
}
