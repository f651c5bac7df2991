// The functions a CRD validation rule can call in Kubernetes 1.32 that this evaluator implements:
// CEL's standard library (operators, size, contains/startsWith/endsWith/matches, conversions,
// timestamp and duration), cel-go's strings v2 and sets extensions, optionals, and Kubernetes'
// lists and regex libraries. Each overload has its checker signature and its implementation.
// Functions of Kubernetes' CEL environment that are NOT implemented here are listed in
// `unimplementedFunctions`, so a rule using them is refused at CRD validation instead of failing
// later or being evaluated loosely.
import { compileGoRegexp, GoRegexpError } from '../go-regexp.js';
import { T, type CelType } from './types.js';
import { CelError, CelMap, celEquals, Duration, INT64_MAX, INT64_MIN, Optional, parseDuration, parseTimestamp, Timestamp, TypeValue, typeOfValue, Uint, type Value } from './values.js';

export interface Overload {
  id: string;
  /** receiver-style (target.fn(args)); the target is params[0] */
  receiver: boolean;
  params: CelType[];
  result: CelType;
  impl: (...args: Value[]) => Value;
  /** extra runtime cost beyond 1 (e.g. proportional to string length) */
  cost?: (...args: Value[]) => number;
}

const A = T.param('A');
const B = T.param('B');

const U64_MAX = 2n ** 64n - 1n;
const err = (m: string) => new CelError(m);

function checkInt(v: bigint): Value {
  return v < INT64_MIN || v > INT64_MAX ? err('integer overflow') : v;
}
function checkUint(v: bigint): Value {
  return v < 0n || v > U64_MAX ? err('unsigned integer overflow') : new Uint(v);
}
function runes(s: string): string[] {
  return Array.from(s);
}
const strCost = (s: Value) => Math.ceil((typeof s === 'string' ? s.length : 0) * 0.1);

function cmp(a: Value, b: Value): number | CelError {
  const n = (x: Value) => (x instanceof Uint ? x.v : x);
  const x = n(a);
  const y = n(b);
  if ((typeof x === 'bigint' || typeof x === 'number') && (typeof y === 'bigint' || typeof y === 'number')) {
    if (typeof x === 'number' && Number.isNaN(x)) return err('NaN values cannot be ordered');
    if (typeof y === 'number' && Number.isNaN(y)) return err('NaN values cannot be ordered');
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof x === 'string' && typeof y === 'string') {
    // Go compares strings bytewise (UTF-8), which orders code points; JS compares UTF-16 units.
    const ax = Buffer.from(x, 'utf8');
    return Buffer.compare(ax, Buffer.from(y, 'utf8'));
  }
  if (typeof x === 'boolean' && typeof y === 'boolean') return x === y ? 0 : x ? 1 : -1;
  if (x instanceof Uint8Array && y instanceof Uint8Array) return Buffer.compare(Buffer.from(x), Buffer.from(y));
  if (x instanceof Timestamp && y instanceof Timestamp) return x.ns < y.ns ? -1 : x.ns > y.ns ? 1 : 0;
  if (x instanceof Duration && y instanceof Duration) return x.ns < y.ns ? -1 : x.ns > y.ns ? 1 : 0;
  return err(`no such overload: ${typeOfValue(a)} < ${typeOfValue(b)}`);
}

function ov(id: string, params: CelType[], result: CelType, impl: Overload['impl'], cost?: Overload['cost']): Overload {
  return { id, receiver: false, params, result, impl, cost };
}
function rv(id: string, params: CelType[], result: CelType, impl: Overload['impl'], cost?: Overload['cost']): Overload {
  return { id, receiver: true, params, result, impl, cost };
}

const numeric = [T.int, T.uint, T.double];
const comparable = [T.int, T.uint, T.double, T.string, T.bytes, T.bool, T.timestamp, T.duration];

