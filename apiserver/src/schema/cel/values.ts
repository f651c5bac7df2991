// Runtime values of the CEL evaluator and the conversion of custom-resource JSON into them
// (apiserver/pkg/cel/common/values.go): int64 as bigint, double as number, uint/timestamp/
// duration/optional/type as classes, objects and maps as CelMap, errors as CelError values so
// that && and || can absorb them as CEL requires.
import type { SizedType } from './types.js';
import { isJsonObject } from '../structural.js';

export class CelError {
  constructor(readonly message: string) {}
}
export class Uint {
  constructor(readonly v: bigint) {}
}
export class Timestamp {
  /** nanoseconds since the Unix epoch */
  constructor(readonly ns: bigint) {}
}
export class Duration {
  constructor(readonly ns: bigint) {}
}
export class Optional {
  constructor(readonly present: boolean, readonly value?: Value) {}
}
export class TypeValue {
  constructor(readonly name: string) {}
}

/** Maps and schema objects: keys kept with their CEL type so 1 and "1" differ. */
export class CelMap {
  readonly entries = new Map<string, { key: Value; value: Value }>();
  constructor(readonly isObject = false, readonly typeName = 'map') {}
  static keyOf(k: Value): string | undefined {
    if (typeof k === 'string') return `s:${k}`;
    if (typeof k === 'bigint') return `n:${k}`;
    if (k instanceof Uint) return `n:${k.v}`;
    if (typeof k === 'boolean') return `b:${k}`;
    if (typeof k === 'number' && Number.isInteger(k)) return `n:${BigInt(k)}`;
    return undefined;
  }
  set(k: Value, v: Value): void {
    const key = CelMap.keyOf(k);
    if (key !== undefined) this.entries.set(key, { key: k, value: v });
  }
  get(k: Value): Value | undefined {
    const key = CelMap.keyOf(k);
    return key === undefined ? undefined : this.entries.get(key)?.value;
  }
  has(k: Value): boolean {
    const key = CelMap.keyOf(k);
    return key !== undefined && this.entries.has(key);
  }
  keys(): Value[] {
    return [...this.entries.values()].map((e) => e.key);
  }
  get size(): number {
    return this.entries.size;
  }
}

export type Value = bigint | number | string | boolean | null | Uint8Array | Uint | Timestamp | Duration | Optional | TypeValue | CelMap | Value[] | CelError;

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

export function typeOfValue(v: Value): string {
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v === null) return 'null_type';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof Uint) return 'uint';
  if (v instanceof Timestamp) return 'google.protobuf.Timestamp';
  if (v instanceof Duration) return 'google.protobuf.Duration';
  if (v instanceof Optional) return 'optional_type';
  if (v instanceof TypeValue) return 'type';
  if (v instanceof CelMap) return v.isObject ? v.typeName : 'map';
  if (Array.isArray(v)) return 'list';
  return 'error';
}

export function celEquals(a: Value, b: Value): boolean {
  const num = (x: Value) => (typeof x === 'bigint' || typeof x === 'number' || x instanceof Uint);
  if (num(a) && num(b)) {
    const x = a instanceof Uint ? a.v : a;
    const y = b instanceof Uint ? b.v : b;
    if (typeof x === 'number' && Number.isNaN(x)) return false;
    if (typeof y === 'number' && Number.isNaN(y)) return false;

    return (x as number) == (y as number);
  }
  if (typeof a !== typeof b) return false;
  if (a === null || b === null) return a === b;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (a instanceof Timestamp && b instanceof Timestamp) return a.ns === b.ns;
  if (a instanceof Duration && b instanceof Duration) return a.ns === b.ns;
  if (a instanceof Optional && b instanceof Optional) return a.present === b.present && (!a.present || celEquals(a.value as Value, b.value as Value));
  if (a instanceof TypeValue && b instanceof TypeValue) return a.name === b.name;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (a instanceof CelMap && b instanceof CelMap) {
    if (a.size !== b.size) return false;
    for (const [k, e] of a.entries) {
      const o = b.entries.get(k);
      if (!o || !celEquals(e.value, o.value)) return false;
    }
    return true;
  }
  if (a instanceof CelMap || b instanceof CelMap || Array.isArray(a) || Array.isArray(b)) return false;
  return a === b;
}

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2}))$/;

