// The Go types behind aggregation: core/v1 ConfigMap and Service, discovery.k8s.io/v1
// EndpointSlice, apiregistration.k8s.io/v1 APIService (types.go field order, generated.proto
// numbers).
import { OBJECT_REFERENCE } from './core.js';
import { metadataField } from './meta.js';
import {
  BOOL, BYTES, INT32, INT_OR_STRING, RAW_JSON, STRING, TIME, TYPE_META_FIELDS, mapOf, opt, req, sliceOf, struct,
} from './model.js';

export const CONFIG_MAP = struct('ConfigMap', [
  ...TYPE_META_FIELDS,
  metadataField(),
  opt('immutable', 4, BOOL, { pointer: true }),
  opt('data', 2, mapOf(STRING)),
  opt('binaryData', 3, mapOf(BYTES)),
]);

const SERVICE_PORT = struct('ServicePort', [
  opt('name', 1, STRING),
  opt('protocol', 2, STRING),
  opt('appProtocol', 6, STRING, { pointer: true }),
  req('port', 3, INT32),
  opt('targetPort', 4, INT_OR_STRING),
  opt('nodePort', 5, INT32),
]);

export const SERVICE = struct('Service', [
  ...TYPE_META_FIELDS,
  metadataField(),
  opt('spec', 2, struct('ServiceSpec', [
    opt('ports', 1, sliceOf(SERVICE_PORT), { patchStrategy: 'merge', patchMergeKey: 'port' }),
    opt('selector', 2, mapOf(STRING)),
    opt('clusterIP', 3, STRING, { goName: 'ClusterIP' }),
    opt('clusterIPs', 18, sliceOf(STRING), { goName: 'ClusterIPs' }),
    opt('type', 4, STRING),
    opt('externalIPs', 5, sliceOf(STRING), { goName: 'ExternalIPs' }),
    opt('sessionAffinity', 7, STRING),
    opt('externalName', 10, STRING),
    opt('ipFamilies', 19, sliceOf(STRING), { goName: 'IPFamilies' }),
    opt('ipFamilyPolicy', 17, STRING, { pointer: true, goName: 'IPFamilyPolicy' }),
    opt('internalTrafficPolicy', 22, STRING, { pointer: true }),
  ])),
  opt('status', 3, struct('ServiceStatus', [
    opt('loadBalancer', 1, struct('LoadBalancerStatus', [opt('ingress', 1, sliceOf(RAW_JSON))])),
  ])),
]);

const ENDPOINT = struct('Endpoint', [
  req('addresses', 1, sliceOf(STRING)),
  opt('conditions', 2, struct('EndpointConditions', [
    opt('ready', 1, BOOL, { pointer: true }),
    opt('serving', 2, BOOL, { pointer: true }),
    opt('terminating', 3, BOOL, { pointer: true }),
  ])),
  opt('hostname', 3, STRING, { pointer: true }),
  opt('targetRef', 4, OBJECT_REFERENCE, { pointer: true }),
  opt('nodeName', 6, STRING, { pointer: true }),
  opt('zone', 7, STRING, { pointer: true }),
]);

const ENDPOINT_PORT = struct('EndpointPort', [
  opt('name', 1, STRING, { pointer: true }),
  opt('protocol', 2, STRING, { pointer: true }),
  opt('port', 3, INT32, { pointer: true }),
  opt('appProtocol', 4, STRING, { pointer: true }),
]);

export const ENDPOINT_SLICE = struct('EndpointSlice', [
  ...TYPE_META_FIELDS,
  metadataField(),
  req('addressType', 4, STRING),
  req('endpoints', 2, sliceOf(ENDPOINT)),
  req('ports', 3, sliceOf(ENDPOINT_PORT)),
]);

export const API_SERVICE = struct('APIService', [
  ...TYPE_META_FIELDS,
  metadataField(),
  opt('spec', 2, struct('APIServiceSpec', [
    opt('service', 1, struct('ServiceReference', [
      opt('namespace', 1, STRING),
      opt('name', 2, STRING),
      opt('port', 3, INT32, { pointer: true }),
    ]), { pointer: true }),
    opt('group', 2, STRING),
    opt('version', 3, STRING),
    opt('insecureSkipTLSVerify', 4, BOOL, { goName: 'InsecureSkipTLSVerify' }),
    opt('caBundle', 5, BYTES, { goName: 'CABundle' }),
    req('groupPriorityMinimum', 7, INT32),
    req('versionPriority', 8, INT32),
  ])),
  opt('status', 3, struct('APIServiceStatus', [
    opt('conditions', 1, sliceOf(struct('APIServiceCondition', [
      req('type', 1, STRING),
      req('status', 2, STRING),
      opt('lastTransitionTime', 3, TIME),
      opt('reason', 4, STRING),
      opt('message', 5, STRING),
    ])), { patchStrategy: 'merge', patchMergeKey: 'type' }),
  ])),
]);
