// JSON in and out of the Go types, with encoding/json's rules (the sigs.k8s.io/json flavour the
// apiserver decodes with: case-sensitive names, unknown fields reported by path).
//
// A decoded value ("GoValue") keeps what a Go struct would hold: a struct is an object holding only
// the fields that are set (non-zero, or a non-nil pointer), a map is a Map, a slice an array (absent
// = nil), []byte a Buffer, a time a bigint of microseconds, FieldsV1 a { raw } box.
import { BuiltinDecodeError } from '../types.js';
import { GoTimeParseError, formatGoTime, parseGoTime } from './go-time.js';
import type { GoField, GoStruct, GoType } from './model.js';

export type GoValue = string | number | boolean | bigint | Buffer | GoStructValue | GoValue[] | Map<string, GoValue> | RawJson;
export interface GoStructValue { [json: string]: GoValue }
interface RawJson { raw: unknown }

interface DecodeContext {
  unknown: string[];
  /** the first type error, as encoding/json keeps only the first one */
  firstError?: string;
  structName?: string;
  fieldStack: string[];
}

/** Go's reflect type string for error messages */
function goTypeString(type: GoType): string {
  switch (type.kind) {
    case 'bytes': return '[]uint8';
    case 'stringList': return 'v1.ExtraValue';
    case 'slice': return `[]${goTypeString(type.elem)}`;
    case 'map': return `map[string]${goTypeString(type.value)}`;
    case 'struct': return `v1.${type.name}`;
    case 'time': return 'v1.Time';
    case 'microtime': return 'v1.MicroTime';
    case 'rawJson': return 'v1.FieldsV1';
    case 'intOrString': return 'intstr.IntOrString';
    default: return type.kind;
  }
}

function jsonKindName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

function typeError(ctx: DecodeContext, value: string, type: GoType): void {
  if (ctx.firstError !== undefined) return;
  ctx.firstError = ctx.structName !== undefined || ctx.fieldStack.length > 0
    ? `json: cannot unmarshal ${value} into Go struct field ${ctx.structName ?? ''}.${ctx.fieldStack.join('.')} of type ${goTypeString(type)}`
    : `json: cannot unmarshal ${value} into Go value of type ${goTypeString(type)}`;
}

