// x-kubernetes-list-type invariants (listtype/validation.go): `set` items are unique, `map` items
// are objects with unique key tuples. Duplicates are reported at their second occurrence only.
import { fe, type FieldError } from './field-errors.js';
import { isJsonObject, itemsSchema, type JSONSchemaProps } from './structural.js';

function canonical(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => {
    if (typeof v === 'bigint') return `#int:${v.toString()}`;
    if (typeof v === 'number' && Number.isInteger(v)) return `#int:${v}`;
    if (isJsonObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]));
    return v;
  });
}

function nonUniqueIndices(items: unknown[]): number[] {
  const seen = new Map<string, number>();
  const out: number[] = [];
  items.forEach((x, i) => {
    const k = x === undefined ? '#unspecified' : canonical(x);
    const times = seen.get(k) ?? 0;
    if (times === 1) out.push(i);
    seen.set(k, times + 1);
  });
  return out;
}

function validateArray(path: string, s: JSONSchemaProps, obj: unknown[], errs: FieldError[]): void {
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'set') {
    if (obj.length > 1) for (const i of nonUniqueIndices(obj)) errs.push(fe.duplicate(`${path}[${i}]`, obj[i]));
  } else if (listType === 'map') {
    validateListMap(path, s, obj, errs);
  }
  const items = itemsSchema(s);
  if (items) obj.forEach((x, i) => validateValue(`${path}[${i}]`, items, x, errs));
}

function validateListMap(path: string, s: JSONSchemaProps, obj: unknown[], errs: FieldError[]): void {
  for (let i = 0; i < obj.length; i++) {
    const x = obj[i];
    if (x !== null && !isJsonObject(x)) {
      errs.push(fe.invalid(`${path}[${i}]`, x, 'must be an object for an array of list-type map'));
      return;
    }
  }
  if (obj.length <= 1) return;
  const keyFields = s['x-kubernetes-list-map-keys'] ?? [];
  const keys = obj.map((x) => {
    const key: Record<string, unknown> = {};
    if (isJsonObject(x)) for (const f of keyFields) if (Object.prototype.hasOwnProperty.call(x, f)) key[f] = x[f];
    return key;
  });
  if (keyFields.length === 1) {
    const f = keyFields[0];
    const single = keys.map((k) => (Object.prototype.hasOwnProperty.call(k, f) ? k[f] : undefined));
    for (const i of nonUniqueIndices(single)) {
      errs.push(fe.duplicate(`${path}[${i}]`, single[i] === undefined ? {} : { [f]: single[i] }));
    }
    return;
  }
  for (const i of nonUniqueIndices(keys)) errs.push(fe.duplicate(`${path}[${i}]`, keys[i]));
}

function validateValue(path: string, s: JSONSchemaProps, x: unknown, errs: FieldError[]): void {
  if (Array.isArray(x)) validateArray(path, s, x, errs);
  else if (isJsonObject(x)) validateObject(path, s, x, errs);
}

function validateObject(path: string, s: JSONSchemaProps, obj: Record<string, unknown>, errs: FieldError[]): void {
  const ap = s.additionalProperties;
  if (ap !== undefined && typeof ap === 'object') {
    for (const [k, v] of Object.entries(obj)) validateValue(`${path}[${k}]`, ap, v, errs);
  }
  if (s.properties) {
    for (const [k, v] of Object.entries(obj)) {
      const sub = s.properties[k];
      if (sub) validateValue(path ? `${path}.${k}` : k, sub, v, errs);
    }
  }
}

/** ValidateListSetsAndMaps at the resource root. */
export function validateListSetsAndMaps(schema: JSONSchemaProps | undefined, obj: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  if (schema) validateObject('', schema, obj, errs);
  return errs;
}
