// metadata.managedFields <-> the managers' field sets (k8s.io/apimachinery
// pkg/util/managedfields/internal/managedfields.go, capmanagers.go). A manager is identified by
// the JSON of its entry without fields and time, and without apiVersion for appliers
// (BuildManagerIdentifier), so an applier keeps one entry across versions.
import { FieldSet } from './field-set.js';

export type Operation = 'Apply' | 'Update';

export interface ManagerSet {
  set: FieldSet;
  apiVersion: string;
  applied: boolean;
}

export interface Managed {
  fields: Map<string, ManagerSet>;
  times: Map<string, string | undefined>;
}

interface ManagerInfo {
  manager: string;
  operation: Operation;
  apiVersion?: string;
  subresource?: string;
}

class ManagedFieldsError extends Error {
  readonly code = 'MANAGED_FIELDS_INVALID';
}

export function emptyManaged(): Managed {
  return { fields: new Map(), times: new Map() };
}

/** BuildManagerIdentifier: Go's json.Marshal of the entry (omitempty, struct field order). */
export function managerIdentifier(m: ManagerInfo): string {
  const o: Record<string, string> = {};
  if (m.manager) o.manager = m.manager;
  if (m.operation) o.operation = m.operation;
  if (m.operation !== 'Apply' && m.apiVersion) o.apiVersion = m.apiVersion;
  if (m.subresource) o.subresource = m.subresource;
  return JSON.stringify(o);
}

export function parseIdentifier(id: string): ManagerInfo {
  return JSON.parse(id) as ManagerInfo;
}

/** DecodeManagedFields */
export function decodeManagedFields(entries: unknown): Managed {
  const managed = emptyManaged();
  if (entries === undefined || entries === null) return managed;
  if (!Array.isArray(entries)) throw new ManagedFieldsError('managedFields must be a list');
  entries.forEach((e: Record<string, unknown>, i) => {
    if (e === null || typeof e !== 'object') throw new ManagedFieldsError(`invalid managed fields entry ${i}`);
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new ManagedFieldsError('operation must be `Apply` or `Update`');
    if (typeof e.apiVersion !== 'string' || e.apiVersion.length < 1) throw new ManagedFieldsError('apiVersion must not be empty');
    if (!e.fieldsType) throw new ManagedFieldsError(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new ManagedFieldsError(`invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`);
    const id = managerIdentifier({
      manager: String(e.manager ?? ''), operation: e.operation, apiVersion: e.apiVersion,
      subresource: typeof e.subresource === 'string' ? e.subresource : undefined,
    });
    let set: FieldSet;
    try {
      set = e.fieldsV1 === undefined || e.fieldsV1 === null ? new FieldSet() : FieldSet.fromFieldsV1(e.fieldsV1);
    } catch (err) {
      throw new ManagedFieldsError(`error decoding versioned set: error decoding set: ${(err as Error).message}`);
    }
    managed.fields.set(id, { set, apiVersion: e.apiVersion, applied: e.operation === 'Apply' });
    managed.times.set(id, typeof e.time === 'string' ? e.time : undefined);
  });
  return managed;
}

const seconds = (t: string | undefined): number => (t ? Math.floor(Date.parse(t) / 1000) : 0);

/** encodeManagedFields + sortEncodedManagedFields; undefined when no manager is left */
export function encodeManagedFields(managed: Managed): Record<string, unknown>[] | undefined {
  if (managed.fields.size === 0) return undefined;
  const out: Record<string, unknown>[] = [];
  for (const [id, vs] of managed.fields) {
    const info = parseIdentifier(id);
    const e: Record<string, unknown> = {};
    if (info.manager) e.manager = info.manager;
    e.operation = vs.applied ? 'Apply' : info.operation;
    e.apiVersion = vs.apiVersion;
    const time = managed.times.get(id);
    if (time) e.time = time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = vs.set.toFieldsV1();
    if (info.subresource) e.subresource = info.subresource;
    out.push(e);
  }
  const str = (v: unknown) => String(v ?? '');
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((p, q) => cmp(str(p.operation), str(q.operation))
    || seconds(p.time as string | undefined) - seconds(q.time as string | undefined)
    || cmp(str(p.manager), str(q.manager))
    || cmp(str(p.apiVersion), str(q.apiVersion))
    || cmp(str(p.subresource), str(q.subresource)));
}

const DEFAULT_MAX_UPDATE_MANAGERS = 10;
const OLD_UPDATES_MANAGER = 'ancient-changes';

/** capManagersManager.capUpdateManagers: the oldest Update managers beyond the cap are merged,
 *  per apiVersion, into one "ancient-changes" manager. */
export function capUpdateManagers(managed: Managed, max = DEFAULT_MAX_UPDATE_MANAGERS): void {
  const updaters = [...managed.fields].filter(([, vs]) => !vs.applied).map(([id]) => id);
  if (updaters.length <= max) return;
  updaters.sort((a, b) => seconds(managed.times.get(a)) - seconds(managed.times.get(b)) || (a < b ? -1 : a > b ? 1 : 0));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const id = updaters[i]!;
    const vs = managed.fields.get(id)!;
    const time = managed.times.get(id);
    const bucket = managerIdentifier({ manager: OLD_UPDATES_MANAGER, operation: 'Update', apiVersion: vs.apiVersion });
    const first = firstOfVersion.get(vs.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(vs.apiVersion, id);
      continue;
    }
    if (!managed.fields.has(bucket)) {
      const s = managed.fields.get(first)!;
      managed.fields.delete(first);
      managed.fields.set(bucket, s);
    }
    managed.fields.set(bucket, { set: vs.set.union(managed.fields.get(bucket)!.set), apiVersion: vs.apiVersion, applied: vs.applied });
    managed.fields.delete(id);
    length--;
    managed.times.set(bucket, time);
  }
}
