// Strategic merge patch as apimachinery's pkg/util/strategicpatch applies it on the server
// (StrategicMergeMapPatch: MergeParallelList and IgnoreUnmatchedNulls on), with the patch metadata
// (patchStrategy / patchMergeKey tags) read from the kind's Go type description, and the errors
// the patch handler turns them into (interpretStrategicMergePatchError).
//
// Go's maps are unordered; this walks keys in the patch's order, which only decides which of
// several errors is reported. Go's sort.SliceStable is reproduced exactly, because the ordering
// functions it is given are not consistent and the resulting list order is visible to clients.
import type { BuiltinKindWithType } from './kind-base.js';
import type { GoStruct, GoType } from './go-schema/model.js';
import { reflectKindName } from './go-schema/model.js';
import { goV } from '../schema/go-format.js';
import { sliceStable } from './go-sort.js';
import { BuiltinRequestError, type BuiltinErrorReason, type BuiltinKind, type KubeObject } from './types.js';

type JsonMap = Record<string, unknown>;

const DIRECTIVE = '$patch';
const DELETE = 'delete';
const REPLACE = 'replace';
const MERGE = 'merge';
const RETAIN_KEYS_STRATEGY = 'retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder';

/** A refusal (a BuiltinRequestError), with the exact metav1.Status the patch handler answers. */
export class StrategicMergePatchError extends BuiltinRequestError {
  readonly status: Record<string, unknown>;
  constructor(httpStatus: number, reason: BuiltinErrorReason, message: string, options?: { cause?: unknown }) {
    super(httpStatus, reason, message, undefined, options);
    this.name = 'StrategicMergePatchError';
    this.status = {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message,
      ...(reason ? { reason } : {}), ...(httpStatus === 422 ? { details: {} } : {}), code: httpStatus,
    };
  }
}

/** an error strategicpatch returns; interpret() maps it to the handler's answer */
class SmpFailure extends Error {}

const ERR_BAD_PATCH_FORMAT_FOR_PRIMITIVE_LIST = 'invalid patch format of primitive list';
const ERR_BAD_PATCH_FORMAT_FOR_RETAIN_KEYS = 'invalid patch format of retainKeys';
const ERR_BAD_PATCH_FORMAT_FOR_SET_ELEMENT_ORDER_LIST = 'invalid patch format of setElementOrder list';
const ERR_NO_LIST_OF_LISTS = 'lists of lists are not supported';
const BAD_REQUEST_ERRORS = new Set([ERR_BAD_PATCH_FORMAT_FOR_PRIMITIVE_LIST, ERR_BAD_PATCH_FORMAT_FOR_RETAIN_KEYS, ERR_BAD_PATCH_FORMAT_FOR_SET_ELEMENT_ORDER_LIST]);
const INVALID_ERRORS = new Set([ERR_NO_LIST_OF_LISTS]);

function fail(message: string): never {
  throw new SmpFailure(message);
}

// ---- Go's view of JSON values ----------------------------------------------------------------

const isMap = (v: unknown): v is JsonMap => v !== null && typeof v === 'object' && !Array.isArray(v);

/** the Go dynamic type of a decoded JSON value (kjson preserves integers as int64) */
function goTypeOf(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v;
}

/** reflect Kind of a decoded JSON value */
const kindOf = (v: unknown): string => (Array.isArray(v) ? 'slice' : isMap(v) ? 'map' : goTypeOf(v));

/** %s of an interface value */
function goS(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '%!s(<nil>)';
  return `%!s(${goTypeOf(v)}=${goV(v)})`;
}

const errBadArgType = (expected: string, actual: unknown): string => `expected a ${expected}, but received a ${actual === null || actual === undefined ? '%!s(<nil>)' : goTypeOf(actual)}`;
const errNoMergeKey = (m: JsonMap, key: string): string => `map: ${goV(m)} does not contain declared merge key: ${key}`;
const errBadPatchType = (t: unknown, m: JsonMap): string => `unknown patch type: ${goS(t)} in map: ${goV(m)}`;

// ---- patch metadata from the Go type ---------------------------------------------------------

