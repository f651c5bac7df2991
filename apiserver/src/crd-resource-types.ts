// The CustomResourceDefinition kind itself and the resource types its established versions serve
// (apiextensions-apiserver: registry/customresourcedefinition, registry/customresource).
import {
  coerceObjectMeta, compileCrdVersion, defaultCustomResourceDefinition, finalizerWarnings, validateCustomResourceDefinition, validateObjectMeta,
  validateObjectMetaUpdate, type CompiledVersion, type CustomResourceDefinition,
} from './schema/index.js';
import type { Obj } from './objects.js';
import type { ResourceType } from './resource-type.js';
import { BUILTIN_PATCH_TYPES, CR_PATCH_TYPES, dedupe, metadataFieldValue } from './resource-type.js';
import { deepClone, deepEqual, isObj, metaOf, peekMeta, without } from './objects.js';
import { rfc3339 } from '../../common/src/kube/time.js';
import { ageColumn, dateCell, defaultTable, nameColumn } from './table.js';

export const CRD_GROUP = 'apiextensions.k8s.io';
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

export function crdSpec(crd: Obj): CustomResourceDefinition['spec'] {
  return crd.spec as CustomResourceDefinition['spec'];
}

export function crdCondition(crd: Obj, type: string): Obj | undefined {
  const conds = (isObj(crd.status) && Array.isArray(crd.status.conditions) ? crd.status.conditions : []) as Obj[];
  return conds.find((c) => c.type === type);
}

export function crdConditionTrue(crd: Obj, type: string): boolean {
  return crdCondition(crd, type)?.status === 'True';
}

function storageVersionName(crd: Obj): string | undefined {
  const versions = (isObj(crd.spec) && Array.isArray(crd.spec.versions) ? crd.spec.versions : []) as Obj[];
  return versions.find((v) => v.storage === true)?.name as string | undefined;
}