function arith(op: '+' | '-' | '*' | '/' | '%'): Overload[] {
  const fn = `_${op}_`;
  const out: Overload[] = [
    ov(`${fn}int`, [T.int, T.int], T.int, (a, b) => {
      const x = a as bigint; const y = b as bigint;
      if ((op === '/' || op === '%') && y === 0n) return err(op === '/' ? 'division by zero' : 'modulus by zero');
      if (op === '/' && x === INT64_MIN && y === -1n) return err('integer overflow');
      return checkInt(op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : x % y);
    }),
    ov(`${fn}uint`, [T.uint, T.uint], T.uint, (a, b) => {
      const x = (a as Uint).v; const y = (b as Uint).v;
      if ((op === '/' || op === '%') && y === 0n) return err(op === '/' ? 'division by zero' : 'modulus by zero');
      return checkUint(op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : x % y);
    }),
  ];
  if (op !== '%') {
    out.push(ov(`${fn}double`, [T.double, T.double], T.double, (a, b) => {
      const x = a as number; const y = b as number;
      return op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y;
    }));
  }
  if (op === '+') {
    out.push(
      ov('add_string', [T.string, T.string], T.string, (a, b) => (a as string) + (b as string), (a, b) => strCost(a) + strCost(b)),
      ov('add_bytes', [T.bytes, T.bytes], T.bytes, (a, b) => Uint8Array.from([...(a as Uint8Array), ...(b as Uint8Array)])),
      ov('add_list', [T.list(A), T.list(A)], T.list(A), (a, b) => [...(a as Value[]), ...(b as Value[])]),
      ov('add_timestamp_duration', [T.timestamp, T.duration], T.timestamp, (a, b) => new Timestamp((a as Timestamp).ns + (b as Duration).ns)),
      ov('add_duration_timestamp', [T.duration, T.timestamp], T.timestamp, (a, b) => new Timestamp((a as Duration).ns + (b as Timestamp).ns)),
      ov('add_duration_duration', [T.duration, T.duration], T.duration, (a, b) => new Duration((a as Duration).ns + (b as Duration).ns)),
    );
  }
  if (op === '-') {
    out.push(
      ov('subtract_timestamp_timestamp', [T.timestamp, T.timestamp], T.duration, (a, b) => new Duration((a as Timestamp).ns - (b as Timestamp).ns)),
      ov('subtract_timestamp_duration', [T.timestamp, T.duration], T.timestamp, (a, b) => new Timestamp((a as Timestamp).ns - (b as Duration).ns)),
      ov('subtract_duration_duration', [T.duration, T.duration], T.duration, (a, b) => new Duration((a as Duration).ns - (b as Duration).ns)),
    );
  }
  return out;
}

function ordering(fn: string, test: (c: number) => boolean): Overload[] {
  const out: Overload[] = [];
  for (const a of comparable) {
    const partners = numeric.some((n) => n.k === a.k) ? numeric : [a];
    for (const b of partners) {
      out.push(ov(`${fn}_${a.k}_${b.k}`, [a, b], T.bool, (x, y) => {
        const c = cmp(x, y);
        return c instanceof CelError ? c : test(c);
      }, (x) => (typeof x === 'string' ? strCost(x) : 0)));
    }
  }
  return out;
}

function sizeOf(v: Value): Value {
  if (typeof v === 'string') return BigInt(runes(v).length);
  if (v instanceof Uint8Array) return BigInt(v.length);
  if (Array.isArray(v)) return BigInt(v.length);
  if (v instanceof CelMap) return BigInt(v.size);
  return err(`no such overload: size(${typeOfValue(v)})`);
}

function regex(pattern: string): RegExp | CelError {
  try {
    return compileGoRegexp(pattern);
  } catch (e) {
    if (e instanceof GoRegexpError) return err(e.message);
    throw e;
  }
}

function toInt(v: Value): Value {
  if (typeof v === 'bigint') return v;
  if (v instanceof Uint) return v.v > INT64_MAX ? err('integer overflow') : v.v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v <= -(2 ** 63) - 1025 || v >= 2 ** 63) return err('double is out of integer range');
    return BigInt(Math.trunc(v));
  }
  if (typeof v === 'string') return /^[+-]?\d+$/.test(v) ? checkInt(BigInt(v)) : err(`cannot convert string '${v}' to int`);
  if (v instanceof Timestamp) return v.ns / 1000000000n - (v.ns % 1000000000n < 0n ? 1n : 0n);
  return err(`type conversion error from '${typeOfValue(v)}' to 'int'`);
}