export function parseTimestamp(s: string): Timestamp | undefined {
  const m = rfc3339.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, se);
  const check = new Date(ms);
  if (check.getUTCDate() !== d) return undefined;
  let ns = BigInt(ms) * 1000000n;
  if (m[7]) ns += BigInt(m[7].slice(1).padEnd(9, '0'));
  if (m[9]) {
    const off = (Number(m[10]) * 60 + Number(m[11])) * 60;
    ns -= BigInt(m[9] === '+' ? off : -off) * 1000000000n;
  }
  const t = new Timestamp(ns);
  if (ns < -62135596800000000000n || ns > 253402300799999999999n) return undefined;
  return t;
}

function parseDate(s: string): Timestamp | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  return parseTimestamp(`${s}T00:00:00Z`);
}

const durUnits: Record<string, bigint> = { ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1000000n, s: 1000000000n, m: 60000000000n, h: 3600000000000n };

/** time.ParseDuration */
export function parseDuration(s: string): Duration | undefined {
  let rest = s;
  let neg = false;
  if (rest.startsWith('-') || rest.startsWith('+')) { neg = rest[0] === '-'; rest = rest.slice(1); }
  if (rest === '0') return new Duration(0n);
  if (rest === '') return undefined;
  let total = 0n;
  while (rest.length > 0) {
    const m = /^(\d*)(\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!m || (m[1] === '' && (m[3] ?? '') === '')) return undefined;
    const unit = durUnits[m[4]];
    const whole = BigInt(m[1] || '0') * unit;
    let frac = 0n;
    if (m[3]) frac = (BigInt(m[3]) * unit) / 10n ** BigInt(m[3].length);
    total += whole + frac;
    rest = rest.slice(m[0].length);
  }
  if (total > INT64_MAX) return undefined;
  return new Duration(neg ? -total : total);
}

/** Convert unstructured JSON into a CEL value of the schema's type (UnstructuredToVal). */
export function fromJson(v: unknown, t: SizedType | undefined): Value {
  if (v === null || v === undefined) return null;
  if (!t) return fromJsonDyn(v);
  switch (t.type.k) {
    case 'int':
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
      return new CelError(`invalid data, expected int, got ${typeof v === 'number' ? 'float64' : typeof v}`);
    case 'double':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      return new CelError(`invalid data, expected float, got ${typeof v}`);
    case 'bool':
      return typeof v === 'boolean' ? v : new CelError(`invalid data, expected bool, got ${typeof v}`);
    case 'string':
      return typeof v === 'string' ? v : new CelError(`invalid data, expected string, got ${typeof v}`);
    case 'bytes':
      return typeof v === 'string' ? Uint8Array.from(Buffer.from(v, 'base64')) : new CelError(`invalid data, expected byte array encoded as base64 string, got ${typeof v}`);
    case 'timestamp': {
      if (typeof v !== 'string') return new CelError(`invalid data, expected Timestamp, got ${typeof v}`);
      const ts = t.schema?.format === 'date' ? parseDate(v) : parseTimestamp(v);
      return ts ?? new CelError(`invalid data, expected Timestamp, got ${v}`);
    }
    case 'duration': {
      if (typeof v !== 'string') return new CelError(`invalid data, expected Duration, got ${typeof v}`);
      return parseDuration(v) ?? new CelError(`invalid data, expected Duration, got ${v}`);
    }
    case 'dyn':
      return fromJsonDyn(v);
    case 'list':
      if (!Array.isArray(v)) return new CelError(`invalid data, expected []interface{}, got ${typeof v}`);
      return v.map((x) => fromJson(x, t.elem));
    case 'map': {
      if (!isJsonObject(v)) return new CelError('invalid data, expected a map for the provided schema with type=object');
      const m = new CelMap();
      for (const [k, x] of Object.entries(v)) m.set(k, fromJson(x, t.elem));
      return m;
    }
    case 'object': {
      if (!isJsonObject(v)) return new CelError('invalid data, expected a map for the provided schema with type=object');
      const m = new CelMap(true, t.type.name);
      for (const [celName, jsonName] of t.propNames ?? []) {
        if (Object.prototype.hasOwnProperty.call(v, jsonName)) m.set(celName, fromJson(v[jsonName], t.fields?.get(celName)));
      }
      return m;
    }
    default:
      return fromJsonDyn(v);
  }
}

function fromJsonDyn(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : v;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(fromJsonDyn);
  const m = new CelMap();
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) m.set(k, fromJsonDyn(x));
  return m;
}