interface PatchMeta { strategies: string[]; mergeKey: string }
/** the Go type a lookup navigates; undefined stands for interface{} values */
type Schema = GoType;

const FIELDS_V1: GoStruct = { kind: 'struct', name: 'FieldsV1', fields: [] };

function structOf(t: Schema): GoStruct | undefined {
  if (t.kind === 'struct') return t;
  if (t.kind === 'rawJson') return FIELDS_V1;
  return undefined;
}

/** forkedjson.LookupPatchMetadataForStruct: exact JSON name first, else a case-insensitive match */
function lookupStruct(t: Schema, key: string): [Schema, PatchMeta] {
  const s = structOf(t);
  if (!s) fail(`merging an object in json but data type is not struct, instead is: ${reflectKindName(t)}`);
  const field = s.fields.find((f) => f.json === key) ?? s.fields.find((f) => f.json.toLowerCase() === key.toLowerCase());
  if (!field) fail(`unable to find api field in struct ${s.name} for the json field ${JSON.stringify(key)}`);
  return [field.type, { strategies: (field.patchStrategy ?? '').split(','), mergeKey: field.patchMergeKey ?? '' }];
}

function lookupSlice(t: Schema, key: string): [Schema, PatchMeta] {
  const [sub, meta] = lookupStruct(t, key);
  if (sub.kind === 'slice') return [sub.elem, meta];
  if (sub.kind === 'stringList') return [{ kind: 'string' }, meta];
  if (sub.kind === 'bytes') return [{ kind: 'int32' }, meta];
  return fail(`expected slice or array type, but got: ${reflectKindName(t)}`);
}

/** extractRetainKeysPatchStrategy: the strategy other than retainKeys */
function otherStrategy(strategies: string[]): string {
  if (strategies.length === 1) return strategies[0] === RETAIN_KEYS_STRATEGY ? '' : strategies[0]!;
  if (strategies.length === 2) {
    if (strategies[0] === RETAIN_KEYS_STRATEGY) return strategies[1]!;
    if (strategies[1] === RETAIN_KEYS_STRATEGY) return strategies[0]!;
  }
  return fail(`unexpected patch strategy: [${strategies.join(' ')}]`);
}

// ---- list helpers ----------------------------------------------------------------------------

/** the value index() compares: the merge key's value for maps, the item itself otherwise */
function keyValue(item: unknown, mergeKey: string, kind: string): unknown {
  if (kind === 'map') return isMap(item) ? item[mergeKey] : undefined;
  return item;
}

function indexOf(list: unknown[], item: unknown, mergeKey: string, kind: string): number {
  const want = keyValue(item, mergeKey, kind);
  return list.findIndex((v) => keyValue(v, mergeKey, kind) === want);
}

function validateMergeKeyInLists(mergeKey: string, ...lists: unknown[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isMap(item)) fail(errBadArgType('map[string]interface {}', item));
      if (!(mergeKey in item)) fail(errNoMergeKey(item, mergeKey));
    }
  }
}

function extractToDeleteItems(list: unknown[]): [unknown[], unknown[]] {
  const keep: unknown[] = [];
  const del: unknown[] = [];
  for (const v of list) {
    if (!isMap(v)) fail(errBadArgType('map[string]interface {}', v));
    if (v[DIRECTIVE] === DELETE) del.push(v);
    else keep.push(v);
  }
  return [keep, del];
}

function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: string): unknown[] {
  let items = [...toSort];
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, items, order);
    [items, toDelete] = extractToDeleteItems(items);
  }
  sliceStable(items, (x, y) => {
    const ii = indexOf(order, x, mergeKey, kind);
    if (ii >= 0) {
      const ij = indexOf(order, y, mergeKey, kind);
      if (ij >= 0) return ii < ij;
    }
    return true;
  });
  return [...items, ...toDelete];
}

