// k8s.io/api/core/v1 types of the built-in kinds (types.go field order, generated.proto numbers).
import { metadataField } from './meta.js';
import {
  BOOL, BYTES, INT32, MICRO_TIME, STRING, TIME, TYPE_META_FIELDS, mapOf, opt, req, sliceOf, struct,
} from './model.js';

export const OBJECT_REFERENCE = struct('ObjectReference', [
  opt('kind', 1, STRING),
  opt('namespace', 2, STRING),
  opt('name', 3, STRING),
  opt('uid', 4, STRING),
  opt('apiVersion', 5, STRING),
  opt('resourceVersion', 6, STRING),
  opt('fieldPath', 7, STRING),
]);

export const EVENT_SOURCE = struct('EventSource', [
  opt('component', 1, STRING),
  opt('host', 2, STRING),
]);

const CORE_EVENT_SERIES = struct('EventSeries', [
  opt('count', 1, INT32),
  opt('lastObservedTime', 2, MICRO_TIME),
]);

export const CORE_EVENT = struct('Event', [
  ...TYPE_META_FIELDS,
  metadataField(false),
  req('involvedObject', 2, OBJECT_REFERENCE),
  opt('reason', 3, STRING),
  opt('message', 4, STRING),
  opt('source', 5, EVENT_SOURCE),
  opt('firstTimestamp', 6, TIME),
  opt('lastTimestamp', 7, TIME),
  opt('count', 8, INT32),
  opt('type', 9, STRING),
  opt('eventTime', 10, MICRO_TIME),
  opt('series', 11, CORE_EVENT_SERIES, { pointer: true }),
  opt('action', 12, STRING),
  opt('related', 13, OBJECT_REFERENCE, { pointer: true }),
  req('reportingComponent', 14, STRING, { goName: 'ReportingController' }),
  req('reportingInstance', 15, STRING),
]);

const NAMESPACE_CONDITION = struct('NamespaceCondition', [
  req('type', 1, STRING),
  req('status', 2, STRING),
  opt('lastTransitionTime', 4, TIME),
  opt('reason', 5, STRING),
  opt('message', 6, STRING),
]);

export const NAMESPACE = struct('Namespace', [
  ...TYPE_META_FIELDS,
  metadataField(),
  opt('spec', 2, struct('NamespaceSpec', [opt('finalizers', 1, sliceOf(STRING))])),
  opt('status', 3, struct('NamespaceStatus', [
    opt('phase', 1, STRING),
    opt('conditions', 2, sliceOf(NAMESPACE_CONDITION), { patchStrategy: 'merge', patchMergeKey: 'type' }),
  ])),
]);

export const SECRET = struct('Secret', [
  ...TYPE_META_FIELDS,
  metadataField(),
  opt('immutable', 5, BOOL, { pointer: true }),
  opt('data', 2, mapOf(BYTES)),
  opt('stringData', 4, mapOf(STRING)),
  opt('type', 3, STRING),
]);