function toUint(v: Value): Value {
  if (v instanceof Uint) return v;
  if (typeof v === 'bigint') return v < 0n ? err('unsigned integer overflow') : new Uint(v);
  if (typeof v === 'number') return !Number.isFinite(v) || v < 0 || v >= 18446744073709551616 ? err('double is out of uint range') : new Uint(BigInt(Math.trunc(v)));
  if (typeof v === 'string') return /^\+?\d+$/.test(v) ? checkUint(BigInt(v)) : err(`cannot convert string '${v}' to uint`);
  return err(`type conversion error from '${typeOfValue(v)}' to 'uint'`);
}

function toDouble(v: Value): Value {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Uint) return Number(v.v);
  if (typeof v === 'string') {
    const n = Number(v);
    return v.trim() !== '' && !Number.isNaN(n) ? n : err(`cannot convert string '${v}' to double`);
  }
  return err(`type conversion error from '${typeOfValue(v)}' to 'double'`);
}

function formatTimestamp(t: Timestamp): string {
  const ms = Number(t.ns / 1000000n - (t.ns % 1000000n < 0n ? 1n : 0n));
  const d = new Date(ms);
  let frac = (((t.ns % 1000000000n) + 1000000000n) % 1000000000n).toString().padStart(9, '0').replace(/0+$/, '');
  if (frac) frac = '.' + frac;
  return d.toISOString().replace(/\.\d{3}Z$/, `${frac}Z`);
}

function formatDuration(d: Duration): string {
  const s = Number(d.ns) / 1e9;
  return `${s}s`;
}

function toStr(v: Value): Value {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint) return v.v.toString();
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? String(v) : String(v).replace('e+', 'e+');
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Uint8Array) {
    const s = Buffer.from(v).toString('utf8');
    return Buffer.from(s, 'utf8').equals(Buffer.from(v)) ? s : err('invalid UTF-8 in bytes, cannot convert to string');
  }
  if (v instanceof Timestamp) return formatTimestamp(v);
  if (v instanceof Duration) return formatDuration(v);
  return err(`type conversion error from '${typeOfValue(v)}' to 'string'`);
}

function tsParts(t: Timestamp): Date {
  return new Date(Number(t.ns / 1000000n - (t.ns % 1000000n < 0n ? 1n : 0n)));
}

function listCompare(list: Value[], pick: (c: number) => boolean): Value {
  if (list.length === 0) return err('min/max of an empty list');
  let best = list[0];
  for (const x of list.slice(1)) {
    const c = cmp(x, best);
    if (c instanceof CelError) return c;
    if (pick(c)) best = x;
  }
  return best;
}

function sumList(list: Value[], zero: Value): Value {
  let acc = zero;
  for (const x of list) {
    if (typeof acc === 'bigint') acc = checkInt(acc + (x as bigint));
    else if (acc instanceof Uint) acc = checkUint(acc.v + (x as Uint).v);
    else if (typeof acc === 'number') acc = acc + (x as number);
    else if (acc instanceof Duration) acc = new Duration(acc.ns + (x as Duration).ns);
    if (acc instanceof CelError) return acc;
  }
  return acc;
}

function indexOfStr(s: string, sub: string, from: bigint | undefined, last: boolean): Value {
  const r = runes(s);
  const sr = runes(sub);
  const start = from === undefined ? (last ? r.length - sr.length : 0) : Number(from);
  if (from !== undefined && (start < 0 || start > r.length)) return err(`index out of range: ${from}`);
  const matchAt = (i: number) => sr.every((c, j) => r[i + j] === c);
  if (last) {
    for (let i = Math.min(start, r.length - sr.length); i >= 0; i--) if (matchAt(i)) return BigInt(i);
  } else {
    for (let i = start; i + sr.length <= r.length; i++) if (matchAt(i)) return BigInt(i);
  }
  return -1n;
}

export const functions = new Map<string, Overload[]>();
function def(name: string, ...ovs: Overload[]): void {
  functions.set(name, [...(functions.get(name) ?? []), ...ovs]);
}

