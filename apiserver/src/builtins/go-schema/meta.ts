// k8s.io/apimachinery/pkg/apis/meta/v1 types (types.go field order, generated.proto numbers).
import { BOOL, INT64, RAW_JSON, STRING, TIME, mapOf, opt, req, sliceOf, struct } from './model.js';

const OWNER_REFERENCE = struct('OwnerReference', [
  req('apiVersion', 5, STRING),
  req('kind', 1, STRING),
  req('name', 3, STRING),
  req('uid', 4, STRING),
  opt('controller', 6, BOOL, { pointer: true }),
  opt('blockOwnerDeletion', 7, BOOL, { pointer: true }),
]);

const MANAGED_FIELDS_ENTRY = struct('ManagedFieldsEntry', [
  opt('manager', 1, STRING),
  opt('operation', 2, STRING),
  opt('apiVersion', 3, STRING),
  opt('time', 4, TIME, { pointer: true }),
  opt('fieldsType', 6, STRING),
  opt('fieldsV1', 7, RAW_JSON, { pointer: true }),
  opt('subresource', 8, STRING),
]);

export const OBJECT_META = struct('ObjectMeta', [
  opt('name', 1, STRING),
  opt('generateName', 2, STRING),
  opt('namespace', 3, STRING),
  opt('selfLink', 4, STRING),
  opt('uid', 5, STRING),
  opt('resourceVersion', 6, STRING),
  opt('generation', 7, INT64),
  opt('creationTimestamp', 8, TIME),
  opt('deletionTimestamp', 9, TIME, { pointer: true }),
  opt('deletionGracePeriodSeconds', 10, INT64, { pointer: true }),
  opt('labels', 11, mapOf(STRING)),
  opt('annotations', 12, mapOf(STRING)),
  opt('ownerReferences', 13, sliceOf(OWNER_REFERENCE), { patchStrategy: 'merge', patchMergeKey: 'uid' }),
  opt('finalizers', 14, sliceOf(STRING), { patchStrategy: 'merge' }),
  opt('managedFields', 17, sliceOf(MANAGED_FIELDS_ENTRY)),
]);

/** `metav1.ObjectMeta json:"metadata,omitempty"` (most kinds) */
export const metadataField = (omitEmpty = true) =>
  omitEmpty ? opt('metadata', 1, OBJECT_META) : req('metadata', 1, OBJECT_META);

export const LABEL_SELECTOR_REQUIREMENT = struct('LabelSelectorRequirement', [
  req('key', 1, STRING),
  req('operator', 2, STRING),
  opt('values', 3, sliceOf(STRING)),
]);

export const FIELD_SELECTOR_REQUIREMENT = struct('FieldSelectorRequirement', [
  req('key', 1, STRING),
  req('operator', 2, STRING),
  opt('values', 3, sliceOf(STRING)),
]);
