// Field ownership on every write, as kube-apiserver's FieldManager does it
// (k8s.io/apimachinery pkg/util/managedfields/internal: fieldmanager.go, skipnonapplied.go,
// capmanagers.go, buildmanagerinfo.go, managedfieldsupdater.go, stripmeta.go, structuredmerge.go,
// versioncheck.go; structured-merge-diff v4 merge/update.go Updater.Update/Apply/prune).
import type { Obj } from '../objects.js';
import { deepClone, deepEqual, isObj } from '../objects.js';
import { badRequest, unknownError } from '../status.js';
import { rfc3339 } from '../../../common/src/kube/time.js';
import { FieldSet } from './field-set.js';
import { applyConflictError, conflictsFromManagers, type Conflict } from './conflicts.js';
import { allowedConflicts, updateLastApplied } from './last-applied.js';
import {
  capUpdateManagers, decodeManagedFields, emptyManaged, encodeManagedFields, managerIdentifier,
  type Managed, type ManagerSet,
} from './managed-fields.js';
import {
  compare, ensureNamedFieldsAreMembers, merge, removeItems, toFieldSet, validateTyped, type Comparison,
} from './typed-value.js';
import type { TypeNode } from './type-node.js';

export interface FieldManagerScope {
  /** schema of the served version */
  type: TypeNode;
  group: string;
  version: string;
  kind: string;
  /** '' or the subresource written through ('status') */
  subresource: string;
  /** the strategy's reset fields (GetResetFields): never owned through this endpoint */
  resetFields: FieldSet;
  /** creater.New(kind) as JSON: what a create is compared with and an apply creates from */
  emptyObject: Obj;
}

/** stripMetaManager's set: fields the server owns, never a manager */
const STRIP = FieldSet.of(
  [{ f: 'apiVersion' }], [{ f: 'kind' }], [{ f: 'metadata' }],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion']
    .map((f) => [{ f: 'metadata' }, { f }]),
);
const CURRENT_OPERATION = 'current-operation';

const groupVersion = (s: FieldManagerScope) => (s.group ? `${s.group}/${s.version}` : s.version);
/** schema.GroupVersionKind.String() */
const gvkString = (group: string, version: string, kind: string) => `${group}/${version}, Kind=${kind}`;

/** managerOrUserAgent + prefixFromUserAgent (handlers/rest.go): the user agent up to its first "/" */
export function managerOrUserAgent(manager: string, userAgent: string | undefined): string {
  if (manager) return manager;
  let out = '';
  for (const ch of (userAgent ?? '').split('/')[0]!) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) continue;
    if (Buffer.byteLength(out + ch) > 128) break;
    out += ch;
  }
  return out;
}

function withoutManagedFields(o: Obj | undefined): Obj {
  if (!o) return {};
  const c = deepClone(o);
  if (isObj(c.metadata)) delete c.metadata.managedFields;
  return c;
}

function setManagedFields(o: Obj, managed: Managed): void {
  const enc = encodeManagedFields(managed);
  const m = (isObj(o.metadata) ? o.metadata : (o.metadata = {})) as Obj;
  if (enc) m.managedFields = enc;
  else delete m.managedFields;
}

/** FieldManager.UpdateNoErrors: records the changes a create, update or non-apply patch makes.
 *  live is undefined on create. Sets next.metadata.managedFields. */
