// Create, update and delete of stored objects with the generic registry's rules
// (k8s.io/apiserver registry/generic/registry/store.go, registry/rest): system fields, generateName
// with retries, optimistic concurrency, no-op updates, finalizers and graceful deletion, the
// namespace lifecycle admission. Used by the HTTP handlers and by the in-process controllers.
import type { FieldError } from './schema/index.js';
import type { Obj } from './objects.js';
import type { ResourceType } from './resource-type.js';
import { apiVersionOf } from './resource-type.js';
import type { DurableStore } from './store/durable-store.js';
import {
  alreadyExists, badRequest, conflict, forbidden, fromStatus, generateNameConflict, notFound,
  optimisticLockErrorMsg, unknownError, type ApiError,
} from './status.js';
import { deepClone, deepEqual, generateName, metaOf, newUid, objectKey, peekMeta, type ObjectMeta } from './objects.js';
import { rfc3339 } from '../../common/src/kube/time.js';
import { CRD_GROUP, markCrdTerminating } from './crd-resource-types.js';
import { invalidStatus } from './schema/index.js';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';
const NAMESPACE_FINALIZER = 'kubernetes';
export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];
const NAMESPACES_BUCKET = 'core/namespaces';

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  orphanDependents?: boolean;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** one write as validating admission sees it */
export interface AdmittedWrite {
  t: ResourceType;
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  namespace: string;
  name: string;
  subresource: string;
  object?: Obj;
  oldObject?: Obj;
  dryRun: boolean;
}

interface DeleteResult {
  /** the object (still present, being deleted, or as deleted) */
  obj: Obj;
  /** removed from storage by this call */
  deleted: boolean;
}

export class ObjectOps {
  readonly store: DurableStore;
  /** admission after validation (the RBAC storage's escalation check); throws to refuse */
  admit?: (t: ResourceType, obj: Obj) => void;
  /** validating admission (the createValidation/updateValidation/deleteValidation the generic store
   *  calls after the strategy's validation); throws to refuse */
  validatingAdmission?: (w: AdmittedWrite) => void;
  constructor(store: DurableStore) {
    this.store = store;
  }

  key(t: ResourceType, ns: string | undefined, name: string): string {
    return objectKey(t.namespaced ? ns : undefined, name);
  }

  get(t: ResourceType, ns: string | undefined, name: string): Obj | undefined {
    return this.store.get(t.bucket, this.key(t, ns, name));
  }

  invalid(group: string, kind: string, name: string, errs: FieldError[]): ApiError {
    return fromStatus(invalidStatus(group, kind, name, errs));
  }

  namespace(name: string): Obj | undefined {
    return this.store.getForWrite(NAMESPACES_BUCKET, name);
  }

