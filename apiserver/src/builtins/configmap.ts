// core/v1 ConfigMap: pkg/registry/core/configmap/strategy.go and ValidateConfigMap(Update) in
// pkg/apis/core/validation (keys, 1 MiB total, immutable).
import { forbidden, invalid, keyPath, tooLong, type FieldError } from './field-error.js';
import { CONFIG_MAP } from './go-schema/aggregation.js';
import { defineKind, STORE_VERBS } from './kind-base.js';
import { deepEqual } from '../objects.js';
import { isConfigMapKey } from './name-rules.js';
import { ageColumn, column, metadataOf, nameColumn, record, str, timestampSince } from './printing.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../schema/index.js';
import { MAX_SECRET_SIZE } from './secret.js';
import type { KubeObject } from './types.js';

function validateConfigMap(obj: KubeObject): FieldError[] {
  const errs = validateObjectMeta(metadataOf(obj), { namespaced: true, nameRule: 'dns1123subdomain' });
  const data = record(obj['data']);
  const binary = record(obj['binaryData']);
  let total = 0;
  for (const key of Object.keys(data).sort()) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(keyPath('data', key), key, msg));
    total += Buffer.byteLength(str(data[key]));
  }
  for (const key of Object.keys(binary).sort()) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(keyPath('binaryData', key), key, msg));
    if (key in data) errs.push(invalid(keyPath('binaryData', key), key, 'duplicate of key present in data'));
    total += Buffer.from(str(binary[key]), 'base64').length;
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong('', MAX_SECRET_SIZE));
  return errs;
}

function validateConfigMapUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateObjectMetaUpdate(metadataOf(obj), metadataOf(old));
  if (old['immutable'] === true) {
    if (obj['immutable'] !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
    if (!deepEqual(record(obj['data']), record(old['data']))) errs.push(forbidden('data', 'field is immutable when `immutable` is set'));
    if (!deepEqual(record(obj['binaryData']), record(old['binaryData']))) errs.push(forbidden('binaryData', 'field is immutable when `immutable` is set'));
  }
  errs.push(...validateConfigMap(obj));
  return errs;
}

export const configMapKind = defineKind({
  group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap',
  namespaced: true, shortNames: ['cm'], categories: [],
  verbs: STORE_VERBS,
  goType: CONFIG_MAP,
  prepareForCreate: () => undefined,
  prepareForUpdate: () => undefined,
  validate: (obj, old) => (old ? validateConfigMapUpdate(obj, old) : validateConfigMap(obj)),
  allowUnconditionalUpdate: true,
  createOnUpdate: false,
  fieldSelectors: {},
  tableColumns: [nameColumn(), column('Data', 'Data contains the configuration data.', { type: 'integer' }), ageColumn()],
  tableCells(obj, now = Date.now()) {
    const meta = metadataOf(obj);
    const count = Object.keys(record(obj['data'])).length + Object.keys(record(obj['binaryData'])).length;
    return [str(meta['name']), count, timestampSince(meta['creationTimestamp'], now)];
  },
});
