// admission.Attributes of one write, and the CEL values a policy sees of it
// (staging/src/k8s.io/apiserver/pkg/admission/plugin/cel/filter.go CreateAdmissionRequest,
// CreateNamespaceObject).
import type { ReviewUser } from '../builtins/index.js';
import type { Obj } from '../objects.js';
import { CelMap, fromJson, type Value } from '../schema/cel/values.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionAttributes {
  operation: AdmissionOperation;
  group: string;
  version: string;
  kind: string;
  resource: string;
  subresource: string;
  namespace: string;
  /** the name from the URL, or the new object's (or its generateName) on create */
  name: string;
  namespaced: boolean;
  /** the new object; undefined on DELETE */
  object?: Obj;
  /** the stored object; undefined on CREATE */
  oldObject?: Obj;
  user: ReviewUser;
  dryRun: boolean;
  /** the request's namespace object, for namespaceSelector and namespaceObject */
  namespaceObject?: Obj;
}

function record(name: string, fields: Record<string, Value>): CelMap {
  const m = new CelMap(true, name);
  for (const [k, v] of Object.entries(fields)) m.set(k, v);
  return m;
}

/** an unset proto field reads as its zero value: every field is present */
export function admissionRequestValue(a: AdmissionAttributes): CelMap {
  const extra = new CelMap();
  for (const [k, vs] of Object.entries(a.user.extra ?? {})) extra.set(k, [...vs]);
  const kind = record('kubernetes.GroupVersionKind', { group: a.group, version: a.version, kind: a.kind });
  const resource = record('kubernetes.GroupVersionResource', { group: a.group, version: a.version, resource: a.resource });
  return record('kubernetes.AdmissionRequest', {
    kind, resource, subResource: a.subresource, requestKind: kind, requestResource: resource, requestSubResource: a.subresource,
    name: a.name, namespace: a.namespace, operation: a.operation,
    userInfo: record('kubernetes.UserInfo', { username: a.user.username, uid: a.user.uid ?? '', groups: [...(a.user.groups ?? [])], extra }),
    dryRun: a.dryRun, options: null,
  });
}

/** CreateNamespaceObject: the namespace's metadata (without managedFields), spec and status */
export function namespaceObjectValue(ns: Obj | undefined): Value {
  if (!ns) return null;
  const { managedFields: _m, ...metadata } = (ns['metadata'] ?? {}) as Record<string, unknown>;
  return fromJson({ metadata, spec: ns['spec'] ?? {}, status: ns['status'] ?? {} }, undefined);
}

export const objectValue = (o: Obj | undefined): Value => (o === undefined ? null : fromJson(o, undefined));