  /** NamespaceLifecycle admission for create and update of namespaced objects. */
  admitNamespace(t: ResourceType, ns: string, op: 'create' | 'update', name: string): void {
    if (!t.namespaced || t.review) return;
    const n = this.namespace(ns);
    if (!n) throw notFound({ group: '', resource: 'namespaces' }, ns);
    const phase = (n.status as Obj | undefined)?.phase;
    if (op === 'create' && phase === 'Terminating') {
      const e = forbidden(t.gr, name, `unable to create new content in namespace ${ns} because it is being terminated`);
      e.status.details = { ...e.status.details, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }] };
      throw e;
    }
  }

  /** Store.Create with RetryGenerateName: obj is decoded, system fields wiped, namespace matched. */
  async create(t: ResourceType, ns: string | undefined, input: Obj, opts: { dryRun: boolean }): Promise<{ obj: Obj; warnings: string[] }> {
    const generating = !!peekMeta(input).generateName && !peekMeta(input).name;
    const attempts = generating ? 8 : 1;
    let last: ApiError | undefined;
    for (let i = 0; i < attempts; i++) {
      const obj = deepClone(input);
      const m = metaOf(obj);
      m.creationTimestamp = rfc3339(new Date());
      m.uid = newUid();
      if (generating) m.name = generateName(m.generateName!);
      const warnings = this.beforeCreate(t, ns, obj, opts.dryRun);
      const key = this.key(t, ns, m.name!);
      const existing = this.store.getForWrite(t.bucket, key);
      if (m.resourceVersion) throw unknownError('resourceVersion should not be set on objects to be created');
      if (existing) {
        if (generating) {
          last = generateNameConflict(t.gr, m.name!, 1);
          continue;
        }
        const e = alreadyExists(t.gr, m.name!);
        if (peekMeta(existing).deletionTimestamp) e.status.message = `object is being deleted: ${e.status.message}`;
        throw e;
      }
      if (opts.dryRun) return { obj, warnings };
      return { obj: t.readView(await this.#write(t, key, obj)), warnings };
    }
    throw last!;
  }

  /** rest.BeforeCreate: namespace, PrepareForCreate, Validate (422). */
  beforeCreate(t: ResourceType, ns: string | undefined, obj: Obj, dryRun = false): string[] {
    const m = metaOf(obj);
    setNamespace(t, m, ns);
    obj.apiVersion = obj.apiVersion ?? apiVersionOf(t);
    obj.kind = obj.kind ?? t.kind;
    t.prepareForCreate(obj);
    const { errors, warnings } = t.validate(obj);
    if (errors.length) throw this.invalid(t.group, t.kind, m.name ?? '', errors);
    this.admit?.(t, obj);
    this.validatingAdmission?.({ t, operation: 'CREATE', namespace: m.namespace ?? '', name: m.name ?? '', subresource: '', object: obj, dryRun });
    t.canonicalize(obj);
    return warnings;
  }

  /** Stores obj (converted to its storage form) and returns what was stored. */
  async #write(t: ResourceType, key: string, obj: Obj): Promise<Obj> {
    const stored = t.toStorage(obj);
    await this.store.write(t.bucket, key, stored);
    return stored;
  }

  /**
   * Store.Update: obj is the decoded new state (PUT body, patched object, or status update).
   * subresource 'status' keeps everything but status from storage.
   */
  async update(t: ResourceType, ns: string | undefined, name: string, input: Obj, opts: {
    dryRun: boolean; subresource?: string; forceAllowCreate?: boolean;
    /** the field manager: sets obj's managedFields from the live object (undefined on create) */
    trackFields?: (live: Obj | undefined, obj: Obj) => void;
  }): Promise<{ obj: Obj; created: boolean; warnings: string[] }> {
    const key = this.key(t, ns, name);
    const stored = this.store.getForWrite(t.bucket, key);
    const existing = stored ? t.readView(stored) : undefined;
    const obj = deepClone(input);
    opts.trackFields?.(existing, obj);
    const m = metaOf(obj);
    if (!opts.trackFields && existing) {
      // a controller's write keeps what the managers own
      const mf = peekMeta(existing).managedFields;
      if (mf === undefined) delete m.managedFields;
      else m.managedFields = mf;
    }
    if (!existing) {
      if (!t.createOnUpdate && !opts.forceAllowCreate) throw notFound(t.gr, name);
      if (m.uid) throw conflict(t.gr, name, `Precondition failed: UID in precondition: ${m.uid}, UID in object meta: `);
      m.creationTimestamp = rfc3339(new Date());
      m.uid = newUid();
      delete m.resourceVersion;
      const warnings = this.beforeCreate(t, ns, obj, opts.dryRun);
      if (opts.dryRun) return { obj, created: true, warnings };
      return { obj: t.readView(await this.#write(t, key, obj)), created: true, warnings };
    }
    const old = existing;
    const oldMeta = peekMeta(old);
    if (m.uid && m.uid !== oldMeta.uid) {
      throw conflict(t.gr, name, `Precondition failed: UID in precondition: ${m.uid}, UID in object meta: ${oldMeta.uid}`);
    }
    const newRv = m.resourceVersion ?? '';
    if (newRv === '' || newRv === '0') {
      if (!t.allowUnconditionalUpdate) {
        throw this.invalid(t.group, t.resource, name, [{ type: 'FieldValueInvalid', field: 'metadata.resourceVersion', badValue: 0, detail: 'must be specified for an update' }]);
      }
      m.resourceVersion = oldMeta.resourceVersion;
    } else if (newRv !== oldMeta.resourceVersion) {
      throw conflict(t.gr, name, optimisticLockErrorMsg);
    }
    const warnings = this.beforeUpdate(t, ns, obj, old, opts.subresource, opts.dryRun);
    const specFinalizers = t.bucket === NAMESPACES_BUCKET ? ((obj.spec as Obj | undefined)?.finalizers as unknown[] | undefined) ?? [] : [];
    if (!peekMeta(obj).finalizers?.length && oldMeta.deletionTimestamp && !oldMeta.deletionGracePeriodSeconds && specFinalizers.length === 0) {
      // The update that empties the finalizers of an object being deleted deletes it.
      if (!opts.dryRun) await this.store.write(t.bucket, key, null);
      return { obj, created: false, warnings };
    }
    if (deepEqual(withoutRv(obj), withoutRv(old))) return { obj: old, created: false, warnings };
    if (opts.dryRun) return { obj, created: false, warnings };
    return { obj: t.readView(await this.#write(t, key, obj)), created: false, warnings };
  }

  /** rest.BeforeUpdate: system fields kept from storage, the strategy (or subresource strategy), validation. */
  beforeUpdate(t: ResourceType, ns: string | undefined, obj: Obj, old: Obj, subresource?: string, dryRun = false): string[] {
    const m = metaOf(obj);
    const om = peekMeta(old);
    setNamespace(t, m, ns);
    obj.apiVersion = obj.apiVersion ?? old.apiVersion;
    obj.kind = obj.kind ?? old.kind;
    // the status strategy copies the stored object but keeps the managedFields just computed
    const managedFields = m.managedFields;
    if (om.generation !== undefined) m.generation = om.generation;
    else delete m.generation;
    const sub = subresource ? t.subresources.find((s) => s.name === subresource) : undefined;
    if (sub) sub.prepareForUpdate(obj, old);
    else t.prepareForUpdate(obj, old);
    const nm = metaOf(obj);
    if (managedFields === undefined) delete nm.managedFields;
    else nm.managedFields = managedFields;
    if (!nm.uid) nm.uid = om.uid;
    if (om.creationTimestamp) nm.creationTimestamp = om.creationTimestamp;
    if (om.deletionTimestamp && nm.deletionTimestamp !== om.deletionTimestamp) nm.deletionTimestamp = om.deletionTimestamp;
    if (om.deletionGracePeriodSeconds !== undefined && om.deletionGracePeriodSeconds !== null && (nm.deletionGracePeriodSeconds === undefined || nm.deletionGracePeriodSeconds === null)) {
      nm.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
    }
    const v = sub ? sub.validateUpdate(obj, old) : t.validate(obj, old);
    if (v.errors.length) throw this.invalid(t.group, t.kind, nm.name ?? '', v.errors);
    this.admit?.(t, obj);
    this.validatingAdmission?.({
      t, operation: 'UPDATE', namespace: nm.namespace ?? '', name: nm.name ?? '', subresource: subresource ?? '', object: obj, oldObject: old, dryRun,
    });
    t.canonicalize(obj);
    return v.warnings;
  }

  /** Store.Delete with graceful deletion, GC finalizers and the namespace special case. */
  async delete(t: ResourceType, ns: string | undefined, name: string, opts: DeleteOptions): Promise<DeleteResult> {
    const key = this.key(t, ns, name);
    const stored = this.store.getForWrite(t.bucket, key);
    if (!stored) throw notFound(t.gr, name);
    const existing = t.readView(stored);
    const em = peekMeta(existing);
    const pre = opts.preconditions;
    const gk = { group: t.group, resource: t.kind };
    if (pre?.uid !== undefined && pre.uid !== em.uid) {
      throw conflict(gk, name, `the UID in the precondition (${pre.uid}) does not match the UID in record (${em.uid}). The object might have been deleted and then recreated`);
    }
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== em.resourceVersion) {
      throw conflict(gk, name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${em.resourceVersion}). The object might have been modified`);
    }
    this.validatingAdmission?.({ t, operation: 'DELETE', namespace: em.namespace ?? '', name, subresource: '', oldObject: existing, dryRun: !!opts.dryRun });
    if (t.bucket === NAMESPACES_BUCKET) return this.#deleteNamespace(t, name, existing, opts);
    if (t.group === CRD_GROUP && !em.deletionTimestamp) {
      const obj = markCrdTerminating(existing);
      if (!opts.dryRun) await this.#write(t, key, obj);
      return { obj, deleted: false };
    }
    const finalizers = gcFinalizers(em.finalizers ?? [], opts);
    if (finalizers.length > 0) {
      const obj = deepClone(existing);
      const m = metaOf(obj);
      m.finalizers = finalizers;
      if (!m.deletionTimestamp && (m.generation ?? 0) > 0) m.generation = m.generation! + 1;
      m.deletionTimestamp ??= rfc3339(new Date());
      m.deletionGracePeriodSeconds = 0;
      const unchanged = deepEqual(obj, existing);
      if (unchanged || opts.dryRun) return { obj: unchanged ? existing : obj, deleted: false };
      return { obj: t.readView(await this.#write(t, key, obj)), deleted: false };
    }
    if (!opts.dryRun) await this.store.write(t.bucket, key, null);
    return { obj: existing, deleted: true };
  }

  async #deleteNamespace(t: ResourceType, name: string, existing: Obj, opts: DeleteOptions): Promise<DeleteResult> {
    const em = peekMeta(existing);
    const specFinalizers = ((existing.spec as Obj | undefined)?.finalizers ?? []) as string[];
    if (em.deletionTimestamp) {
      if (specFinalizers.length > 0) {
        throw conflict(t.gr, name, 'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.');
      }
    }
    const finalizers = gcFinalizers(em.finalizers ?? [], opts);
    if (specFinalizers.length === 0 && finalizers.length === 0) {
      if (!opts.dryRun) await this.store.write(t.bucket, name, null);
      return { obj: existing, deleted: true };
    }
    const obj = deepClone(existing);
    const m = metaOf(obj);
    m.deletionTimestamp ??= rfc3339(new Date());
    m.finalizers = finalizers.length ? finalizers : undefined;
    if (!m.finalizers) delete m.finalizers;
    obj.status = { ...((obj.status as Obj | undefined) ?? {}), phase: 'Terminating' };
    if (!opts.dryRun) await this.store.write(t.bucket, name, obj);
    return { obj, deleted: false };
  }

  /**
   * The namespace finalize subresource as the namespace controller uses it: drops the "kubernetes"
   * finalizer; with no finalizers left the namespace is deleted by that same update.
   */
  async finalizeNamespace(ns: Obj): Promise<void> {
    const next = deepClone(ns);
    const spec = (next.spec ?? (next.spec = {})) as Obj;
    spec.finalizers = ((spec.finalizers ?? []) as string[]).filter((f) => f !== NAMESPACE_FINALIZER);
    const name = peekMeta(next).name!;
    if ((spec.finalizers as string[]).length === 0 && !peekMeta(next).finalizers?.length && peekMeta(next).deletionTimestamp) {
      await this.store.write(NAMESPACES_BUCKET, name, null);
    } else if (!deepEqual(next, ns)) {
      await this.store.write(NAMESPACES_BUCKET, name, next);
    }
  }

  /** A controller's update of an object it read from storage (no optimistic concurrency needed). */
  async systemUpdate(t: ResourceType, obj: Obj, subresource?: string): Promise<Obj> {
    const m = peekMeta(obj);
    const r = await this.update(t, m.namespace, m.name!, obj, { dryRun: false, subresource });
    return r.obj;
  }
}

/** rest.BeforeCreate/BeforeUpdate: a namespaced object takes the request's namespace (a different
 *  one in the body is refused), a cluster-scoped one has none. */
function setNamespace(t: ResourceType, m: ObjectMeta, ns: string | undefined): void {
  if (t.namespaced) {
    if (m.namespace && m.namespace !== ns) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    m.namespace = ns;
  } else {
    delete m.namespace;
  }
}

function withoutRv(o: Obj): Obj {
  const m = { ...(o.metadata as Obj) };
  delete m.resourceVersion;
  return { ...o, metadata: m };
}

/** deletionFinalizersForGarbageCollection */
function gcFinalizers(current: string[], opts: DeleteOptions): string[] {
  let orphan = false;
  let foreground = false;
  if (opts.orphanDependents !== undefined) orphan = opts.orphanDependents;
  else if (opts.propagationPolicy) {
    orphan = opts.propagationPolicy === 'Orphan';
    foreground = opts.propagationPolicy === 'Foreground';
  } else {
    for (const f of current) {
      if (f === FINALIZER_ORPHAN) { orphan = true; break; }
      if (f === FINALIZER_FOREGROUND) { foreground = true; break; }
    }
  }
  const out = current.filter((f) => f !== FINALIZER_ORPHAN && f !== FINALIZER_FOREGROUND);
  if (orphan) out.push(FINALIZER_ORPHAN);
  if (foreground) out.push(FINALIZER_FOREGROUND);
  const same = out.length === current.length && out.every((f) => current.includes(f));
  return same ? current : out;
}