function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: string): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (out.length < left.length + right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexOf(serverOrder, left[i], mergeKey, kind);
      const ri = indexOf(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function normalizeElementOrder(patch: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: string): unknown[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

function findMapByKey(list: unknown[], key: string, value: unknown): [JsonMap, number] | undefined {
  for (let k = 0; k < list.length; k++) {
    const v = list[k];
    if (!isMap(v)) fail(`value for key ${k} is not a map`);
    if (key in v && v[key] === value) return [v, k];
  }
  return undefined;
}

function partitionPrimitives(merged: unknown[], by: unknown[]): [unknown[], unknown[]] {
  const inPatch = new Set(by);
  return [merged.filter((v) => inPatch.has(v)), merged.filter((v) => !inPatch.has(v))];
}

function partitionMaps(merged: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of merged) {
    if (!isMap(v)) fail(errBadArgType('map[string]interface {}', v));
    if (!(mergeKey in v)) fail(errNoMergeKey(v, mergeKey));
    (findMapByKey(by, mergeKey, v[mergeKey]) ? patch : serverOnly).push(v);
  }
  return [patch, serverOnly];
}

/** sliceElementType: the (single) Go kind of every element of the lists */
function sliceElementKind(...lists: unknown[][]): string {
  let prev: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const t = goTypeOf(v);
      if (prev === undefined) {
        prev = t;
        if (t === '[]interface {}') fail(ERR_NO_LIST_OF_LISTS);
      } else if (prev !== t) {
        fail(`list element types are not identical: [${lists.map((l) => goV(l)).join(' ')}]`);
      }
    }
  }
  if (prev === undefined) fail('no elements in any of the given slices');
  return prev === 'map[string]interface {}' ? 'map' : prev;
}

/** Go's "clever" in-place deduplication, which moves the last element into each duplicate's slot */
function deduplicateScalars(s: unknown[]): unknown[] {
  const out = [...s];
  let length = out.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (out[i] === out[j]) {
        out[j] = out[length];
        out.length = length;
        length--;
        j--;
      }
    }
  }
  return out;
}

function removeDirectives(obj: unknown): [unknown, boolean] {
  if (isMap(obj)) {
    if (DIRECTIVE in obj) return [undefined, false];
    for (const k of Object.keys(obj)) {
      const [v, keep] = removeDirectives(obj[k]);
      if (keep) obj[k] = v;
      else delete obj[k];
    }
    return [obj, true];
  }
  if (Array.isArray(obj)) {
    const res: unknown[] = [];
    for (const v of obj) {
      const [nv, keep] = removeDirectives(v);
      if (keep) res.push(nv);
    }
    return [res, true];
  }
  return [obj, true];
}

function discardNullValues(v: unknown): void {
  if (isMap(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else discardNullValues(v[k]);
    }
  } else if (Array.isArray(v)) {
    v.forEach(discardNullValues);
  }
}

// ---- the merge -------------------------------------------------------------------------------

function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST) fail(ERR_BAD_PATCH_FORMAT_FOR_PRIMITIVE_LIST);
    fail(ERR_BAD_PATCH_FORMAT_FOR_SET_ELEMENT_ORDER_LIST);
  }
  return s.slice(slash + 1);
}

function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!(RETAIN_KEYS in patch)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) fail(ERR_BAD_PATCH_FORMAT_FOR_RETAIN_KEYS);
  const keep = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(k)) fail(ERR_BAD_PATCH_FORMAT_FOR_RETAIN_KEYS);
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