function saveError(ctx: DecodeContext, message: string): void {
  if (ctx.firstError === undefined) ctx.firstError = message;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const isNewline = (c: number | undefined): boolean => c === 0x0a || c === 0x0d;

/** Go's base64.StdEncoding.Decode: newlines are skipped, padding is required, and an error names
 *  the byte offset Go's decodeQuantum names ("illegal base64 data at input byte N"). */
export function decodeGoBase64(text: string): Buffer | string {
  const src = Buffer.from(text, 'utf8');
  const corrupt = (at: number): string => `illegal base64 data at input byte ${at}`;
  const out: number[] = [];
  let si = 0;
  for (;;) {
    const quantum: number[] = [];
    let padded = false;
    while (quantum.length < 4) {
      if (si === src.length) {
        if (quantum.length === 0) return Buffer.from(out);
        return corrupt(si - quantum.length);
      }
      const c = src[si]!;
      si++;
      const v = BASE64_ALPHABET.indexOf(String.fromCharCode(c));
      if (c < 0x80 && v >= 0) {
        quantum.push(v);
        continue;
      }
      if (isNewline(c)) continue;
      if (c !== 0x3d) return corrupt(si - 1);
      if (quantum.length < 2) return corrupt(si - 1);
      if (quantum.length === 2) {
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) return corrupt(src.length);
        if (src[si] !== 0x3d) return corrupt(si - 1);
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      if (si < src.length) return corrupt(si);
      padded = true;
      break;
    }
    const [a = 0, b = 0, c = 0, d = 0] = quantum;
    const bits = (a << 18) | (b << 12) | (c << 6) | d;
    out.push((bits >> 16) & 0xff);
    if (quantum.length > 2) out.push((bits >> 8) & 0xff);
    if (quantum.length > 3) out.push(bits & 0xff);
    if (padded) return Buffer.from(out);
  }
}

function decodeValue(type: GoType, json: unknown, path: string, ctx: DecodeContext): GoValue | undefined {
  if (json === null) return undefined;
  switch (type.kind) {
    case 'string':
      if (typeof json !== 'string') return void typeError(ctx, jsonKindName(json), type);
      return json;
    case 'bool':
      if (typeof json !== 'boolean') return void typeError(ctx, jsonKindName(json), type);
      return json;
    case 'int32': case 'int64': {
      if (typeof json !== 'number') return void typeError(ctx, jsonKindName(json), type);
      const limit = type.kind === 'int32' ? 2 ** 31 : 2 ** 63;
      if (!Number.isInteger(json) || json < -limit || json >= limit) return void typeError(ctx, `number ${String(json)}`, type);
      return json;
    }
    case 'bytes': {
      if (typeof json !== 'string') return void typeError(ctx, jsonKindName(json), type);
      const bytes = decodeGoBase64(json);
      if (typeof bytes === 'string') return void saveError(ctx, bytes);
      return bytes;
    }
    case 'time': case 'microtime': {
      if (typeof json !== 'string') return void saveError(ctx, `json: cannot unmarshal ${jsonKindName(json)} into Go value of type string`);
      try {
        const micros = parseGoTime(json, type.kind === 'microtime');
        return type.kind === 'time' ? micros - (((micros % 1_000_000n) + 1_000_000n) % 1_000_000n) : micros;
      } catch (err) {
        if (err instanceof GoTimeParseError) return void saveError(ctx, err.message);
        throw err;
      }
    }
    case 'rawJson':
      return { raw: json };
    case 'intOrString':
      // IntOrString.UnmarshalJSON: a quoted string, else an int32
      if (typeof json === 'string') return { raw: json };
      if (typeof json !== 'number' || !Number.isInteger(json) || json < -(2 ** 31) || json >= 2 ** 31) {
        return void saveError(ctx, `json: cannot unmarshal ${jsonKindName(json)} into Go value of type int32`);
      }
      return { raw: json };
    case 'stringList': case 'slice': {
      if (!Array.isArray(json)) return void typeError(ctx, jsonKindName(json), type);
      const elem = type.kind === 'slice' ? type.elem : { kind: 'string' as const };
      return json.map((item, i) => decodeValue(elem, item, `${path}[${i}]`, ctx) ?? zeroOf(elem));
    }
    case 'map': {
      if (json === null || typeof json !== 'object' || Array.isArray(json)) return void typeError(ctx, jsonKindName(json), type);
      const out = new Map<string, GoValue>();
      for (const [key, item] of Object.entries(json)) out.set(key, decodeValue(type.value, item, `${path}.${key}`, ctx) ?? zeroOf(type.value));
      return out;
    }
    case 'struct':
      if (typeof json !== 'object' || Array.isArray(json)) return void typeError(ctx, jsonKindName(json), type);
      return decodeStruct(type, json as Record<string, unknown>, path, ctx);
  }
}

function decodeStruct(type: GoStruct, json: Record<string, unknown>, path: string, ctx: DecodeContext): GoStructValue {
  const out: GoStructValue = {};
  for (const [key, item] of Object.entries(json)) {
    const field = type.fields.find((f) => f.json === key);
    const fieldPath = path === '' ? key : `${path}.${key}`;
    if (!field) {
      ctx.unknown.push(fieldPath);
      continue;
    }
    const saved = { structName: ctx.structName, depth: ctx.fieldStack.length };
    ctx.structName = type.name;
    ctx.fieldStack.push(key);
    const value = decodeValue(field.type, item, fieldPath, ctx);
    ctx.fieldStack.length = saved.depth;
    ctx.structName = saved.structName;
    if (value !== undefined && (field.pointer || !isZero(field.type, value))) out[key] = value;
    else delete out[key];
  }
  return out;
}

/** The zero value Go stores for a map or slice element that was null */
function zeroOf(type: GoType): GoValue {
  switch (type.kind) {
    case 'string': return '';
    case 'bool': return false;
    case 'int32': case 'int64': return 0;
    case 'bytes': return Buffer.alloc(0);
    case 'time': case 'microtime': return 0n;
    case 'struct': return {};
    case 'map': return new Map();
    case 'rawJson': return { raw: null };
    case 'intOrString': return { raw: 0 };
    default: return [];
  }
}

/** Whether a non-pointer field holding this value is Go's zero value (and so not worth keeping) */
function isZero(type: GoType, value: GoValue): boolean {
  switch (type.kind) {
    case 'string': return value === '';
    case 'bool': return value === false;
    case 'int32': case 'int64': return value === 0;
    case 'time': case 'microtime': return false;
    case 'struct': return Object.keys(value as GoStructValue).length === 0;
    default: return false;
  }
}

interface DecodedObject {
  value: GoStructValue;
  unknownFields: string[];
  error?: string;
}

/** Decode parsed JSON into a Go struct value the way the apiserver's strict JSON decoder does. */
export function decodeGoJson(type: GoStruct, json: unknown): DecodedObject {
  const ctx: DecodeContext = { unknown: [], fieldStack: [] };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    typeError(ctx, jsonKindName(json), type);
    return { value: {}, unknownFields: [], error: ctx.firstError };
  }
  const value = decodeStruct(type, json as Record<string, unknown>, '', ctx);
  return { value, unknownFields: ctx.unknown, ...(ctx.firstError !== undefined ? { error: ctx.firstError } : {}) };
}

