// fieldpath.PathElement (structured-merge-diff v4 fieldpath/element.go, serialize-pe.go): a step
// into a struct field or map key (f:), an associative list item by its keys (k:), a set item by its
// value (v:), or a list item by index (i:).

export type PathElement =
  | { f: string }
  /** key fields sorted by name (value.FieldList.Sort) */
  | { k: [string, unknown][] }
  | { v: unknown }
  | { i: number };

export type Path = PathElement[];

const rank = (pe: PathElement): number => ('f' in pe ? 0 : 'k' in pe ? 1 : 'v' in pe ? 2 : 3);

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function valueRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (v !== null && typeof v === 'object') return 4;
  return 5;
}

/** value.Compare: numbers, then strings, booleans, lists, maps (null last). */
function compareValues(a: unknown, b: unknown): number {
  const ra = valueRank(a);
  const rb = valueRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number') return Math.sign(a - (b as number));
  if (typeof a === 'string') return cmpStr(a, b as string);
  if (typeof a === 'boolean') return Number(a) - Number(b as boolean);
  if (Array.isArray(a)) {
    const bl = b as unknown[];
    for (let i = 0; i < Math.min(a.length, bl.length); i++) {
      const c = compareValues(a[i], bl[i]);
      if (c) return c;
    }
    return a.length - bl.length;
  }
  if (ra === 4) {
    const ak = Object.keys(a as object).sort();
    const bk = Object.keys(b as object).sort();
    return compareFields(ak.map((k) => [k, (a as Record<string, unknown>)[k]]), bk.map((k) => [k, (b as Record<string, unknown>)[k]]));
  }
  return 0;
}

/** value.FieldList.Compare */
function compareFields(a: [string, unknown][], b: [string, unknown][]): number {
  for (let i = 0; ; i++) {
    if (i >= a.length && i >= b.length) return 0;
    if (i >= a.length) return -1;
    if (i >= b.length) return 1;
    const c = cmpStr(a[i]![0], b[i]![0]) || compareValues(a[i]![1], b[i]![1]);
    if (c) return c;
  }
}

/** PathElement.Compare */
export function comparePathElements(a: PathElement, b: PathElement): number {
  const r = rank(a) - rank(b);
  if (r) return r;
  if ('f' in a) return cmpStr(a.f, (b as { f: string }).f);
  if ('k' in a) return compareFields(a.k, (b as { k: [string, unknown][] }).k);
  if ('v' in a) return compareValues(a.v, (b as { v: unknown }).v);
  return a.i - (b as { i: number }).i;
}

/** value.ToString */
function valueString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueString).join(',')}]`;
  if (typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}=${valueString(x)}`).join('');
  return String(v);
}

/** PathElement.String: .name, [k=v,...], [=v], [i] */
export function pathElementString(pe: PathElement): string {
  if ('f' in pe) return `.${pe.f}`;
  if ('k' in pe) return `[${pe.k.map(([n, v]) => `${n}=${valueString(v)}`).join(',')}]`;
  if ('v' in pe) return `[=${valueString(pe.v)}]`;
  return `[${pe.i}]`;
}

export function pathString(p: Path): string {
  return p.map(pathElementString).join('');
}

/** Go's encoding/json escaping (HTML-safe), which managedFields keys are written with. */
function goJson(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** SerializePathElement: the FieldsV1 key */
export function serializePathElement(pe: PathElement): string {
  if ('f' in pe) return `f:${pe.f}`;
  if ('k' in pe) return `k:{${pe.k.map(([n, v]) => `${goJson(n)}:${goJson(v)}`).join(',')}}`;
  if ('v' in pe) return `v:${goJson(pe.v)}`;
  return `i:${pe.i}`;
}

class PathElementError extends Error {
  readonly code = 'PATH_ELEMENT_INVALID';
}

/** DeserializePathElement; undefined for an unknown element type (readIterV1 skips those). */
export function deserializePathElement(s: string): PathElement | undefined {
  if (s.length < 2) throw new PathElementError('key must be 2 characters long:');
  if (s[1] !== ':') throw new PathElementError(`missing colon: ${s}`);
  const rest = s.slice(2);
  switch (s[0]) {
    case 'f': return { f: rest };
    case 'v': return { v: parse(rest) };
    case 'k': {
      const o = parse(rest);
      if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new PathElementError(`invalid key: ${rest}`);
      return { k: Object.entries(o as Record<string, unknown>).sort((a, b) => cmpStr(a[0], b[0])) };
    }
    case 'i': {
      if (!/^-?\d+$/.test(rest)) throw new PathElementError(`strconv.Atoi: parsing ${JSON.stringify(rest)}: invalid syntax`);
      return { i: Number(rest) };
    }
    default: return undefined;
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new PathElementError((e as Error).message);
  }
}