export function recordUpdate(scope: FieldManagerScope, live: Obj | undefined, next: Obj, manager: string): void {
  const liveFields = live && isObj(live.metadata) ? live.metadata.managedFields : undefined;
  const nextFields = isObj(next.metadata) ? next.metadata.managedFields : undefined;
  let managed: Managed;
  try {
    managed = decodeLiveOrNew(liveFields, nextFields, scope.subresource !== '');
  } catch {
    managed = emptyManaged();
  }
  const fallback = () => {
    if (isObj(next.metadata)) {
      if (liveFields === undefined) delete next.metadata.managedFields;
      else next.metadata.managedFields = deepClone(liveFields);
    }
  };
  // skipNonAppliedManager (probability 1 on create): an existing object nobody tracks stays untracked
  if (managed.fields.size === 0 && live && isObj(live.metadata) && live.metadata.uid) {
    if (isObj(next.metadata)) delete next.metadata.managedFields;
    return;
  }
  const before = live ? withoutManagedFields(live) : deepClone(scope.emptyObject);
  const after = withoutManagedFields(next);
  let cmp: Comparison;
  try {
    cmp = compare(before, after, scope.type);
  } catch {
    fallback();
    return;
  }
  const filtered = filterComparison(cmp, scope.resetFields);
  dropChanged(managed, filtered, CURRENT_OPERATION, true);
  const set = filtered.modified.union(filtered.added).recursiveDifference(scope.resetFields).difference(STRIP);
  const id = managerIdentifier({ manager: manager || 'unknown', operation: 'Update', apiVersion: groupVersion(scope), subresource: scope.subresource });
  if (!set.empty()) {
    const previous = managed.fields.get(id);
    managed.fields.set(id, { set: previous ? set.union(previous.set) : set, apiVersion: groupVersion(scope), applied: false });
    managed.times.set(id, rfc3339(new Date()));
  }
  capUpdateManagers(managed);
  setManagedFields(next, managed);
}

/** decodeLiveOrNew: a subresource write or a request without managedFields keeps the live ones;
 *  `[]`/`[{}]` resets them. */
function decodeLiveOrNew(liveFields: unknown, nextFields: unknown, subresource: boolean): Managed {
  if (subresource) return decodeOrEmpty(liveFields);
  if (Array.isArray(nextFields) && (nextFields.length === 0 || (nextFields.length === 1 && isObj(nextFields[0]) && Object.keys(nextFields[0]).length === 0))) {
    return emptyManaged();
  }
  try {
    const m = decodeManagedFields(nextFields);
    if (m.fields.size > 0) return m;
  } catch {
    // fall back to the live object's, as the Go code does
  }
  return decodeOrEmpty(liveFields);
}

function decodeOrEmpty(v: unknown): Managed {
  try {
    return decodeManagedFields(v);
  } catch {
    return emptyManaged();
  }
}

function filterComparison(c: Comparison, reset: FieldSet): Comparison {
  return { added: c.added.recursiveDifference(reset), modified: c.modified.recursiveDifference(reset), removed: c.removed.recursiveDifference(reset) };
}

/** Updater.update: other managers lose fields changed or removed; unforced, a changed field another
 *  manager owns is a conflict. */
function dropChanged(managed: Managed, c: Comparison, workflow: string, force: boolean): void {
  const changed = c.modified.union(c.added);
  const conflicts = new Map<string, FieldSet>();
  for (const [id, vs] of managed.fields) {
    if (id === workflow) continue;
    const conflict = vs.set.intersection(changed);
    if (!conflict.empty()) conflicts.set(id, conflict);
  }
  if (!force && conflicts.size > 0) throw new ApplyConflicts(conflictsFromManagers(conflicts));
  for (const [id, vs] of [...managed.fields]) {
    if (id === workflow) continue;
    let set = vs.set;
    const conflict = conflicts.get(id);
    if (conflict) set = set.difference(conflict);
    if (!c.removed.empty()) set = set.difference(c.removed);
    if (set.empty()) {
      managed.fields.delete(id);
    } else {
      managed.fields.set(id, { ...vs, set });
    }
  }
}

/** merge.Conflicts, before it becomes the 409 */
class ApplyConflicts extends Error {
  readonly code = 'APPLY_CONFLICTS';
  constructor(readonly conflicts: Conflict[]) {
    super('apply conflicts');
  }
}

interface ApplyResult {
  obj: Obj;
  /** false: the object is the live one (only managedFields may differ) */
  changed: boolean;
}

/** FieldManager.Apply: merges the applied configuration into live (an empty object on create). */
export function applyConfiguration(scope: FieldManagerScope, live: Obj, config: Obj, manager: string, force: boolean): ApplyResult {
  let r: ApplyResult;
  try {
    r = applyOnce(scope, live, config, manager, force);
  } catch (e) {
    if (!(e instanceof ApplyConflicts)) throw e;
    // lastAppliedManager: "kubectl" may take over what its client-side apply last set
    const allowed = manager === 'kubectl' ? allowedConflicts(scope.type, groupVersion(scope), withoutManagedFields(live)) : undefined;
    if (!allowed) throw applyConflictError(e.conflicts);
    const remaining = e.conflicts.filter((c) => !allowed.has(c.path));
    if (remaining.length > 0) throw applyConflictError(remaining);
    r = applyOnce(scope, live, config, manager, true);
  }
  if (manager === 'kubectl') {
    updateLastApplied(r.obj, config);
    r.changed = !deepEqual(withoutManagedFields(live), withoutManagedFields(r.obj));
  }
  return r;
}

