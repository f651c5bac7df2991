// apiextensions' naming, establishing and finalizer controllers in one: a new CRD gets
// NamesAccepted and Established shortly after the create response (never within it), and a deleted
// CRD's custom resources are removed before the CRD itself goes.
import type { Obj } from '../objects.js';
import type { ObjectOps } from '../object-ops.js';
import type { Registry } from '../resource-registry.js';
import type { WatchHub } from '../watch/watch-cache.js';
import type { Change } from '../store/durable-store.js';
import { crdCondition, crdConditionTrue, crdSpec, CRD_CLEANUP_FINALIZER, setCondition } from '../crd-resource-types.js';
import { deepClone, deepEqual, isObj, metaOf, peekMeta } from '../objects.js';
import { WorkQueue } from '../../../common/src/queue/work-queue.js';
import { retryEverySecond } from './controller-queue.js';

/** Delay before the controllers react, so Established is never set within the create call. */
const ESTABLISH_DELAY_MS = 100;

export class CrdController {
  readonly #ops: ObjectOps;
  readonly #reg: Registry;
  readonly #hub: WatchHub;
  readonly queue: WorkQueue;

  constructor(ops: ObjectOps, reg: Registry, hub: WatchHub, log: (m: string) => void) {
    this.#ops = ops;
    this.#reg = reg;
    this.#hub = hub;
    this.queue = new WorkQueue((k) => this.#process(k), retryEverySecond(log));
  }

  /** Serves the CRDs already stored, then reconciles them all. */
  start(): void {
    for (const crd of this.#ops.store.list(this.#reg.crdType.bucket)) {
      const name = peekMeta(crd).name!;
      if (crdConditionTrue(crd, 'Established')) this.#reg.establishedAt.set(name, 0);
      this.#sync(name, crd);
      this.queue.add(name);
    }
  }

  onCommit(changes: Change[]): void {
    for (const c of changes) {
      if (c.bucket === this.#reg.crdType.bucket) this.queue.addAfter(c.key, ESTABLISH_DELAY_MS);
      else if (c.obj === null) {
        const crdName = this.#terminatingFor(c.bucket);
        if (crdName) this.queue.add(crdName);
      }
    }
  }

  #terminatingFor(bucket: string): string | undefined {
    const [group, resource] = bucket.split('/');
    const name = `${resource}.${group}`;
    const crd = this.#ops.store.get(this.#reg.crdType.bucket, name);
    return crd && peekMeta(crd).deletionTimestamp ? name : undefined;
  }

  #sync(name: string, crd: Obj | null): void {
    this.#reg.syncCrd(name, crd);
    if (crd) {
      const spec = crdSpec(crd);
      this.#hub.ensure(`${spec.group}/${spec.names.plural}`);
    }
  }

  async #process(name: string): Promise<void> {
    const crd = this.#ops.store.get(this.#reg.crdType.bucket, name);
    if (!crd) {
      this.#sync(name, null);
      return;
    }
    if (peekMeta(crd).deletionTimestamp) {
      await this.#cleanup(name, crd);
      return;
    }
    const next = deepClone(crd);
    const status = (isObj(next.status) ? next.status : (next.status = {})) as Obj;
    const conflict = this.#nameConflict(name, crd);
    if (conflict) {
      setCondition(status, { type: 'NamesAccepted', status: 'False', reason: conflict.reason, message: conflict.message });
    } else {
      const n = crdSpec(crd).names;
      const accepted: Obj = { plural: n.plural, singular: n.singular ?? n.kind.toLowerCase(), kind: n.kind, listKind: n.listKind ?? `${n.kind}List` };
      if (n.shortNames?.length) accepted.shortNames = n.shortNames;
      if (n.categories?.length) accepted.categories = n.categories;
      status.acceptedNames = accepted;
      setCondition(status, { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' });
      if (!crdConditionTrue(crd, 'Established')) {
        setCondition(status, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' });
      }
    }
    if (!deepEqual(next.status, crd.status)) {
      const wasEstablished = crdConditionTrue(crd, 'Established');
      const written = await this.#ops.systemUpdate(this.#reg.crdType, next, 'status');
      if (!wasEstablished && crdConditionTrue(written, 'Established')) this.#reg.establishedAt.set(name, Date.now());
      this.#sync(name, written);
      return;
    }
    this.#sync(name, crd);
  }

  #nameConflict(name: string, crd: Obj): { reason: string; message: string } | undefined {
    const spec = crdSpec(crd);
    const n = spec.names;
    for (const other of this.#ops.store.list(this.#reg.crdType.bucket)) {
      const on = peekMeta(other).name;
      if (on === name || crdSpec(other).group !== spec.group || !crdConditionTrue(other, 'NamesAccepted')) continue;
      const a = (other.status as Obj).acceptedNames as { plural: string; singular?: string; kind: string; listKind?: string; shortNames?: string[] };
      if (a.plural === n.plural || a.singular === n.plural) return { reason: 'PluralConflict', message: `"${n.plural}" is already in use` };
      const singular = n.singular ?? n.kind.toLowerCase();
      if (a.plural === singular || a.singular === singular) return { reason: 'SingularConflict', message: `"${singular}" is already in use` };
      for (const s of n.shortNames ?? []) {
        if ((a.shortNames ?? []).includes(s) || a.plural === s || a.singular === s) return { reason: 'ShortNamesConflict', message: `"${s}" is already in use` };
      }
      if (a.kind === n.kind || a.listKind === n.kind) return { reason: 'KindConflict', message: `"${n.kind}" is already in use` };
      const listKind = n.listKind ?? `${n.kind}List`;
      if (a.kind === listKind || a.listKind === listKind) return { reason: 'ListKindConflict', message: `"${listKind}" is already in use` };
    }
    return undefined;
  }

  /** The finalizer controller: delete every custom resource, then release the CRD. */
  async #cleanup(name: string, crd: Obj): Promise<void> {
    const spec = crdSpec(crd);
    const bucket = `${spec.group}/${spec.names.plural}`;
    const types = this.#reg.crdTypes(name);
    const t = types[0];
    let remaining = 0;
    if (t) {
      for (const o of [...this.#ops.store.list(bucket)]) {
        remaining++;
        const m = peekMeta(o);
        if (m.deletionTimestamp) continue;
        await this.#ops.delete(t, m.namespace, m.name!, { propagationPolicy: 'Background' });
      }
    }
    if (remaining > 0 && this.#ops.store.count(bucket) > 0) {
      const cond = crdCondition(crd, 'Terminating');
      if (cond?.reason !== 'InstanceDeletionInProgress') {
        const next = deepClone(crd);
        setCondition(next.status as Obj, { type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' });
        await this.#ops.systemUpdate(this.#reg.crdType, next, 'status');
      }
      this.queue.addAfter(name, 1000);
      return;
    }
    const next = deepClone(crd);
    const m = metaOf(next);
    m.finalizers = (m.finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER);
    if (!m.finalizers.length) delete m.finalizers;
    await this.#ops.systemUpdate(this.#reg.crdType, next);
  }
}