function encodeValue(type: GoType, value: GoValue): unknown {
  switch (type.kind) {
    case 'bytes': return (value as Buffer).toString('base64');
    case 'time': return formatGoTime(value as bigint, false);
    case 'microtime': return formatGoTime(value as bigint, true);
    case 'rawJson': case 'intOrString': return (value as RawJson).raw;
    case 'stringList': return [...(value as GoValue[])];
    case 'slice': return (value as GoValue[]).map((item) => encodeValue(type.elem, item));
    case 'map': {
      const entries = [...(value as Map<string, GoValue>).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return Object.fromEntries(entries.map(([k, v]) => [k, encodeValue(type.value, v)]));
    }
    case 'struct': return encodeStruct(type, value as GoStructValue);
    default: return value;
  }
}

/** The JSON encoding/json writes for a field that holds nothing (zero value / nil) */
function encodeAbsent(field: GoField): unknown {
  const t = field.type.kind;
  if (t === 'time' || t === 'microtime') return field.pointer ? (field.omitEmpty ? undefined : null) : null;
  if (t === 'struct' && !field.pointer) return encodeStruct(field.type as GoStruct, {});
  if (t === 'intOrString' && !field.pointer) return 0;
  if (field.omitEmpty) return undefined;
  if (field.pointer || t === 'slice' || t === 'map' || t === 'bytes' || t === 'stringList' || t === 'rawJson' || t === 'struct') return null;
  return t === 'string' ? '' : t === 'bool' ? false : 0;
}

function isEmptyCollection(type: GoType, value: GoValue): boolean {
  if (type.kind === 'map') return (value as Map<string, GoValue>).size === 0;
  if (type.kind === 'slice' || type.kind === 'stringList') return (value as GoValue[]).length === 0;
  if (type.kind === 'bytes') return (value as Buffer).length === 0;
  return false;
}

export function encodeStruct(type: GoStruct, value: GoStructValue): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fields) {
    const held = value[field.json];
    let encoded: unknown;
    if (held === undefined) encoded = encodeAbsent(field);
    else if (field.omitEmpty && isEmptyCollection(field.type, held)) encoded = undefined;
    else encoded = encodeValue(field.type, held);
    if (encoded !== undefined) out[field.json] = encoded;
  }
  return out;
}

/** decode then encode, as a Go server stores and prints an object, with the unknown field paths
 *  that decoding reported; a type error throws BuiltinDecodeError */
export function decodeAndNormalizeGoJson(type: GoStruct, json: unknown): { value: Record<string, unknown>; unknownFields: string[] } {
  const decoded = decodeGoJson(type, json);
  if (decoded.error !== undefined) throw new BuiltinDecodeError(decoded.error);
  return { value: encodeStruct(type, decoded.value), unknownFields: decoded.unknownFields };
}

/** normalize: decode then encode, as a Go server stores and prints an object */
export function normalizeGoJson(type: GoStruct, json: unknown): Record<string, unknown> {
  return decodeAndNormalizeGoJson(type, json).value;
}