def('_+_', ...arith('+'));
def('_-_', ...arith('-'));
def('_*_', ...arith('*'));
def('_/_', ...arith('/'));
def('_%_', ...arith('%'));
def('-_', ov('negate_int', [T.int], T.int, (a) => checkInt(-(a as bigint))), ov('negate_double', [T.double], T.double, (a) => -(a as number)));
def('!_', ov('logical_not', [T.bool], T.bool, (a) => !(a as boolean)));
def('_==_', ov('equals', [A, A], T.bool, (a, b) => celEquals(a, b), (a, b) => Math.min(strCost(a), strCost(b))));
def('_!=_', ov('not_equals', [A, A], T.bool, (a, b) => !celEquals(a, b), (a, b) => Math.min(strCost(a), strCost(b))));
def('_<_', ...ordering('less', (c) => c < 0));
def('_<=_', ...ordering('less_equals', (c) => c <= 0));
def('_>_', ...ordering('greater', (c) => c > 0));
def('_>=_', ...ordering('greater_equals', (c) => c >= 0));
def('@in',
  ov('in_list', [A, T.list(A)], T.bool, (a, l) => (l as Value[]).some((x) => celEquals(a, x)), (_a, l) => (Array.isArray(l) ? l.length : 0)),
  ov('in_map', [A, T.map(A, B)], T.bool, (a, m) => (m as CelMap).has(a)));
def('size',
  ov('size_string', [T.string], T.int, sizeOf), ov('size_bytes', [T.bytes], T.int, sizeOf),
  ov('size_list', [T.list(A)], T.int, sizeOf), ov('size_map', [T.map(A, B)], T.int, sizeOf),
  rv('string_size', [T.string], T.int, sizeOf), rv('bytes_size', [T.bytes], T.int, sizeOf),
  rv('list_size', [T.list(A)], T.int, sizeOf), rv('map_size', [T.map(A, B)], T.int, sizeOf));
def('contains', rv('contains_string', [T.string, T.string], T.bool, (s, x) => (s as string).includes(x as string), strCost));
def('startsWith', rv('starts_with_string', [T.string, T.string], T.bool, (s, x) => (s as string).startsWith(x as string), (_s, x) => strCost(x)));
def('endsWith', rv('ends_with_string', [T.string, T.string], T.bool, (s, x) => (s as string).endsWith(x as string), (_s, x) => strCost(x)));
const matchesImpl = (s: Value, p: Value): Value => {
  const re = regex(p as string);
  return re instanceof CelError ? re : re.test(s as string);
};
def('matches', ov('matches', [T.string, T.string], T.bool, matchesImpl, (s, p) => strCost(s) * Math.max(1, strCost(p))),
  rv('matches_string', [T.string, T.string], T.bool, matchesImpl, (s, p) => strCost(s) * Math.max(1, strCost(p))));
def('int', ...[T.int, T.uint, T.double, T.string, T.timestamp].map((t) => ov(`${t.k}_to_int`, [t], T.int, toInt)));
def('uint', ...[T.int, T.uint, T.double, T.string].map((t) => ov(`${t.k}_to_uint`, [t], T.uint, toUint)));
def('double', ...[T.int, T.uint, T.double, T.string].map((t) => ov(`${t.k}_to_double`, [t], T.double, toDouble)));
def('string', ...[T.int, T.uint, T.double, T.string, T.bytes, T.bool, T.timestamp, T.duration].map((t) => ov(`${t.k}_to_string`, [t], T.string, toStr)));
def('bytes', ov('string_to_bytes', [T.string], T.bytes, (s) => Uint8Array.from(Buffer.from(s as string, 'utf8'))), ov('bytes_to_bytes', [T.bytes], T.bytes, (b) => b));
def('bool', ov('bool_to_bool', [T.bool], T.bool, (b) => b), ov('string_to_bool', [T.string], T.bool, (s) => {
  const v = s as string;
  if (['1', 't', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'false', 'FALSE', 'False'].includes(v)) return false;
  return err('type conversion error from \'string\' to \'bool\'');
}));
def('dyn', ov('to_dyn', [A], T.dyn, (a) => a));
def('type', ov('type', [A], T.type, (a) => new TypeValue(typeOfValue(a))));
def('duration', ov('string_to_duration', [T.string], T.duration, (s) => parseDuration(s as string) ?? err('invalid duration argument')), ov('duration_to_duration', [T.duration], T.duration, (d) => d));
def('timestamp', ov('string_to_timestamp', [T.string], T.timestamp, (s) => parseTimestamp(s as string) ?? err('invalid timestamp')),
  ov('int_to_timestamp', [T.int], T.timestamp, (i) => {
    const v = i as bigint;
    return v < -62135596800n || v > 253402300799n ? err('invalid timestamp') : new Timestamp(v * 1000000000n);
  }),
  ov('timestamp_to_timestamp', [T.timestamp], T.timestamp, (t) => t));
