// core/v1 Namespace: pkg/registry/core/namespace/strategy.go, SetDefaults_Namespace(Status) in
// pkg/apis/core/v1/defaults.go, ValidateNamespace* in pkg/apis/core/validation.
//
// What is modelled: the main resource never changes spec.finalizers or status on update (only
// /status and /finalize do); create forces status {phase: Active} and adds the "kubernetes"
// finalizer; the kubernetes.io/metadata.name label always equals the name. Deleting (Terminating,
// the namespace controller emptying it, removing the finalizer through /finalize) is the core's.
import { indexPath, invalid, type FieldError } from './field-error.js';
import { NAMESPACE } from './go-schema/core.js';
import { child, defineKind } from './kind-base.js';
import { metaOf } from '../objects.js';
import { isQualifiedName } from './name-rules.js';
import { ageColumn, column, metadataOf, nameColumn, record, str, timestampSince } from './printing.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../schema/index.js';
import type { KubeObject } from './types.js';

export const METADATA_NAME_LABEL = 'kubernetes.io/metadata.name';
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** SetDefaults_Namespace and the strategy's Canonicalize: the name label follows the name */
function setNameLabel(obj: KubeObject): void {
  const meta = metaOf(obj);
  const name = str(meta['name']);
  if (name === '') return;
  meta['labels'] = { ...record(meta['labels']), [METADATA_NAME_LABEL]: name };
}

function finalizersOf(obj: KubeObject): unknown[] {
  const list = record(obj['spec'])['finalizers'];
  return Array.isArray(list) ? list : [];
}

/** validateFinalizerName: a qualified name, and a bare name must be a standard one */
function validateFinalizerName(value: string, path: string): FieldError[] {
  const errs = isQualifiedName(value).map((msg) => invalid(path, value, msg));
  if (value.split('/').length === 1 && !STANDARD_FINALIZERS.has(value)) {
    errs.push(invalid(path, value, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}

/** ValidateNamespace: ObjectMeta (DNS-1123 label names) and spec.finalizers (no index in the path) */
function validateNamespace(obj: KubeObject): FieldError[] {
  const errs = validateObjectMeta(metadataOf(obj), { namespaced: false, nameRule: 'dns1123label' });
  for (const f of finalizersOf(obj)) errs.push(...validateFinalizerName(str(f), 'spec.finalizers'));
  return errs;
}

function validateStatusUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateObjectMetaUpdate(metadataOf(obj), metadataOf(old));
  const phase = str(record(obj['status'])['phase']);
  const deleting = metadataOf(obj)['deletionTimestamp'];
  if (deleting === undefined || deleting === null) {
    if (phase !== 'Active') errs.push(invalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty"));
  } else if (phase !== 'Terminating') {
    errs.push(invalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty"));
  }
  return errs;
}

function validateFinalizeUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateObjectMetaUpdate(metadataOf(obj), metadataOf(old));
  finalizersOf(obj).forEach((f, i) => errs.push(...validateFinalizerName(str(f), indexPath('spec.finalizers', i))));
  return errs;
}

export const namespaceKind = defineKind({
  group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace',
  namespaced: false, shortNames: ['ns'], categories: [],
  // the namespace REST has no DeleteCollection
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  goType: NAMESPACE,
  subresources: [
    {
      name: 'finalize', kind: 'Namespace', verbs: ['update'],
      prepareForUpdate(obj, old) {
        setNameLabel(obj);
        if (old['status'] === undefined) delete obj['status'];
        else obj['status'] = structuredClone(old['status']);
      },
      validateUpdate: validateFinalizeUpdate,
    },
    {
      name: 'status', kind: 'Namespace', verbs: ['get', 'patch', 'update'],
      prepareForUpdate(obj, old) {
        setNameLabel(obj);
        // SetDefaults_NamespaceStatus runs when the request body is decoded
        const status = child(obj, 'status');
        if (str(status['phase']) === '') status['phase'] = 'Active';
        if (old['spec'] === undefined) delete obj['spec'];
        else obj['spec'] = structuredClone(old['spec']);
      },
      validateUpdate: validateStatusUpdate,
    },
  ],
  prepareForCreate(obj) {
    setNameLabel(obj);
    obj['status'] = { phase: 'Active' };
    const spec = child(obj, 'spec');
    const finalizers = finalizersOf(obj);
    if (!finalizers.includes('kubernetes')) spec['finalizers'] = [...finalizers, 'kubernetes'];
  },
  prepareForUpdate(obj, old) {
    setNameLabel(obj);
    const spec = child(obj, 'spec');
    const oldFinalizers = record(old['spec'])['finalizers'];
    if (oldFinalizers === undefined) delete spec['finalizers'];
    else spec['finalizers'] = structuredClone(oldFinalizers);
    if (old['status'] === undefined) delete obj['status'];
    else obj['status'] = structuredClone(old['status']);
  },
  validate(obj, old) {
    const errs = validateNamespace(obj);
    if (old) errs.push(...validateObjectMetaUpdate(metadataOf(obj), metadataOf(old)));
    return errs;
  },
  canonicalize: setNameLabel,
  allowUnconditionalUpdate: true,
  createOnUpdate: false,
  fieldSelectors: {
    'status.phase': (obj) => str(record(obj['status'])['phase']),
  },
  tableColumns: [nameColumn(), column('Status', 'The status of the namespace'), ageColumn()],
  tableCells(obj, now = Date.now()) {
    const meta = metadataOf(obj);
    return [str(meta['name']), str(record(obj['status'])['phase']), timestampSince(meta['creationTimestamp'], now)];
  },
});
