// apiregistration.k8s.io/v1 APIService: kube-aggregator's pkg/registry/apiservice (strategy and
// ConvertToTable in etcd/etcd.go), pkg/apis/apiregistration/validation (ValidateAPIService) and
// SetDefaults_ServiceReference (port 443). Its Available condition is written by the
// availability controller (controllers/apiservice-availability.ts) through /status.
import { invalid, required, type FieldError } from './field-error.js';
import { API_SERVICE } from './go-schema/aggregation.js';
import { defineKind, STORE_VERBS } from './kind-base.js';
import { ageColumn, column, metadataOf, nameColumn, record, str, timestampSince } from './printing.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../schema/index.js';
import type { KubeObject } from './types.js';

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

function setDefaults(obj: KubeObject): void {
  const service = record(obj['spec'])['service'];
  if (service && typeof service === 'object' && record(service)['port'] === undefined) record(service)['port'] = 443;
}

function validateApiService(obj: KubeObject): FieldError[] {
  const spec = record(obj['spec']);
  const group = str(spec['group']);
  const version = str(spec['version']);
  const requiredName = `${version}.${group}`;
  const errs = validateObjectMeta(metadataOf(obj), { namespaced: false, nameRule: 'path-segment' });
  const name = str(metadataOf(obj)['name']);
  if (name !== '' && !errs.some((e) => e.field === 'metadata.name') && name !== requiredName) {
    errs.push(invalid('metadata.name', name, `must be \`spec.version+"."+spec.group\`: ${JSON.stringify(requiredName)}`));
  }
  if (group === '' && version !== 'v1') errs.push(required('spec.group', 'only v1 may have an empty group and it better be legacy kube'));
  if (group !== '' && (group.length > 253 || !DNS1123_SUBDOMAIN.test(group))) errs.push(invalid('spec.group', group, DNS1123_SUBDOMAIN_MSG));
  if (version.length > 63 || !DNS1035.test(version)) errs.push(invalid('spec.version', version, DNS1035_MSG));
  const gpm = Number(spec['groupPriorityMinimum'] ?? 0);
  if (gpm <= 0 || gpm > 20000) errs.push(invalid('spec.groupPriorityMinimum', gpm, 'must be positive and less than 20000'));
  const vp = Number(spec['versionPriority'] ?? 0);
  if (vp <= 0 || vp > 1000) errs.push(invalid('spec.versionPriority', vp, 'must be positive and less than 1000'));
  const caBundle = str(spec['caBundle']);
  const service = spec['service'];
  if (service === undefined || service === null) {
    if (caBundle !== '') errs.push(invalid('spec.caBundle', `${Buffer.from(caBundle, 'base64').length} bytes`, 'local APIServices may not have a caBundle'));
    if (spec['insecureSkipTLSVerify'] === true) errs.push(invalid('spec.insecureSkipTLSVerify', true, 'local APIServices may not have insecureSkipTLSVerify'));
    return errs;
  }
  const s = record(service);
  if (str(s['namespace']) === '') errs.push(required('spec.service.namespace'));
  if (str(s['name']) === '') errs.push(required('spec.service.name'));
  const port = Number(s['port']);
  if (!(port >= 1 && port <= 65535)) errs.push(invalid('spec.service.port', port, 'port is not valid: must be between 1 and 65535, inclusive'));
  if (spec['insecureSkipTLSVerify'] === true && caBundle !== '') errs.push(invalid('spec.insecureSkipTLSVerify', true, 'may not be true if caBundle is present'));
  return errs;
}

/** the Available condition, if any */
export function availableCondition(obj: KubeObject): Record<string, unknown> | undefined {
  const conditions = record(obj['status'])['conditions'];
  return Array.isArray(conditions) ? (conditions as Record<string, unknown>[]).find((c) => c['type'] === 'Available') : undefined;
}

export const apiServiceKind = defineKind({
  group: 'apiregistration.k8s.io', version: 'v1', kind: 'APIService', plural: 'apiservices', singular: 'apiservice',
  namespaced: false, shortNames: [], categories: ['api-extensions'],
  verbs: STORE_VERBS,
  goType: API_SERVICE,
  subresources: [{
    name: 'status', kind: 'APIService', verbs: ['get', 'patch', 'update'],
    prepareForUpdate(obj, old) {
      obj['spec'] = structuredClone(old['spec']);
      const labels = metadataOf(old)['labels'];
      const meta = metadataOf(obj);
      if (labels === undefined) delete meta['labels']; else meta['labels'] = structuredClone(labels);
    },
    validateUpdate: (obj) => validateApiService(obj),
  }],
  prepareForCreate(obj) {
    setDefaults(obj);
    obj['status'] = {};
  },
  prepareForUpdate(obj, old) {
    setDefaults(obj);
    obj['status'] = structuredClone(old['status'] ?? {});
  },
  validate(obj, old) {
    const errs = validateApiService(obj);
    if (old) errs.push(...validateObjectMetaUpdate(metadataOf(obj), metadataOf(old)));
    return errs;
  },
  allowUnconditionalUpdate: false,
  createOnUpdate: false,
  fieldSelectors: {},
  tableColumns: [nameColumn(), column('Service', 'The reference to the service that hosts this API endpoint.'),
    column('Available', 'Whether this service is available.'), ageColumn()],
  tableCells(obj, now = Date.now()) {
    const meta = metadataOf(obj);
    const s = record(obj['spec'])['service'];
    const service = s ? `${str(record(s)['namespace'])}/${str(record(s)['name'])}` : 'Local';
    const c = availableCondition(obj);
    let available = 'Unknown';
    if (c) available = c['status'] === 'True' || str(c['reason']) === '' ? str(c['status']) : `${str(c['status'])} (${str(c['reason'])})`;
    return [str(meta['name']), service, available, timestampSince(meta['creationTimestamp'], now)];
  },
});
