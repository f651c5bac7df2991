// The garbage collector of kube-controller-manager, in process: dependents whose owners are all gone
// are deleted (background), an owner deleted in the foreground waits for its blocking dependents,
// an orphaning owner strips its references from its dependents first.
import type { Obj } from '../objects.js';
import type { ObjectOps } from '../object-ops.js';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN } from '../object-ops.js';
import type { Registry } from '../resource-registry.js';
import type { Change } from '../store/durable-store.js';
import { deepClone, metaOf, peekMeta, type OwnerReference } from '../objects.js';
import { WorkQueue } from '../../../common/src/queue/work-queue.js';
import { retryEverySecond } from './controller-queue.js';

interface Ref { bucket: string; key: string }

export class GarbageCollector {
  readonly #ops: ObjectOps;
  readonly #reg: Registry;
  readonly queue: WorkQueue;
  /** uid -> where the object lives */
  #byUid = new Map<string, Ref>();
  /** owner uid -> dependents ("bucket\0key") */
  #dependents = new Map<string, Set<string>>();

  constructor(ops: ObjectOps, reg: Registry, log: (m: string) => void) {
    this.#ops = ops;
    this.#reg = reg;
    this.queue = new WorkQueue((k) => this.#process(k), retryEverySecond(log));
  }

  start(): void {
    for (const t of this.#reg.all()) {
      for (const o of this.#ops.store.list(t.bucket)) this.#index(t.bucket, o, undefined);
    }
    for (const t of this.#reg.all()) {
      for (const o of this.#ops.store.list(t.bucket)) this.#enqueueFor(t.bucket, o);
    }
  }

  #keyOf(bucket: string, o: Obj): string {
    const m = peekMeta(o);
    return `${bucket}\0${m.namespace ? `${m.namespace}/${m.name}` : m.name}`;
  }

  #index(bucket: string, obj: Obj | null, prev: Obj | undefined): void {
    const cur = obj ?? prev;
    if (!cur) return;
    const k = this.#keyOf(bucket, cur);
    for (const r of peekMeta(prev ?? {}).ownerReferences ?? []) this.#dependents.get(r.uid)?.delete(k);
    if (!obj) {
      const uid = peekMeta(cur).uid;
      if (uid) this.#byUid.delete(uid);
      return;
    }
    const m = peekMeta(obj);
    if (m.uid) this.#byUid.set(m.uid, { bucket, key: k.split('\0')[1]! });
    for (const r of m.ownerReferences ?? []) {
      let s = this.#dependents.get(r.uid);
      if (!s) this.#dependents.set(r.uid, (s = new Set()));
      s.add(k);
    }
  }

  #enqueueFor(bucket: string, o: Obj): void {
    const m = peekMeta(o);
    if (m.ownerReferences?.length) this.queue.add(this.#keyOf(bucket, o));
    if (m.deletionTimestamp && (m.finalizers ?? []).some((f) => f === FINALIZER_ORPHAN || f === FINALIZER_FOREGROUND)) {
      this.queue.add(this.#keyOf(bucket, o));
    }
  }

  onCommit(changes: Change[]): void {
    for (const c of changes) {
      this.#index(c.bucket, c.obj, c.prev);
      if (c.obj) {
        this.#enqueueFor(c.bucket, c.obj);
      } else if (c.prev) {
        const uid = peekMeta(c.prev).uid;
        for (const d of (uid && this.#dependents.get(uid)) || []) this.queue.add(d);
        for (const r of peekMeta(c.prev).ownerReferences ?? []) {
          const owner = this.#byUid.get(r.uid);
          if (owner) this.queue.add(`${owner.bucket}\0${owner.key}`);
        }
      }
    }
  }

  #get(k: string): { bucket: string; obj: Obj } | undefined {
    const [bucket, key] = k.split('\0') as [string, string];
    const obj = this.#ops.store.get(bucket, key);
    return obj ? { bucket, obj } : undefined;
  }

  /** The owner an ownerReference points at, if it still exists (same uid, kind and namespace scope). */
  #owner(dep: Obj, ref: OwnerReference): Obj | undefined | 'unknown' {
    const t = this.#reg.byKind(ref.apiVersion, ref.kind);
    if (!t) return 'unknown';
    const loc = this.#byUid.get(ref.uid);
    if (!loc || loc.bucket !== t.bucket) return undefined;
    const owner = this.#ops.store.get(loc.bucket, loc.key);
    if (!owner) return undefined;
    if (t.namespaced && peekMeta(owner).namespace !== peekMeta(dep).namespace) return undefined;
    return owner;
  }

  async #process(k: string): Promise<void> {
    const it = this.#get(k);
    if (!it) return;
    const m = peekMeta(it.obj);
    if (m.deletionTimestamp && m.finalizers?.includes(FINALIZER_ORPHAN)) await this.#orphan(it.bucket, it.obj);
    else if (m.deletionTimestamp && m.finalizers?.includes(FINALIZER_FOREGROUND)) await this.#foreground(k, it.bucket, it.obj);
    if (m.ownerReferences?.length) await this.#attemptToDelete(it.bucket, it.obj);
  }

  async #attemptToDelete(bucket: string, dep: Obj): Promise<void> {
    const m = peekMeta(dep);
    if (m.deletionTimestamp && !m.finalizers?.includes(FINALIZER_FOREGROUND)) return;
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of m.ownerReferences ?? []) {
      const owner = this.#owner(dep, ref);
      if (owner === 'unknown') solid.push(ref);
      else if (!owner) dangling.push(ref);
      else if (peekMeta(owner).deletionTimestamp && peekMeta(owner).finalizers?.includes(FINALIZER_FOREGROUND) && ref.blockOwnerDeletion) waiting.push(ref);
      else solid.push(ref);
    }
    const t = this.#reg.byBucket(bucket);
    if (!t) return;
    if (solid.length > 0) {
      if (dangling.length === 0) return;
      const next = deepClone(dep);
      const gone = new Set(dangling.map((r) => r.uid));
      metaOf(next).ownerReferences = (m.ownerReferences ?? []).filter((r) => !gone.has(r.uid));
      await this.#ops.systemUpdate(t, next);
      return;
    }
    if (m.deletionTimestamp) return;
    await this.#ops.delete(t, m.namespace, m.name!, { propagationPolicy: waiting.length > 0 ? 'Foreground' : 'Background' })
      .catch((e: { status?: { code?: number } }) => { if (e.status?.code !== 404) throw e; });
  }

  async #orphan(bucket: string, owner: Obj): Promise<void> {
    const uid = peekMeta(owner).uid!;
    for (const dk of [...(this.#dependents.get(uid) ?? [])]) {
      const d = this.#get(dk);
      if (!d) continue;
      const t = this.#reg.byBucket(d.bucket);
      if (!t) continue;
      const next = deepClone(d.obj);
      metaOf(next).ownerReferences = (peekMeta(d.obj).ownerReferences ?? []).filter((r) => r.uid !== uid);
      if (!metaOf(next).ownerReferences!.length) delete metaOf(next).ownerReferences;
      await this.#ops.systemUpdate(t, next);
    }
    await this.#dropFinalizer(bucket, owner, FINALIZER_ORPHAN);
  }

  async #foreground(k: string, bucket: string, owner: Obj): Promise<void> {
    const uid = peekMeta(owner).uid!;
    let blocking = 0;
    for (const dk of [...(this.#dependents.get(uid) ?? [])]) {
      const d = this.#get(dk);
      if (!d) continue;
      const ref = (peekMeta(d.obj).ownerReferences ?? []).find((r) => r.uid === uid);
      if (ref?.blockOwnerDeletion) blocking++;
      this.queue.add(dk);
    }
    if (blocking > 0) {
      this.queue.addAfter(k, 1000);
      return;
    }
    await this.#dropFinalizer(bucket, owner, FINALIZER_FOREGROUND);
  }

  async #dropFinalizer(bucket: string, owner: Obj, finalizer: string): Promise<void> {
    const t = this.#reg.byBucket(bucket);
    const latest = this.#ops.store.get(bucket, this.#keyOf(bucket, owner).split('\0')[1]!);
    if (!t || !latest) return;
    const next = deepClone(latest);
    metaOf(next).finalizers = (peekMeta(latest).finalizers ?? []).filter((f) => f !== finalizer);
    if (!metaOf(next).finalizers!.length) delete metaOf(next).finalizers;
    await this.#ops.systemUpdate(t, next);
  }
}