export function crdResourceType(): ResourceType {
  const gr = { group: CRD_GROUP, resource: 'customresourcedefinitions' };
  const meta = (o: Obj, old?: Obj) => old
    ? dedupe([...validateObjectMetaUpdate(o.metadata, old.metadata), ...validateObjectMeta(o.metadata, { namespaced: false })])
    : validateObjectMeta(o.metadata, { namespaced: false });
  return {
    group: CRD_GROUP, version: 'v1', resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition',
    listKind: 'CustomResourceDefinitionList', singular: 'customresourcedefinition', namespaced: false,
    shortNames: ['crd', 'crds'], categories: ['api-extensions'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [{
      name: 'status', verbs: ['get', 'patch', 'update'],
      prepareForUpdate: statusOnly,
      validateUpdate: (o, old) => ({ errors: meta(o, old), warnings: [] }),
    }],
    bucket: `${CRD_GROUP}/customresourcedefinitions`, gr, custom: false,
    // A typed kind, so strategic merge patch is accepted; CRD types declare no patch merge keys,
    // which makes it a JSON merge patch (patch.ts applies it as one).
    patchTypes: BUILTIN_PATCH_TYPES,
    allowUnconditionalUpdate: false, createOnUpdate: false, listItemsTyped: false,
    decode: (o) => { defaultCustomResourceDefinition(o); return []; },
    readView: (o) => o,
    toStorage: (o) => o,
    prepareForCreate: (o) => {
      const sv = storageVersionName(o);
      o.status = { acceptedNames: { plural: '', kind: '' }, conditions: [], storedVersions: sv ? [sv] : [] };
      metaOf(o).generation = 1;
    },
    prepareForUpdate: (o, old) => {
      o.status = deepClone(old.status);
      if (!deepEqual(o.spec, old.spec)) metaOf(o).generation = (peekMeta(old).generation ?? 0) + 1;
      const sv = storageVersionName(o);
      const st = o.status as Obj | undefined;
      if (sv && isObj(st)) {
        const stored = (Array.isArray(st.storedVersions) ? st.storedVersions : []) as string[];
        if (!stored.includes(sv)) st.storedVersions = [...stored, sv];
      }
    },
    validate: (o, old) => ({ errors: [...meta(o, old), ...validateCustomResourceDefinition(o, old)], warnings: [] }),
    canonicalize: () => {},
    fieldValue: (o, f) => metadataFieldValue(false, o, f),
    columns: defaultTable.columns,
    cells: defaultTable.cells,
  };
}

/** statusStrategy.PrepareForUpdate: the stored object with only status taken from the request. */
function statusOnly(o: Obj, old: Obj): void {
  const status = o.status;
  const hasStatus = Object.prototype.hasOwnProperty.call(o, 'status');
  for (const k of Object.keys(o)) delete o[k];
  Object.assign(o, deepClone(old));
  if (hasStatus) o.status = status;
  else delete o.status;
}

/** The resource type for one served version of an established CRD. */
export function customResourceType(crd: Obj, versionName: string): ResourceType {
  const spec = crdSpec(crd);
  const v = spec.versions.find((x) => x.name === versionName)!;
  const compiled: CompiledVersion = compileCrdVersion(crd as unknown as CustomResourceDefinition, versionName);
  const namespaced = spec.scope === 'Namespaced';
  const hasStatus = !!v.subresources?.status;
  const selectable = new Set(compiled.selectableFieldNames());
  const printer = compiled.printerColumns();
  const dateCols = printer.map((c) => c.type === 'date');
  const columns = printer.length > 0 ? [nameColumn, ...printer] : [nameColumn, ageColumn];
  const defaulted = new WeakMap<Obj, Obj>();
  const kind = spec.names.kind;
  const meta = (o: Obj, old?: Obj) => old
    ? dedupe([...validateObjectMetaUpdate(o.metadata, old.metadata), ...validateObjectMeta(o.metadata, { namespaced, nameRule: 'dns1123subdomain' })])
    : validateObjectMeta(o.metadata, { namespaced, nameRule: 'dns1123subdomain' });
  const finalizers = (o?: Obj) => (o ? peekMeta(o).finalizers ?? [] : []);
  const validate = (o: Obj, old: Obj | undefined, subresource?: 'status') => {
    const metaErrs = meta(o, old);
    const r = compiled.validate(o, old, { subresource, priorErrors: metaErrs });
    return { errors: [...metaErrs, ...r.errors], warnings: [...finalizerWarnings(finalizers(o), old ? finalizers(old) : []), ...r.warnings] };
  };

  return {
    group: spec.group, version: versionName, resource: spec.names.plural, kind,
    listKind: spec.names.listKind ?? `${kind}List`, singular: spec.names.singular ?? kind.toLowerCase(),
    namespaced, shortNames: spec.names.shortNames ?? [], categories: spec.names.categories ?? [],
    verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
    subresources: hasStatus ? [{
      name: 'status', verbs: ['get', 'patch', 'update'],
      prepareForUpdate: statusOnly,
      validateUpdate: (o, old) => validate(o, old, 'status'),
    }] : [],
    bucket: `${spec.group}/${spec.names.plural}`, gr: { group: spec.group, resource: spec.names.plural },
    custom: true, structuralSchema: compiled.schema, patchTypes: CR_PATCH_TYPES, allowUnconditionalUpdate: false, createOnUpdate: false,
    listItemsTyped: true,
    decode: (o) => {
      const unknown = compiled.prune(o);
      unknown.push(...coerceRootMeta(o));
      compiled.dropNulls(o);
      compiled.applyDefaults(o);
      return unknown;
    },
    readView: (o) => {
      let view = defaulted.get(o);
      if (!view) {
        const copy = deepClone(o);
        compiled.applyDefaults(copy);
        view = deepEqual(copy, o) ? o : copy;
        defaulted.set(o, view);
      }
      return view;
    },
    toStorage: (o) => o,
    prepareForCreate: (o) => {
      if (hasStatus) delete o.status;
      metaOf(o).generation = 1;
    },
    prepareForUpdate: (o, old) => {
      if (hasStatus) {
        if (Object.prototype.hasOwnProperty.call(old, 'status')) o.status = old.status;
        else delete o.status;
      }
      if (!deepEqual(without(o, 'metadata'), without(old, 'metadata'))) metaOf(o).generation = (peekMeta(old).generation ?? 0) + 1;
    },
    validate: (o, old) => validate(o, old),
    canonicalize: () => {},
    fieldValue: (o, f) => {
      const m = metadataFieldValue(namespaced, o, f);
      if (m !== undefined) return m;
      if (selectable.has(f)) return compiled.selectableFieldValue(o, f);
      return undefined;
    },
    columns,
    cells: (o) => {
      if (printer.length === 0) return [peekMeta(o).name ?? '', dateCell(peekMeta(o).creationTimestamp)];
      const raw = compiled.printerCells(o);
      return [peekMeta(o).name ?? '', ...raw.map((c, i) => (dateCols[i] ? dateCell(c) : c))];
    },
  };
}

interface Condition { type: string; status: string; lastTransitionTime: string; reason: string; message: string }

export function setCondition(status: Obj, c: Omit<Condition, 'lastTransitionTime'>): void {
  const conds = (Array.isArray(status.conditions) ? status.conditions : []) as Condition[];
  const i = conds.findIndex((x) => x.type === c.type);
  const old = i >= 0 ? conds[i] : undefined;
  const next: Condition = { ...c, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : rfc3339(new Date()) };
  if (i >= 0) conds[i] = next;
  else conds.push(next);
  status.conditions = conds;
}

/** CRD REST Delete: the first delete only marks the CRD Terminating and adds the cleanup finalizer. */
export function markCrdTerminating(crd: Obj): Obj {
  const next = deepClone(crd);
  const m = metaOf(next);
  m.deletionTimestamp ??= rfc3339(new Date());
  if (!(m.finalizers ?? []).includes(CRD_CLEANUP_FINALIZER)) m.finalizers = [...(m.finalizers ?? []), CRD_CLEANUP_FINALIZER];
  const status = (isObj(next.status) ? next.status : (next.status = {})) as Obj;
  setCondition(status, { type: 'Terminating', status: 'True', reason: 'InstanceDeletionPending', message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon' });
  return next;
}

/**
 * unstructuredSchemaCoercer.apply (customresource_handler.go): the root metadata goes through
 * metav1.ObjectMeta (GetObjectMetaWithOptions, SetObjectMeta), so unknown fields and empty maps and
 * lists (`annotations: {}`, `finalizers: []`) are dropped. Returns the unknown field paths.
 * Throws MetadataDecodeError for a value of the wrong JSON type.
 */
function coerceRootMeta(o: Obj): string[] {
  if (!Object.prototype.hasOwnProperty.call(o, 'metadata')) return [];
  const r = coerceObjectMeta(o.metadata);
  if (r.meta === undefined) delete o.metadata;
  else o.metadata = r.meta;
  return r.unknownFields;
}
