// discovery.k8s.io/v1 EndpointSlice: pkg/registry/discovery/endpointslice/strategy.go and
// ValidateEndpointSlice(Update) in pkg/apis/discovery/validation (address type, addresses, ports).
import { isIPv4, isIPv6 } from 'node:net';
import { FIELD_IMMUTABLE, indexPath, invalid, notSupported, required, type FieldError } from './field-error.js';
import { ENDPOINT_SLICE } from './go-schema/aggregation.js';
import { defineKind, STORE_VERBS } from './kind-base.js';
import { ageColumn, column, metadataOf, nameColumn, record, str, timestampSince } from './printing.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../schema/index.js';
import type { KubeObject } from './types.js';

/** the label that ties a slice to its Service (discovery.LabelServiceName) */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ADDRESSES = 100;
const MAX_ENDPOINTS = 1000;
const MAX_PORTS = 20000;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function validateAddress(type: string, address: string, path: string): FieldError[] {
  if (type === 'IPv4' && !isIPv4(address)) return [invalid(path, address, 'must be a valid IPv4 address')];
  if (type === 'IPv6' && !isIPv6(address)) return [invalid(path, address, 'must be a valid IPv6 address')];
  return [];
}

function validateEndpointSlice(obj: KubeObject): FieldError[] {
  const errs = validateObjectMeta(metadataOf(obj), { namespaced: true, nameRule: 'dns1123subdomain' });
  const type = str(obj['addressType']);
  if (type === '') errs.push(required('addressType'));
  else if (!ADDRESS_TYPES.includes(type)) errs.push(notSupported('addressType', type, ADDRESS_TYPES));
  const endpoints = list(obj['endpoints']);
  if (endpoints.length > MAX_ENDPOINTS) errs.push({ type: 'FieldValueTooMany', field: 'endpoints', badValue: endpoints.length, detail: `must have at most ${MAX_ENDPOINTS} items` });
  endpoints.forEach((item, i) => {
    const e = record(item);
    const at = indexPath('endpoints', i);
    const addresses = list(e['addresses']);
    if (addresses.length === 0) errs.push(required(`${at}.addresses`, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errs.push({ type: 'FieldValueTooMany', field: `${at}.addresses`, badValue: addresses.length, detail: `must have at most ${MAX_ADDRESSES} items` });
    addresses.forEach((a, j) => errs.push(...validateAddress(type, str(a), indexPath(`${at}.addresses`, j))));
  });
  const ports = list(obj['ports']);
  if (ports.length > MAX_PORTS) errs.push({ type: 'FieldValueTooMany', field: 'ports', badValue: ports.length, detail: `must have at most ${MAX_PORTS} items` });
  ports.forEach((item, i) => {
    const port = record(item)['port'];
    if (typeof port === 'number' && (port < 0 || port > 65535)) errs.push(invalid(`${indexPath('ports', i)}.port`, port, 'must be between 0 and 65535, inclusive'));
  });
  return errs;
}

export const endpointSliceKind = defineKind({
  group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', singular: 'endpointslice',
  namespaced: true, shortNames: [], categories: [],
  verbs: STORE_VERBS,
  goType: ENDPOINT_SLICE,
  prepareForCreate: () => undefined,
  prepareForUpdate: () => undefined,
  validate(obj, old) {
    const errs = validateEndpointSlice(obj);
    if (old) {
      errs.push(...validateObjectMetaUpdate(metadataOf(obj), metadataOf(old)));
      if (str(obj['addressType']) !== str(old['addressType'])) errs.push(invalid('addressType', str(obj['addressType']), FIELD_IMMUTABLE));
    }
    return errs;
  },
  allowUnconditionalUpdate: true,
  createOnUpdate: false,
  fieldSelectors: {},
  tableColumns: [nameColumn(), column('AddressType', 'The IP protocol for this slice'), column('Ports', 'The ports in the slice'),
    column('Endpoints', 'The endpoints in the slice'), ageColumn()],
  tableCells(obj, now = Date.now()) {
    const meta = metadataOf(obj);
    const ports = list(obj['ports']).map((p) => record(p)['port']).filter((p) => p !== undefined).map(String);
    const addresses = list(obj['endpoints']).flatMap((e) => list(record(e)['addresses']).map(str));
    const shown = addresses.slice(0, 3).join(',') + (addresses.length > 3 ? ` + ${addresses.length - 3} more...` : '');
    return [str(meta['name']), str(obj['addressType']), ports.join(',') || '<unset>', shown || '<unset>', timestampSince(meta['creationTimestamp'], now)];
  },
});
