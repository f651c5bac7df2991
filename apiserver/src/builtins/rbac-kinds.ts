// rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding, ClusterRoleBinding:
// pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/strategy.go,
// pkg/apis/rbac/validation/validation.go, SetDefaults_Subject (pkg/apis/rbac/v1/defaults.go) and
// the printers in pkg/printers/internalversion/printers.go.
// The escalation checks of the RBAC storage need the request's user: rbac/escalation-check.ts.
import { indexPath, invalid, notSupported, required, type FieldError } from './field-error.js';
import { CLUSTER_ROLE, CLUSTER_ROLE_BINDING, ROLE, ROLE_BINDING } from './go-schema/rbac.js';
import { defineKind, STORE_VERBS, type BuiltinKindWithType } from './kind-base.js';
import { column, metadataOf, nameColumn, ageColumn, record, str, timestampSince } from './printing.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../schema/index.js';
import { deepEqual } from '../objects.js';
import type { GoStruct } from './go-schema/model.js';
import type { KubeObject } from './types.js';

const GROUP = 'rbac.authorization.k8s.io';
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** ValidatePolicyRule */
function validateRules(obj: KubeObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  list(obj['rules']).forEach((item, i) => {
    const r = record(item);
    const at = indexPath('rules', i);
    if (list(r['verbs']).length === 0) errs.push(required(`${at}.verbs`, 'verbs must contain at least one value'));
    const urls = list(r['nonResourceURLs']);
    if (urls.length > 0) {
      if (namespaced) errs.push(invalid(`${at}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
      if (list(r['apiGroups']).length > 0 || list(r['resources']).length > 0) {
        errs.push(invalid(`${at}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
      }
      return;
    }
    if (list(r['apiGroups']).length === 0) errs.push(required(`${at}.apiGroups`, 'resource rules must supply at least one api group'));
    if (list(r['resources']).length === 0) errs.push(required(`${at}.resources`, 'resource rules must supply at least one resource'));
  });
  return errs;
}

/** ValidateRoleBindingSubject */
function validateSubjects(obj: KubeObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  list(obj['subjects']).forEach((item, i) => {
    const s = record(item);
    const at = indexPath('subjects', i);
    const kind = str(s['kind']);
    if (str(s['name']) === '') errs.push(required(`${at}.name`));
    switch (kind) {
      case 'ServiceAccount':
        if (str(s['apiGroup']) !== '') errs.push(notSupported(`${at}.apiGroup`, str(s['apiGroup']), ['']));
        if (!namespaced && str(s['namespace']) === '') errs.push(required(`${at}.namespace`));
        break;
      case 'User': case 'Group':
        if (str(s['apiGroup']) !== GROUP) errs.push(notSupported(`${at}.apiGroup`, str(s['apiGroup']), [GROUP]));
        break;
      default:
        errs.push(notSupported(`${at}.kind`, kind, ['ServiceAccount', 'User', 'Group']));
    }
  });
  return errs;
}

function validateRoleRef(obj: KubeObject, kinds: string[]): FieldError[] {
  const ref = record(obj['roleRef']);
  const errs: FieldError[] = [];
  if (str(ref['apiGroup']) !== GROUP) errs.push(notSupported('roleRef.apiGroup', str(ref['apiGroup']), [GROUP]));
  if (!kinds.includes(str(ref['kind']))) errs.push(notSupported('roleRef.kind', str(ref['kind']), kinds));
  if (str(ref['name']) === '') errs.push(required('roleRef.name'));
  return errs;
}

/** SetDefaults_Subject: User and Group subjects belong to the RBAC group */
function defaultSubjects(obj: KubeObject): void {
  for (const item of list(obj['subjects'])) {
    const s = record(item);
    if (str(s['apiGroup']) === '' && (s['kind'] === 'User' || s['kind'] === 'Group')) s['apiGroup'] = GROUP;
  }
}

const createdAtColumn = () => column('Created At', 'CreationTimestamp is a timestamp representing the server time when this object was created.', { type: 'string', format: 'date' });
const createdAt = (obj: KubeObject): string => str(metadataOf(obj)['creationTimestamp']);

function makeRoleKind(kind: string, plural: string, namespaced: boolean, goType: GoStruct): BuiltinKindWithType {
  const meta = { namespaced, nameRule: 'path-segment' as const };
  return defineKind({
    group: GROUP, version: 'v1', kind, plural, singular: kind.toLowerCase(), namespaced, shortNames: [], categories: [],
    verbs: STORE_VERBS, goType,
    prepareForCreate: () => undefined,
    prepareForUpdate: () => undefined,
    validate(obj, old) {
      const errs = [...validateObjectMeta(metadataOf(obj), meta), ...validateRules(obj, namespaced)];
      if (old) errs.push(...validateObjectMetaUpdate(metadataOf(obj), metadataOf(old)));
      return errs;
    },
    allowUnconditionalUpdate: true, createOnUpdate: true, fieldSelectors: {},
    tableColumns: [nameColumn(), createdAtColumn()],
    tableCells: (obj) => [str(metadataOf(obj)['name']), createdAt(obj)],
  });
}

function makeBindingKind(kind: string, plural: string, namespaced: boolean, goType: GoStruct): BuiltinKindWithType {
  const meta = { namespaced, nameRule: 'path-segment' as const };
  const subjectsOfKind = (obj: KubeObject, k: string) => list(obj['subjects']).map(record).filter((s) => s['kind'] === k)
    .map((s) => (k === 'ServiceAccount' ? `${str(s['namespace'])}/${str(s['name'])}` : str(s['name']))).join(', ');
  return defineKind({
    group: GROUP, version: 'v1', kind, plural, singular: kind.toLowerCase(), namespaced, shortNames: [], categories: [],
    verbs: STORE_VERBS, goType,
    prepareForCreate: defaultSubjects,
    prepareForUpdate: defaultSubjects,
    validate(obj, old) {
      const errs = [...validateObjectMeta(metadataOf(obj), meta),
        ...validateRoleRef(obj, namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole']), ...validateSubjects(obj, namespaced)];
      if (old) {
        errs.push(...validateObjectMetaUpdate(metadataOf(obj), metadataOf(old)));
        if (!deepEqual(obj['roleRef'], old['roleRef'])) errs.push(invalid('roleRef', obj['roleRef'], 'cannot change roleRef'));
      }
      return errs;
    },
    allowUnconditionalUpdate: true, createOnUpdate: true, fieldSelectors: {},
    tableColumns: [nameColumn(), column('Role', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'), ageColumn(),
      column('Users', 'Users in the binding', { priority: 1 }), column('Groups', 'Groups in the binding', { priority: 1 }),
      column('ServiceAccounts', 'ServiceAccounts in the binding', { priority: 1 })],
    tableCells(obj, now = Date.now()) {
      const ref = record(obj['roleRef']);
      return [str(metadataOf(obj)['name']), `${str(ref['kind'])}/${str(ref['name'])}`, timestampSince(metadataOf(obj)['creationTimestamp'], now),
        subjectsOfKind(obj, 'User'), subjectsOfKind(obj, 'Group'), subjectsOfKind(obj, 'ServiceAccount')];
    },
  });
}

export const clusterRoleBindingKind = makeBindingKind('ClusterRoleBinding', 'clusterrolebindings', false, CLUSTER_ROLE_BINDING);
export const clusterRoleKind = makeRoleKind('ClusterRole', 'clusterroles', false, CLUSTER_ROLE);
export const roleBindingKind = makeBindingKind('RoleBinding', 'rolebindings', true, ROLE_BINDING);
export const roleKind = makeRoleKind('Role', 'roles', true, ROLE);