const tsGetters: Record<string, (d: Date, t: Timestamp) => bigint> = {
  getFullYear: (d) => BigInt(d.getUTCFullYear()),
  getMonth: (d) => BigInt(d.getUTCMonth()),
  getDate: (d) => BigInt(d.getUTCDate()),
  getDayOfMonth: (d) => BigInt(d.getUTCDate() - 1),
  getDayOfWeek: (d) => BigInt(d.getUTCDay()),
  getDayOfYear: (d) => BigInt(Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000)),
  getHours: (d) => BigInt(d.getUTCHours()),
  getMinutes: (d) => BigInt(d.getUTCMinutes()),
  getSeconds: (d) => BigInt(d.getUTCSeconds()),
  getMilliseconds: (_d, t) => ((t.ns % 1000000000n) + 1000000000n) % 1000000000n / 1000000n,
};
for (const [name, get] of Object.entries(tsGetters)) {
  const ovs: Overload[] = [rv(`timestamp_${name}`, [T.timestamp], T.int, (t) => get(tsParts(t as Timestamp), t as Timestamp))];
  const durationGet: Record<string, bigint> = { getHours: 3600000000000n, getMinutes: 60000000000n, getSeconds: 1000000000n, getMilliseconds: 1000000n };
  if (durationGet[name] !== undefined) ovs.push(rv(`duration_${name}`, [T.duration], T.int, (d) => (d as Duration).ns / durationGet[name]));
  def(name, ...ovs);
}

// cel-go ext strings (version 2)
def('charAt', rv('string_char_at_int', [T.string, T.int], T.string, (s, i) => {
  const r = runes(s as string); const n = Number(i);
  if (n < 0 || n > r.length) return err(`index out of range: ${i}`);
  return r[n] ?? '';
}));
def('indexOf',
  rv('string_index_of_string', [T.string, T.string], T.int, (s, x) => indexOfStr(s as string, x as string, undefined, false), strCost),
  rv('string_index_of_string_int', [T.string, T.string, T.int], T.int, (s, x, i) => indexOfStr(s as string, x as string, i as bigint, false), strCost),
  rv('list_index_of', [T.list(A), A], T.int, (l, x) => BigInt((l as Value[]).findIndex((y) => celEquals(x, y))), (l) => (Array.isArray(l) ? l.length : 0)));
def('lastIndexOf',
  rv('string_last_index_of_string', [T.string, T.string], T.int, (s, x) => indexOfStr(s as string, x as string, undefined, true), strCost),
  rv('string_last_index_of_string_int', [T.string, T.string, T.int], T.int, (s, x, i) => indexOfStr(s as string, x as string, i as bigint, true), strCost),
  rv('list_last_index_of', [T.list(A), A], T.int, (l, x) => {
    const list = l as Value[];
    for (let i = list.length - 1; i >= 0; i--) if (celEquals(x, list[i])) return BigInt(i);
    return -1n;
  }, (l) => (Array.isArray(l) ? l.length : 0)));
