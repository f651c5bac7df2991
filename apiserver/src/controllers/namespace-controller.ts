// kube-controller-manager's namespace controller: a Terminating namespace is emptied (every object
// in it deleted, finalizers honoured), then its "kubernetes" finalizer is removed and it goes.
import type { ObjectOps } from '../object-ops.js';
import type { Registry } from '../resource-registry.js';
import type { Change } from '../store/durable-store.js';
import type { ResourceType } from '../resource-type.js';
import { peekMeta } from '../objects.js';
import { WorkQueue } from '../../../common/src/queue/work-queue.js';
import { retryEverySecond } from './controller-queue.js';

const NAMESPACES_BUCKET = 'core/namespaces';
const RECHECK_MS = 1000;

export class NamespaceController {
  readonly #ops: ObjectOps;
  readonly #reg: Registry;
  readonly queue: WorkQueue;

  constructor(ops: ObjectOps, reg: Registry, log: (m: string) => void) {
    this.#ops = ops;
    this.#reg = reg;
    this.queue = new WorkQueue((k) => this.#process(k), retryEverySecond(log));
  }

  start(): void {
    for (const n of this.#ops.store.list(NAMESPACES_BUCKET)) {
      if (peekMeta(n).deletionTimestamp) this.queue.add(peekMeta(n).name!);
    }
  }

  onCommit(changes: Change[]): void {
    for (const c of changes) {
      if (c.bucket === NAMESPACES_BUCKET) {
        if (c.obj && peekMeta(c.obj).deletionTimestamp) this.queue.add(c.key);
        continue;
      }
      const ns = peekMeta(c.obj ?? c.prev ?? {}).namespace;
      if (ns && c.obj === null && this.#terminating(ns)) this.queue.add(ns);
    }
  }

  #terminating(ns: string): boolean {
    const n = this.#ops.store.get(NAMESPACES_BUCKET, ns);
    return !!n && !!peekMeta(n).deletionTimestamp;
  }

  /** One served type per namespaced storage bucket. */
  #namespacedTypes(): ResourceType[] {
    const seen = new Map<string, ResourceType>();
    for (const t of this.#reg.all()) if (t.namespaced && !t.review && !seen.has(t.bucket)) seen.set(t.bucket, t);
    return [...seen.values()];
  }

  async #process(ns: string): Promise<void> {
    const n = this.#ops.store.get(NAMESPACES_BUCKET, ns);
    if (!n || !peekMeta(n).deletionTimestamp) return;
    let remaining = 0;
    for (const t of this.#namespacedTypes()) {
      for (const o of [...this.#ops.store.list(t.bucket)]) {
        const m = peekMeta(o);
        if (m.namespace !== ns) continue;
        remaining++;
        if (m.deletionTimestamp) continue;
        try {
          await this.#ops.delete(t, ns, m.name!, { propagationPolicy: 'Background' });
        } catch (e) {
          if ((e as { status?: { code?: number } }).status?.code !== 404) throw e;
        }
      }
    }
    if (remaining > 0 && this.#contentLeft(ns)) {
      this.queue.addAfter(ns, RECHECK_MS);
      return;
    }
    const latest = this.#ops.store.get(NAMESPACES_BUCKET, ns);
    if (latest) await this.#ops.finalizeNamespace(latest);
  }

  #contentLeft(ns: string): boolean {
    for (const t of this.#namespacedTypes()) {
      for (const o of this.#ops.store.list(t.bucket)) if (peekMeta(o).namespace === ns) return true;
    }
    return false;
  }
}
