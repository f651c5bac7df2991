// Validates rendered objects against the Kubernetes OpenAPI schemas of their kinds:
// - kubernetes-models (Kubernetes 1.33 OpenAPI, compiled to ajv validators): types, required
//   fields, enums, formats; @kubernetes-models/prometheus-operator for the ServiceMonitor and
//   PrometheusRule CRDs;
// - unknown fields, which those schemas allow but the API server's strict field validation
//   (kubectl's default) rejects: checked against the field lists of @kubernetes/client-node's
//   generated models.
import * as clientNode from '@kubernetes/client-node';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Secret } from 'kubernetes-models/v1/Secret';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { APIService } from 'kubernetes-models/apiregistration.k8s.io/v1/APIService';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ValidatingAdmissionPolicy } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy';
import { ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { KubeObject } from './helm.js';

interface Model {
  validate(): void;
}

interface Kind {
  model: new (data: never) => Model;
  /** @kubernetes/client-node model with the kind's field list, when it is a built-in kind. */
  fields?: string;
}

const kinds: Record<string, Kind> = {
  'v1/ServiceAccount': { model: ServiceAccount, fields: 'V1ServiceAccount' },
  'v1/ConfigMap': { model: ConfigMap, fields: 'V1ConfigMap' },
  'v1/Service': { model: Service, fields: 'V1Service' },
  'v1/Secret': { model: Secret, fields: 'V1Secret' },
  'apps/v1/DaemonSet': { model: DaemonSet, fields: 'V1DaemonSet' },
  'apps/v1/Deployment': { model: Deployment, fields: 'V1Deployment' },
  'policy/v1/PodDisruptionBudget': { model: PodDisruptionBudget, fields: 'V1PodDisruptionBudget' },
  'apiregistration.k8s.io/v1/APIService': { model: APIService, fields: 'V1APIService' },
  'rbac.authorization.k8s.io/v1/ClusterRole': { model: ClusterRole, fields: 'V1ClusterRole' },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': { model: ClusterRoleBinding, fields: 'V1ClusterRoleBinding' },
  'rbac.authorization.k8s.io/v1/Role': { model: Role, fields: 'V1Role' },
  'rbac.authorization.k8s.io/v1/RoleBinding': { model: RoleBinding, fields: 'V1RoleBinding' },
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': { model: ValidatingAdmissionPolicy, fields: 'V1ValidatingAdmissionPolicy' },
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': { model: ValidatingAdmissionPolicyBinding, fields: 'V1ValidatingAdmissionPolicyBinding' },
  'apiextensions.k8s.io/v1/CustomResourceDefinition': { model: CustomResourceDefinition, fields: 'V1CustomResourceDefinition' },
  'monitoring.coreos.com/v1/ServiceMonitor': { model: ServiceMonitor },
  'monitoring.coreos.com/v1/PrometheusRule': { model: PrometheusRule },
};

interface Attribute {
  baseName: string;
  type: string;
}

const scalarTypes = new Set(['string', 'number', 'boolean', 'Date', 'any', 'object', 'IntOrString']);

function attributes(type: string): Attribute[] {
  const model = (clientNode as unknown as Record<string, { getAttributeTypeMap?: () => Attribute[] }>)[type];
  if (!model?.getAttributeTypeMap) throw new Error(`@kubernetes/client-node has no model ${type}`);
  return model.getAttributeTypeMap();
}

function unknownFields(value: unknown, type: string, at: string, out: string[]): void {
  if (value === null || value === undefined || scalarTypes.has(type)) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, array[1]!, `${at}[${i}]`, out));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) unknownFields(v, map[1]!, `${at}.${k}`, out);
    }
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) return; // NB: the OpenAPI schema reports wrong types.
  const known = new Map(attributes(type).map((a) => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value)) {
    const t = known.get(k);
    if (t === undefined) out.push(`${at}.${k}: unknown field`);
    else unknownFields(v, t, `${at}.${k}`, out);
  }
}

/** Problems of one object against its kind's schema; empty when it is valid. */
export function schemaProblems(object: KubeObject): string[] {
  const key = `${object.apiVersion}/${object.kind}`;
  const kind = kinds[key];
  if (!kind) return [`${key}: no schema known to test/chart/kube-schema.ts (add the kind there)`];
  const problems: string[] = [];
  try {
    new kind.model(object as never).validate();
  } catch (err) {
    problems.push(`${key} ${object.metadata?.name}: ${(err as Error).message}`);
  }
  if (kind.fields) unknownFields(object, kind.fields, `${key} ${object.metadata?.name}`, problems);
  return problems;
}
