// core/v1 Secret: pkg/registry/core/secret/strategy.go, Convert_v1_Secret_To_core_Secret and
// SetDefaults_Secret (pkg/apis/core/v1), ValidateSecret(Update) in pkg/apis/core/validation.
import { FIELD_IMMUTABLE, forbidden, invalid, keyPath, required, tooLong, type FieldError } from './field-error.js';
import { SECRET } from './go-schema/core.js';
import { parseJson } from '../schema/index.js';
import { defineKind, STORE_VERBS } from './kind-base.js';
import { deepEqual } from '../objects.js';
import { isConfigMapKey } from './name-rules.js';
import { x509KeyPairError } from './tls-key-pair.js';
import { ageColumn, column, metadataOf, nameColumn, record, str, timestampSince } from './printing.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../schema/index.js';
import type { KubeObject } from './types.js';

/** core.MaxSecretSize */
export const MAX_SECRET_SIZE = 1024 * 1024;
const REDACTED = '<secret contents redacted>';

const SECRET_TYPE_DOC = 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types';
const SECRET_DATA_DOC = "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4";

/** the error Go's json.Unmarshal(text, &map[string]interface{}{}) returns, or undefined */
function goJsonObjectError(text: string): string | undefined {
  const parsed = parseJson(text);
  if (parsed.syntax !== undefined) return parsed.syntax;
  const top = parsed.value;
  if (top === null || (typeof top === 'object' && !Array.isArray(top))) return undefined;
  // the strict parser keeps integers beyond 2^53 as bigint; Go names every JSON number "number"
  const kind = Array.isArray(top) ? 'array' : typeof top === 'boolean' ? 'bool' : typeof top === 'bigint' ? 'number' : typeof top;
  return `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
}

/** Decode-time work on every write: stringData overwrites data keys and is never stored; an empty
 *  type becomes Opaque. */
function convertAndDefault(obj: KubeObject): void {
  const stringData = record(obj['stringData']);
  if (Object.keys(stringData).length > 0) {
    const data = { ...record(obj['data']) };
    for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(str(v), 'utf8').toString('base64');
    obj['data'] = data;
  }
  delete obj['stringData'];
  if (str(obj['type']) === '') obj['type'] = 'Opaque';
}

function decodedData(obj: KubeObject): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(record(obj['data']))) out.set(k, Buffer.from(str(v), 'base64'));
  return out;
}

/** ValidateSecret */
function validateSecret(obj: KubeObject): FieldError[] {
  const errs = validateObjectMeta(metadataOf(obj), { namespaced: true, nameRule: 'dns1123subdomain' });
  const data = decodedData(obj);
  let totalSize = 0;
  // Go ranges over the map in random order; sorted keys keep the answer stable.
  for (const key of [...data.keys()].sort()) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(keyPath('data', key), key, msg));
    totalSize += data.get(key)!.length;
  }
  if (totalSize > MAX_SECRET_SIZE) errs.push(tooLong('data', MAX_SECRET_SIZE));

  const type = str(obj['type']);
  const requireJsonObject = (key: string): void => {
    const bytes = data.get(key);
    if (bytes === undefined) {
      errs.push(required(keyPath('data', key)));
      return;
    }
    const problem = goJsonObjectError(bytes.toString('utf8'));
    if (problem !== undefined) errs.push(invalid(keyPath('data', key), REDACTED, problem));
  };
  switch (type) {
    case 'kubernetes.io/service-account-token':
      if (str(record(metadataOf(obj)['annotations'])['kubernetes.io/service-account.name']) === '') {
        errs.push(required(keyPath('metadata.annotations', 'kubernetes.io/service-account.name')));
      }
      break;
    case 'kubernetes.io/dockercfg':
      requireJsonObject('.dockercfg');
      break;
    case 'kubernetes.io/dockerconfigjson':
      requireJsonObject('.dockerconfigjson');
      break;
    case 'kubernetes.io/basic-auth':
      if (!data.has('username') && !data.has('password')) {
        errs.push(required(keyPath('data', 'username')), required(keyPath('data', 'password')));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if ((data.get('ssh-privatekey')?.length ?? 0) === 0) errs.push(required(keyPath('data', 'ssh-privatekey')));
      break;
    case 'kubernetes.io/tls':
      if (!data.has('tls.crt')) errs.push(required(keyPath('data', 'tls.crt')));
      if (!data.has('tls.key')) errs.push(required(keyPath('data', 'tls.key')));
      break;
    default:
      break;
  }
  return errs;
}

/** ValidateSecretUpdate */
function validateSecretUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateObjectMetaUpdate(metadataOf(obj), metadataOf(old));
  if (str(obj['type']) !== str(old['type'])) errs.push(invalid('type', str(obj['type']), FIELD_IMMUTABLE));
  if (old['immutable'] === true) {
    if (obj['immutable'] !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
    if (!deepEqual(record(obj['data']), record(old['data']))) errs.push(forbidden('data', 'field is immutable when `immutable` is set'));
  }
  errs.push(...validateSecret(obj));
  return errs;
}

export const secretKind = defineKind({
  group: '', version: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret',
  namespaced: true, shortNames: [], categories: [],
  verbs: STORE_VERBS,
  goType: SECRET,
  prepareForCreate: convertAndDefault,
  prepareForUpdate(obj, old) {
    convertAndDefault(obj);
    // the strategy keeps the old type when the new one is empty (defaulting makes that rare)
    if (str(obj['type']) === '') obj['type'] = old['type'];
  },
  validate: (obj, old) => (old ? validateSecretUpdate(obj, old) : validateSecret(obj)),
  warnings(obj) {
    if (str(obj['type']) !== 'kubernetes.io/tls') return [];
    const data = decodedData(obj);
    const problem = x509KeyPairError(data.get('tls.crt') ?? Buffer.alloc(0), data.get('tls.key') ?? Buffer.alloc(0));
    return problem === undefined ? [] : [problem];
  },
  allowUnconditionalUpdate: true,
  createOnUpdate: false,
  fieldSelectors: {
    type: (obj) => str(obj['type']),
  },
  tableColumns: [nameColumn(), column('Type', SECRET_TYPE_DOC), column('Data', SECRET_DATA_DOC), ageColumn()],
  tableCells(obj, now = Date.now()) {
    const meta = metadataOf(obj);
    return [str(meta['name']), str(obj['type']), Object.keys(record(obj['data'])).length, timestampSince(meta['creationTimestamp'], now)];
  },
});