def('lowerAscii', rv('string_lower_ascii', [T.string], T.string, (s) => (s as string).replace(/[A-Z]/g, (c) => c.toLowerCase()), strCost));
def('upperAscii', rv('string_upper_ascii', [T.string], T.string, (s) => (s as string).replace(/[a-z]/g, (c) => c.toUpperCase()), strCost));
const replaceImpl = (s: Value, from: Value, to: Value, n?: Value): Value => {
  let limit = n === undefined ? -1 : Number(n);
  const src = s as string; const f = from as string; const t = to as string;
  if (limit === 0) return src;
  if (f === '') {
    const r = runes(src); let out = '';
    for (let i = 0; i <= r.length; i++) {
      if (limit !== 0) { out += t; limit--; }
      if (i < r.length) out += r[i];
    }
    return out;
  }
  let out = ''; let i = 0;
  while (limit !== 0) {
    const j = src.indexOf(f, i);
    if (j < 0) break;
    out += src.slice(i, j) + t;
    i = j + f.length;
    limit--;
  }
  return out + src.slice(i);
};
def('replace', rv('string_replace_string_string', [T.string, T.string, T.string], T.string, replaceImpl, strCost),
  rv('string_replace_string_string_int', [T.string, T.string, T.string, T.int], T.string, replaceImpl, strCost));
const splitImpl = (s: Value, sep: Value, n?: Value): Value => {
  const src = s as string; const sp = sep as string;
  const limit = n === undefined ? -1 : Number(n);
  if (limit === 0) return [];
  if (limit === 1) return [src];
  if (sp === '') {
    const r = runes(src);
    if (limit < 0 || limit >= r.length) return r;
    return [...r.slice(0, limit - 1), r.slice(limit - 1).join('')];
  }
  const parts = src.split(sp);
  if (limit < 0 || parts.length <= limit) return parts;
  return [...parts.slice(0, limit - 1), parts.slice(limit - 1).join(sp)];
};
def('split', rv('string_split_string', [T.string, T.string], T.list(T.string), splitImpl, strCost),
  rv('string_split_string_int', [T.string, T.string, T.int], T.list(T.string), splitImpl, strCost));
const substringImpl = (s: Value, a: Value, b?: Value): Value => {
  const r = runes(s as string);
  const start = Number(a); const end = b === undefined ? r.length : Number(b);
  if (start < 0 || start > r.length) return err(`index out of range: ${a}`);
  if (end < 0 || end > r.length) return err(`index out of range: ${b}`);
  if (start > end) return err(`invalid substring range. start: ${a}, end: ${b}`);
  return r.slice(start, end).join('');
};
def('substring', rv('string_substring_int', [T.string, T.int], T.string, substringImpl, strCost),
  rv('string_substring_int_int', [T.string, T.int, T.int], T.string, substringImpl, strCost));
def('trim', rv('string_trim', [T.string], T.string, (s) => (s as string).replace(/^[\s\u0085\u00a0]+|[\s\u0085\u00a0]+$/gu, ''), strCost));
def('join', rv('list_join', [T.list(T.string)], T.string, (l) => (l as string[]).join('')),
  rv('list_join_string', [T.list(T.string), T.string], T.string, (l, sep) => (l as string[]).join(sep as string)));

// Kubernetes lists library
const sortable = [T.int, T.uint, T.double, T.string, T.bytes, T.bool, T.timestamp, T.duration];
def('isSorted', ...sortable.map((t) => rv(`list_${t.k}_is_sorted`, [T.list(t)], T.bool, (l) => {
  const list = l as Value[];
  for (let i = 1; i < list.length; i++) {
    const c = cmp(list[i - 1], list[i]);
    if (c instanceof CelError) return c;
    if (c > 0) return false;
  }
  return true;
}, (l) => (Array.isArray(l) ? l.length : 0))));
const zeroOf: [CelType, Value][] = [[T.int, 0n], [T.uint, new Uint(0n)], [T.double, 0], [T.duration, new Duration(0n)]];
def('sum', ...zeroOf.map(([t, z]) => rv(`list_${t.k}_sum`, [T.list(t)], t, (l) => sumList(l as Value[], z), (l) => (Array.isArray(l) ? l.length : 0))));
def('min', ...sortable.map((t) => rv(`list_${t.k}_min`, [T.list(t)], t, (l) => listCompare(l as Value[], (c) => c < 0), (l) => (Array.isArray(l) ? l.length : 0))));
def('max', ...sortable.map((t) => rv(`list_${t.k}_max`, [T.list(t)], t, (l) => listCompare(l as Value[], (c) => c > 0), (l) => (Array.isArray(l) ? l.length : 0))));