function validatePatchWithSetOrderList(patchList: unknown[], setOrder: unknown[], mergeKey: string): void {
  if (setOrder.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey.length > 0 ? extractToDeleteItems(patchList)[0] : patchList;
  let p = 0;
  let s = 0;
  while (p < nonDelete.length && s < setOrder.length) {
    if (isMap(nonDelete[p]) && DIRECTIVE in (nonDelete[p] as JsonMap)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(nonDelete[p], setOrder[s], mergeKey)) p++;
    s++;
  }
  if (p < nonDelete.length && s >= setOrder.length) {
    fail(`The order in patch list:\n${goV(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goV(setOrder)}\n`);
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey.length === 0) return left === right;
  if (!isMap(left)) fail(errBadArgType('map[string]interface {}', left));
  if (!isMap(right)) fail(errBadArgType('map[string]interface {}', right));
  if (!(mergeKey in left)) fail(errNoMergeKey(left, mergeKey));
  if (!(mergeKey in right)) fail(errNoMergeKey(right, mergeKey));
  return left[mergeKey] === right[mergeKey];
}

/** mergePatchIntoOriginal: the $setElementOrder lists and the lists they order */
function mergeSetElementOrder(original: JsonMap, patch: JsonMap, schema: Schema): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) fail(errBadArgType('[]interface {}', order));
    const originalKey = extractKey(key, SET_ELEMENT_ORDER);
    const foundOriginal = originalKey in original;
    const foundPatch = originalKey in patch;
    const originalList = original[originalKey];
    const patchList = patch[originalKey];
    if (foundOriginal && !Array.isArray(originalList)) fail(errBadArgType('[]interface {}', originalList));
    if (foundPatch && !Array.isArray(patchList)) fail(errBadArgType('[]interface {}', patchList));
    const [sub, meta] = lookupSlice(schema, originalKey);
    const strategy = otherStrategy(meta.strategies);
    const originalValues = foundOriginal ? (originalList as unknown[]) : [];
    const patchValues = foundPatch ? (patchList as unknown[]) : [];
    validatePatchWithSetOrderList(patchValues, order, meta.mergeKey);

    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalValues;
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patchValues)[0] as unknown[];
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(originalValues, patchValues, sub, strategy, meta.mergeKey, false);
    else continue;

    const [patchItems, serverOnly] = meta.mergeKey.length === 0
      ? partitionPrimitives(merged, order)
      : partitionMaps(merged, order, meta.mergeKey);
    const kind = sliceElementKind(originalValues, patchValues);
    original[originalKey] = normalizeElementOrder(patchItems, serverOnly, order, originalValues, meta.mergeKey, kind);
    delete patch[originalKey];
  }
}

function mergeMap(originalIn: JsonMap | undefined, patch: JsonMap, schema: Schema): JsonMap {
  if (DIRECTIVE in patch) {
    const directive = patch[DIRECTIVE];
    if (directive === REPLACE) {
      delete patch[DIRECTIVE];
      return patch;
    }
    if (directive === DELETE) return {};
    fail(errBadPatchType(directive, patch));
  }
  const original = originalIn ?? {};
  applyRetainKeys(original, patch);
  mergeSetElementOrder(original, patch, schema);

  for (const rawKey of Object.keys(patch)) {
    const patchV = patch[rawKey];
    let key = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      key = extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete original[key];
      continue;
    }
    const takePatch = (): void => {
      if (isDeleteList) return;
      discardNullValues(patchV);
      const [v, keep] = removeDirectives(patchV);
      if (keep) original[key] = v;
      else delete original[key];
    };
    if (!(key in original)) {
      takePatch();
      continue;
    }
    const originalV = original[key];
    if (goTypeOf(originalV) !== goTypeOf(patchV)) {
      takePatch();
      continue;
    }
    const kind = kindOf(originalV);
    if (kind === 'map') {
      const [sub, meta] = lookupStruct(schema, key);
      const strategy = otherStrategy(meta.strategies);
      original[key] = strategy !== REPLACE ? mergeMap(originalV as JsonMap, patchV as JsonMap, sub) : patchV;
    } else if (kind === 'slice') {
      const [sub, meta] = lookupSlice(schema, key);
      const strategy = otherStrategy(meta.strategies);
      original[key] = mergeSliceHandler(originalV as unknown[], patchV as unknown[], sub, strategy, meta.mergeKey, isDeleteList);
    } else {
      takePatch();
    }
  }
  return original;
}

function mergeSliceHandler(original: unknown[], patch: unknown[], schema: Schema, strategy: string, mergeKey: string, isDeleteList: boolean): unknown[] {
  if (strategy === MERGE || isDeleteList) return mergeSlice(original, patch, schema, mergeKey, isDeleteList);
  return patch;
}