function applyOnce(scope: FieldManagerScope, live: Obj, config: Obj, manager: string, force: boolean): ApplyResult {
  // versionCheckManager
  const av = typeof config.apiVersion === 'string' ? config.apiVersion : '';
  const slash = av.indexOf('/');
  const [g, v] = slash >= 0 ? [av.slice(0, slash), av.slice(slash + 1)] : ['', av];
  const kind = typeof config.kind === 'string' ? config.kind : '';
  if (g !== scope.group || v !== scope.version || kind !== scope.kind) throw badRequest(`invalid object type: ${gvkString(g, v, kind)}`);
  let managed: Managed;
  try {
    managed = decodeManagedFields(isObj(live.metadata) ? live.metadata.managedFields : undefined);
  } catch (e) {
    throw unknownError(`failed to decode managed fields: ${(e as Error).message}`);
  }
  if (isObj(config.metadata) && config.metadata.managedFields !== undefined) throw badRequest('metadata.managedFields must be nil');
  const gvk = gvkString(scope.group, scope.version, scope.kind);
  const liveObj = withoutManagedFields(live);
  try {
    validateTyped(config, scope.type, false);
  } catch (e) {
    throw unknownError(`failed to create typed patch object (${gvk}): ${(e as Error).message}`);
  }
  try {
    validateTyped(liveObj, scope.type, true);
  } catch (e) {
    throw unknownError(`failed to create typed live object (${gvk}): ${(e as Error).message}`);
  }
  const id = managerIdentifier({ manager: manager || 'unknown', operation: 'Apply', subresource: scope.subresource });
  const version = groupVersion(scope);

  // merge.Updater.Apply
  let merged = (merge(liveObj, config, scope.type) ?? {}) as Obj;
  const lastSet = managed.fields.get(id);
  const set = toFieldSet(config, scope.type).recursiveDifference(scope.resetFields);
  managed.fields.set(id, { set, apiVersion: version, applied: true });
  merged = prune(scope.type, merged, managed, lastSet);
  const cmp = filterComparison(compare(liveObj, merged, scope.type), scope.resetFields);
  dropChanged(managed, cmp, id, force);
  const changed = !deepEqual(liveObj, merged);

  // stripMetaManager, managedFieldsUpdater
  const own = managed.fields.get(id);
  if (own) {
    const stripped = own.set.difference(STRIP);
    if (stripped.empty()) managed.fields.delete(id);
    else managed.fields.set(id, { ...own, set: stripped });
  }
  if (changed) managed.times.set(id, rfc3339(new Date()));
  capUpdateManagers(managed);
  const obj = changed ? merged : liveObj;
  setManagedFields(obj, managed);
  return { obj, changed };
}

/** Updater.prune: what the applier owned before and no longer applies is removed, unless another
 *  manager owns it (addBackOwnedItems, addBackDanglingItems). */
function prune(t: TypeNode, merged: Obj, managed: Managed, lastSet: ManagerSet | undefined): Obj {
  if (!lastSet || lastSet.set.empty()) return merged;
  const ens = (s: FieldSet) => ensureNamedFieldsAreMembers(s, t, merged);
  const last = ens(lastSet.set);
  const pruned1 = (removeItems(merged, last, t) ?? {}) as Obj;
  let owned = new FieldSet();
  for (const vs of managed.fields.values()) owned = owned.union(vs.set);
  const mergedSet = ens(toFieldSet(merged, t));
  const pruned2 = (removeItems(merged, mergedSet.difference(ens(toFieldSet(pruned1, t)).union(ens(owned))), t) ?? {}) as Obj;
  const toRemove = mergedSet.difference(ens(toFieldSet(pruned2, t))).intersection(last);
  return (removeItems(merged, toRemove, t) ?? {}) as Obj;
}
