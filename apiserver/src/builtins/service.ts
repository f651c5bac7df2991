// core/v1 Service, what aggregation needs of it: pkg/registry/core/service/strategy.go,
// SetDefaults_Service (pkg/apis/core/v1/defaults.go), the ports and type rules of ValidateService
// (pkg/apis/core/validation). A ClusterIP is allocated from 10.96.0.0/12 (the default
// --service-cluster-ip-range); nothing routes it here: the aggregator routes to endpoints, as
// kube-apiserver does with --enable-aggregator-routing.
import { randomInt } from 'node:crypto';
import { indexPath, invalid, notSupported, required, type FieldError } from './field-error.js';
import { SERVICE } from './go-schema/aggregation.js';
import { child, defineKind } from './kind-base.js';
import { ageColumn, column, metadataOf, nameColumn, record, str, timestampSince } from './printing.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../schema/index.js';
import type { KubeObject } from './types.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function allocateClusterIp(): string {
  // 10.96.0.0/12 without the network address and 10.96.0.1 (the kubernetes Service)
  const n = randomInt(2, (1 << 20) - 1);
  return `10.${96 + (n >> 16)}.${(n >> 8) & 0xff}.${n & 0xff}`;
}

function setDefaults(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (str(spec['type']) === '') spec['type'] = 'ClusterIP';
  if (str(spec['sessionAffinity']) === '') spec['sessionAffinity'] = 'None';
  for (const item of list(spec['ports'])) {
    const p = record(item);
    if (str(p['protocol']) === '') p['protocol'] = 'TCP';
    if (p['targetPort'] === undefined || p['targetPort'] === 0 || p['targetPort'] === '') p['targetPort'] = p['port'];
  }
  if (spec['type'] !== 'ExternalName' && spec['internalTrafficPolicy'] === undefined) spec['internalTrafficPolicy'] = 'Cluster';
}

function validateService(obj: KubeObject): FieldError[] {
  const errs = validateObjectMeta(metadataOf(obj), { namespaced: true, nameRule: 'dns1035label' });
  const spec = record(obj['spec']);
  const type = str(spec['type']);
  if (!TYPES.includes(type)) errs.push(notSupported('spec.type', type, TYPES));
  const ports = list(spec['ports']);
  if (type !== 'ExternalName' && ports.length === 0 && str(spec['clusterIP']) !== 'None') errs.push(required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((item, i) => {
    const p = record(item);
    const at = indexPath('spec.ports', i);
    const name = str(p['name']);
    if (ports.length > 1 && name === '') errs.push(required(`${at}.name`));
    else if (name !== '' && names.has(name)) errs.push({ type: 'FieldValueDuplicate', field: `${at}.name`, badValue: name });
    names.add(name);
    const port = p['port'];
    if (typeof port !== 'number' || port < 1 || port > 65535) errs.push(invalid(`${at}.port`, port ?? 0, 'must be between 1 and 65535, inclusive'));
    const protocol = str(p['protocol']);
    if (!PROTOCOLS.includes(protocol)) errs.push(notSupported(`${at}.protocol`, protocol, PROTOCOLS));
    const target = p['targetPort'];
    if (typeof target === 'number' && (target < 1 || target > 65535)) errs.push(invalid(`${at}.targetPort`, target, 'must be between 1 and 65535, inclusive'));
  });
  return errs;
}

export const serviceKind = defineKind({
  group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service',
  namespaced: true, shortNames: ['svc'], categories: ['all'],
  // the service REST has no DeleteCollection
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  goType: SERVICE,
  subresources: [{
    name: 'status', kind: 'Service', verbs: ['get', 'patch', 'update'],
    prepareForUpdate(obj, old) { obj['spec'] = structuredClone(old['spec']); },
    validateUpdate: () => [],
  }],
  prepareForCreate(obj) {
    setDefaults(obj);
    obj['status'] = { loadBalancer: {} };
    const spec = record(obj['spec']);
    if (spec['type'] !== 'ExternalName') {
      const ip = str(spec['clusterIP']) || allocateClusterIp();
      spec['clusterIP'] = ip;
      spec['clusterIPs'] = [ip];
      if (ip !== 'None') {
        spec['ipFamilies'] = ['IPv4'];
        spec['ipFamilyPolicy'] = 'SingleStack';
      }
    }
  },
  prepareForUpdate(obj, old) {
    setDefaults(obj);
    obj['status'] = structuredClone(old['status']);
    const spec = record(obj['spec']);
    const oldSpec = record(old['spec']);
    // an update without the allocated fields keeps them (the REST's patchAllocatedValues)
    for (const k of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) if (spec[k] === undefined && oldSpec[k] !== undefined) spec[k] = structuredClone(oldSpec[k]);
  },
  validate(obj, old) {
    const errs = validateService(obj);
    if (old) {
      errs.push(...validateObjectMetaUpdate(metadataOf(obj), metadataOf(old)));
      const ip = str(record(obj['spec'])['clusterIP']);
      const oldIp = str(record(old['spec'])['clusterIP']);
      if (oldIp !== '' && ip !== oldIp) errs.push(invalid('spec.clusterIPs[0]', ip, 'may not change once set'));
    }
    return errs;
  },
  allowUnconditionalUpdate: true,
  createOnUpdate: false,
  fieldSelectors: {},
  tableColumns: [nameColumn(), column('Type', 'The type of the service.'), column('Cluster-IP', 'The IP address of the service.'),
    column('External-IP', 'The external IP address of the service.'), column('Port(s)', 'The ports that this service is serving.'), ageColumn(),
    column('Selector', 'The selector of the service.', { priority: 1 })],
  tableCells(obj, now = Date.now()) {
    const meta = metadataOf(obj);
    const spec = record(obj['spec']);
    const ports = list(spec['ports']).map(record).map((p) => `${String(p['port'])}${p['nodePort'] ? `:${String(p['nodePort'])}` : ''}/${str(p['protocol'])}`);
    const selector = Object.entries(record(spec['selector'])).sort().map(([k, v]) => `${k}=${str(v)}`).join(',');
    const external = spec['type'] === 'ExternalName' ? str(spec['externalName']) : list(spec['externalIPs']).map(str).join(',') || '<none>';
    return [str(meta['name']), str(spec['type']), str(spec['clusterIP']) || '<none>', external, ports.join(',') || '<none>',
      timestampSince(meta['creationTimestamp'], now), selector || '<none>'];
  },
});