function mergeSlice(originalIn: unknown[], patchIn: unknown[], schema: Schema, mergeKey: string, isDeleteList: boolean): unknown[] {
  if (originalIn.length === 0 && patchIn.length === 0) return originalIn;
  const kind = sliceElementKind(originalIn, patchIn);
  let original = originalIn;
  let patch = patchIn;
  let merged: unknown[];
  if (kind !== 'map') {
    if (isDeleteList) {
      const toDelete = new Set(patch);
      return original.filter((v) => !toDelete.has(v));
    }
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (mergeKey === '') fail(`cannot merge lists without merge key for ${reflectKindName(schema)}`);
    [original, patch] = mergeSliceWithSpecialElements(original, patch, mergeKey);
    merged = mergeSliceWithoutSpecialElements(original, patch, mergeKey, schema);
  }
  const [patchItems, serverOnly] = mergeKey.length === 0 ? partitionPrimitives(merged, patch) : partitionMaps(merged, patch, mergeKey);
  return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind);
}

function mergeSliceWithSpecialElements(originalIn: unknown[], patch: unknown[], mergeKey: string): [unknown[], unknown[]] {
  let original = originalIn;
  const plain: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const m = v as JsonMap;
    if (!(DIRECTIVE in m)) {
      plain.push(v);
      continue;
    }
    const directive = m[DIRECTIVE];
    if (directive === DELETE) {
      if (!(mergeKey in m)) fail(errNoMergeKey(m, mergeKey));
      for (;;) {
        const found = findMapByKey(original, mergeKey, m[mergeKey]);
        if (!found) break;
        original = [...original.slice(0, found[1]), ...original.slice(found[1] + 1)];
      }
    } else if (directive === REPLACE) {
      replace = true;
    } else if (directive === MERGE) {
      fail('merging lists cannot yet be specified in the patch');
    } else {
      fail(errBadPatchType(directive, m));
    }
  }
  return replace ? [plain, []] : [original, plain];
}

function mergeSliceWithoutSpecialElements(originalIn: unknown[], patch: unknown[], mergeKey: string, schema: Schema): unknown[] {
  const original = [...originalIn];
  for (const v of patch) {
    const m = v as JsonMap;
    if (!(mergeKey in m)) fail(errNoMergeKey(m, mergeKey));
    const found = findMapByKey(original, mergeKey, m[mergeKey]);
    if (found) original[found[1]] = mergeMap(found[0], m, schema);
    else original.push(v);
  }
  return original;
}

function interpret(err: SmpFailure): StrategicMergePatchError {
  if (BAD_REQUEST_ERRORS.has(err.message)) return new StrategicMergePatchError(400, 'BadRequest', err.message, { cause: err });
  if (INVALID_ERRORS.has(err.message)) {
    return new StrategicMergePatchError(422, 'Invalid', 'the server rejected our request due to an error in our request', { cause: err });
  }
  // any other strategicpatch error reaches the client as a bare 500 with an empty reason
  return new StrategicMergePatchError(500, '', err.message, { cause: err });
}

/**
 * Apply a strategic merge patch to a stored built-in object, as the server's patch handler does.
 * `original` is the stored object in the kind's version; the result is the merged map, still to be
 * decoded like a request body (unknownFields / normalize). Neither argument is modified.
 */
export function strategicMergePatch(kind: BuiltinKind, original: KubeObject, patch: unknown): KubeObject {
  const goType = (kind as Partial<BuiltinKindWithType>).goType;
  if (!goType) throw new TypeError(`strategicMergePatch: ${kind.kind}.${kind.group} is not one of builtinKinds`);
  if (!isMap(patch)) {
    throw new StrategicMergePatchError(400, 'BadRequest', `json: cannot unmarshal ${Array.isArray(patch) ? 'array' : patch === null ? 'null' : goTypeOf(patch) === 'string' ? 'string' : 'number'} into Go value of type map[string]interface {}`);
  }
  try {
    return mergeMap(structuredClone(kind.normalize(original)), structuredClone(patch), goType);
  } catch (err) {
    if (err instanceof SmpFailure) throw interpret(err);
    throw err;
  }
}