// Kubernetes regex library
def('find', rv('string_find_string', [T.string, T.string], T.string, (s, p) => {
  const re = regex(p as string);
  if (re instanceof CelError) return re;
  return re.exec(s as string)?.[0] ?? '';
}, strCost));
const findAllImpl = (s: Value, p: Value, n?: Value): Value => {
  const re = regex(p as string);
  if (re instanceof CelError) return re;
  const limit = n === undefined ? -1 : Number(n);
  if (limit === 0) return [];
  const g = new RegExp(re.source, re.flags + 'g');
  const out: string[] = [];
  for (const m of (s as string).matchAll(g)) {
    out.push(m[0]);
    if (limit > 0 && out.length >= limit) break;
  }
  return out;
};
def('findAll', rv('string_find_all_string', [T.string, T.string], T.list(T.string), findAllImpl, strCost),
  rv('string_find_all_string_int', [T.string, T.string, T.int], T.list(T.string), findAllImpl, strCost));

// cel-go ext sets
const listCost = (a: Value, b: Value) => (Array.isArray(a) ? a.length : 0) * (Array.isArray(b) ? b.length : 0);
def('sets.contains', ov('list_sets_contains_list', [T.list(A), T.list(A)], T.bool, (a, b) => (b as Value[]).every((x) => (a as Value[]).some((y) => celEquals(x, y))), listCost));
def('sets.equivalent', ov('list_sets_equivalent_list', [T.list(A), T.list(A)], T.bool, (a, b) =>
  (b as Value[]).every((x) => (a as Value[]).some((y) => celEquals(x, y))) && (a as Value[]).every((x) => (b as Value[]).some((y) => celEquals(x, y))), listCost));
def('sets.intersects', ov('list_sets_intersects_list', [T.list(A), T.list(A)], T.bool, (a, b) => (a as Value[]).some((x) => (b as Value[]).some((y) => celEquals(x, y))), listCost));

// optionals
def('optional.of', ov('optional_of', [A], T.optional(A), (a) => new Optional(true, a)));
def('optional.none', ov('optional_none', [], T.optional(T.dyn), () => new Optional(false)));
def('optional.ofNonZeroValue', ov('optional_ofNonZeroValue', [A], T.optional(A), (a) => {
  const zero = a === null || a === false || a === 0 || a === 0n || a === '' || (a instanceof Uint && a.v === 0n) ||
    (Array.isArray(a) && a.length === 0) || (a instanceof CelMap && a.size === 0) || (a instanceof Uint8Array && a.length === 0);
  return new Optional(!zero, zero ? undefined : a);
}));
def('hasValue', rv('optional_hasValue', [T.optional(A)], T.bool, (o) => (o as Optional).present));
def('value', rv('optional_value', [T.optional(A)], A, (o) => ((o as Optional).present ? (o as Optional).value as Value : err('optional.none() dereference'))));
def('orValue', rv('optional_orValue_value', [T.optional(A), A], A, (o, v) => ((o as Optional).present ? (o as Optional).value as Value : v)));
def('or', rv('optional_or_optional', [T.optional(A), T.optional(A)], T.optional(A), (o, v) => ((o as Optional).present ? o : v)));

/** Functions of Kubernetes' 1.32 CEL environment for CRD rules that this evaluator does not implement. */
export const unimplementedFunctions = new Set([
  'url', 'isURL', 'getScheme', 'getHost', 'getHostname', 'getPort', 'getEscapedPath', 'getQuery',
  'quantity', 'isQuantity', 'asApproximateFloat', 'asInteger', 'isInteger', 'sign', 'add', 'sub', 'compareTo', 'isGreaterThan', 'isLessThan',
  'ip', 'isIP', 'cidr', 'isCIDR', 'family', 'isUnspecified', 'isLoopback', 'isLinkLocalMulticast', 'isLinkLocalUnicast', 'isGlobalUnicast',
  'containsIP', 'containsCIDR', 'masked', 'prefixLength', 'ip.isCanonical',
  'format', 'quote', 'strings.quote', 'format.named', 'validate',
  'reverse', 'getDayOfMonth_tz',
]);
