// OpenAPI value validation of a custom resource, in the order and wording of
// k8s.io/kube-openapi/pkg/validation/validate (type, allOf/anyOf/oneOf/not, string, format,
// number, array, enum, object), mapped to field errors as apiserver/validation/validation.go's
// kubeOpenAPIResultToFieldErrors does. With an old object, validation ratchets like
// CRDValidationRatcheting (on by default in 1.32): errors on a value that is deep-equal to its
// correlated old value are dropped.
import { fe, type FieldError } from './field-errors.js';
import { formatValidates, normalizeFormat } from './formats.js';
import { goFloat, goQuote } from './go-format.js';
import { goRegexpMatch } from './go-regexp.js';
import { additionalSchema, hasOwn, isJsonObject, itemsSchema, jsonEqual, jsonTypeName, type JSONSchemaProps } from './structural.js';

const IN = 'body';

/** The old value correlated with the value being validated: absent when there is none. */
type Correlated = { value: unknown } | undefined;

function childField(path: string): string {
  // kube trims the leading "." of the openapi path; the root itself is the nil path.
  return path === '' || path === '.' ? '<nil>' : path.replace(/^\./, '');
}

function schemaTypes(s: JSONSchemaProps): string[] {
  if (s['x-kubernetes-int-or-string']) return ['integer', 'string'];
  return s.type ? [s.type] : [];
}

/** Go's reflect-based "format" name of a value, as typeValidator.schemaInfoForType reports it. */
function goFormatOf(v: unknown): string {
  const t = jsonTypeName(v);
  if (t === 'integer') return 'int64';
  if (t === 'number') return 'double';
  return '';
}

function runeLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function asNumber(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : (v as number);
}

function compareToBound(v: unknown, bound: number): number {
  if (typeof v === 'bigint') {
    // Exact comparison for int64 values beyond 2^53 (the bound is a float64 as in Go).
    if (Number.isInteger(bound) && Math.abs(bound) < 2 ** 63) {
      const b = BigInt(bound);
      return v < b ? -1 : v > b ? 1 : 0;
    }
  }
  const n = asNumber(v);
  return n < bound ? -1 : n > bound ? 1 : 0;
}

class Validator {
  readonly errors: FieldError[] = [];

  /** Validate `data` (present) at openapi path `path` ("" = root, ".spec.x", ".spec.list[0]"). */
  value(data: unknown, s: JSONSchemaProps, path: string, old: Correlated): void {
    const before = this.errors.length;
    this.node(data, s, path, old);
    if (old !== undefined && this.errors.length > before && jsonEqual(data, old.value)) {
      this.errors.length = before;
    }
  }

  private node(data: unknown, s: JSONSchemaProps, path: string, old: Correlated): void {
    const field = childField(path);
    const types = schemaTypes(s);
    // Unsupported formats are stripped (formats.go); supported ones keep their spelling in messages.
    const format = normalizeFormat(s.format) !== '' ? (s.format as string) : '';
    if (data === null || data === undefined) {
      if (types.length > 0 && !s.nullable) {
        this.errors.push(fe.typeInvalid(field, 'null', `${path.replace(/^\./, '')} in ${IN} must be of type ${types.join(',')}: "null"`));
      }
      this.enumCheck(null, s, field);
      return;
    }
    const kind = jsonTypeName(data);
    if (types.length > 0 || format !== '') this.typeCheck(data, kind, types, format, path, field);
    this.schemaProps(data, s, path, old);
    if (kind === 'string') {
      this.stringCheck(data as string, s, path, field);
      if (format !== '' && !formatValidates(normalizeFormat(format), data as string)) {
        this.errors.push(fe.typeInvalid(field, data, `${path.replace(/^\./, '')} in ${IN} must be of type ${format}: ${goQuote(data as string)}`));
      }
    }
    if (kind === 'integer' || kind === 'number') this.numberCheck(data, s, path, field);
    if (kind === 'array') this.arrayCheck(data as unknown[], s, path, field, old);
    this.enumCheck(data, s, field);
    if (kind === 'object') this.objectCheck(data as Record<string, unknown>, s, path, field, old);
  }

  private typeCheck(data: unknown, kind: string, types: string[], format: string, path: string, field: string): void {
    const p = path.replace(/^\./, '');
    const isFloatInt = kind === 'number' && Number.isSafeInteger(data) && types.includes('integer');
    const isIntFloat = kind === 'integer' && types.includes('number');
    const goFormat = goFormatOf(data);
    if (kind !== 'string' && kind !== 'array' && format !== '' &&
        !(types.includes(kind) || goFormat === format || isFloatInt || isIntFloat)) {
      this.errors.push(fe.typeInvalid(field, goFormat, `${p} in ${IN} must be of type ${format}: ${goQuote(goFormat)}`));
      return;
    }
    if (!(types.includes('number') || types.includes('integer')) && format !== '' && (kind === 'string' || kind === 'array')) return;
    if (!(types.includes(kind) || isFloatInt || isIntFloat)) {
      this.errors.push(fe.typeInvalid(field, kind, `${p} in ${IN} must be of type ${types.join(',')}: ${goQuote(kind)}`));
    }
  }

  private schemaProps(data: unknown, s: JSONSchemaProps, path: string, old: Correlated): void {
    const sub = (schema: JSONSchemaProps): FieldError[] => {
      const v = new Validator();
      v.value(data, schema, path, old);
      return v.errors;
    };
    const quoted = goQuote(path.replace(/^\./, ''));
    if (s.anyOf && s.anyOf.length > 0) {
      let best: FieldError[] | undefined;
      let ok = false;
      for (const alt of s.anyOf) {
        const errs = sub(alt);
        if (errs.length === 0) { ok = true; best = undefined; break; }
        if (best === undefined) best = errs;
      }
      if (!ok) this.errors.push(fe.invalid('<nil>', '', `${quoted} must validate at least one schema (anyOf)`));
      if (best) this.errors.push(...best);
    }
    if (s.oneOf && s.oneOf.length > 0) {
      let valid = 0;
      let best: FieldError[] | undefined;
      for (const alt of s.oneOf) {
        const errs = sub(alt);
        if (errs.length === 0) { valid++; best = undefined; continue; }
        if (valid === 0 && best === undefined) best = errs;
      }
      if (valid !== 1) {
        const extra = valid === 0 ? 'Found none valid' : `Found ${valid} valid alternatives`;
        this.errors.push(fe.invalid('<nil>', '', `${quoted} must validate one and only one schema (oneOf). ${extra}`));
        if (best) this.errors.push(...best);
      }
    }
    if (s.allOf && s.allOf.length > 0) {
      let valid = 0;
      for (const alt of s.allOf) {
        const errs = sub(alt);
        if (errs.length === 0) valid++;
        this.errors.push(...errs);
      }
      if (valid !== s.allOf.length) {
        this.errors.push(fe.invalid('<nil>', '', `${quoted} must validate all the schemas (allOf)${valid === 0 ? '. None validated' : ''}`));
      }
    }
    if (s.not && sub(s.not).length === 0) {
      this.errors.push(fe.invalid('<nil>', '', `${quoted} must not validate the schema (not)`));
    }
  }

  private stringCheck(data: string, s: JSONSchemaProps, path: string, field: string): void {
    const p = path.replace(/^\./, '');
    const len = runeLength(data);
    if (s.maxLength !== undefined && len > s.maxLength) { this.errors.push(fe.tooLong(field, s.maxLength)); return; }
    if (s.minLength !== undefined && len < s.minLength) {
      this.errors.push(fe.invalid(field, data, `${p} in ${IN} should be at least ${s.minLength} chars long`));
      return;
    }
    if (s.pattern !== undefined && !goRegexpMatch(s.pattern, data)) {
      this.errors.push(fe.invalid(field, data, `${p} in ${IN} should match '${s.pattern}'`));
    }
  }

  private numberCheck(data: unknown, s: JSONSchemaProps, path: string, field: string): void {
    const p = path.replace(/^\./, '');
    if (s.multipleOf !== undefined) {
      const q = asNumber(data) / s.multipleOf;
      if (!Number.isInteger(q)) this.errors.push(fe.invalid(field, data, `${p} in ${IN} should be a multiple of ${goFloat(s.multipleOf)}`));
    }
    if (s.minimum !== undefined) {
      const c = compareToBound(data, s.minimum);
      if (s.exclusiveMinimum ? c <= 0 : c < 0) {
        this.errors.push(fe.invalid(field, data, `${p} in ${IN} should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${goFloat(s.minimum)}`));
      }
    }
    if (s.maximum !== undefined) {
      const c = compareToBound(data, s.maximum);
      if (s.exclusiveMaximum ? c >= 0 : c > 0) {
        this.errors.push(fe.invalid(field, data, `${p} in ${IN} should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${goFloat(s.maximum)}`));
      }
    }
  }

  private arrayCheck(data: unknown[], s: JSONSchemaProps, path: string, field: string, old: Correlated): void {
    const items = itemsSchema(s);
    const p = path.replace(/^\./, '');
    if (items) {
      const oldItems = correlateList(data, old, s);
      data.forEach((item, i) => this.value(item, items, `${path}[${i}]`, oldItems[i]));
    }
    if (s.minItems !== undefined && data.length < s.minItems) {
      this.errors.push(fe.invalid(field, data.length, `${p} in ${IN} should have at least ${s.minItems} items`));
    }
    if (s.maxItems !== undefined && data.length > s.maxItems) this.errors.push(fe.tooMany(field, data.length, s.maxItems));
    if (s.uniqueItems) {
      const dup = data.some((x, i) => data.slice(0, i).some((y) => jsonEqual(x, y)));
      if (dup) this.errors.push(fe.invalid(field, '', `${p} in ${IN} shouldn't contain duplicates`));
    }
  }

  private enumCheck(data: unknown, s: JSONSchemaProps, field: string): void {
    if (!s.enum || s.enum.length === 0) return;
    if (data !== null && s.enum.some((e) => e !== null && jsonEqual(e, data))) return;
    const values = s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))));
    this.errors.push(fe.notSupported(field, data, values));
  }

  private objectCheck(data: Record<string, unknown>, s: JSONSchemaProps, path: string, field: string, old: Correlated): void {
    const p = path.replace(/^\./, '');
    const keys = Object.keys(data);
    const oldObj = old !== undefined && isJsonObject(old.value) ? old.value : undefined;
    const oldOf = (k: string): Correlated => (oldObj && hasOwn(oldObj, k) ? { value: oldObj[k] } : undefined);
    if (s.minProperties !== undefined && keys.length < s.minProperties) {
      this.errors.push(fe.invalid(field, keys.length, `${p} in ${IN} should have at least ${s.minProperties} properties`));
    }
    if (s.maxProperties !== undefined && keys.length > s.maxProperties) this.errors.push(fe.tooMany(field, keys.length, s.maxProperties));
    const patterns = Object.entries(s.patternProperties ?? {});
    if (s.additionalProperties === false) {
      for (const k of keys) {
        if (s.properties && hasOwn(s.properties, k)) continue;
        if (patterns.some(([re]) => goRegexpMatch(re, k))) continue;
        this.errors.push(fe.invalid(`${p}.${k}`.replace(/^\./, ''), k, `${p}.${k} in ${IN} is a forbidden property`));
      }
    } else {
      const additional = additionalSchema(s);
      for (const k of keys) {
        const regular = s.properties !== undefined && hasOwn(s.properties, k);
        let matched = false;
        for (const [re, ps] of patterns) {
          if (goRegexpMatch(re, k)) { matched = true; this.value(data[k], ps, `${path}.${k}`, oldOf(k)); }
        }
        if (!regular && !matched && additional && s.additionalProperties !== true) {
          this.value(data[k], additional, `${path}.${k}`, oldOf(k));
        }
      }
    }
    for (const [name, ps] of Object.entries(s.properties ?? {})) {
      if (hasOwn(data, name)) this.value(data[name], ps, `${path}.${name}`, oldOf(name));
    }
    for (const r of s.required ?? []) {
      if (!hasOwn(data, r)) this.errors.push(fe.required(`${path}.${r}`.replace(/^\./, ''), ''));
    }
  }
}

/** The old items correlated with new items: by key for list-type=map, by value for set, none for atomic lists. */
function correlateList(data: unknown[], old: Correlated, s: JSONSchemaProps): Correlated[] {
  const out: Correlated[] = new Array(data.length).fill(undefined);
  if (old === undefined || !Array.isArray(old.value)) return out;
  const oldList = old.value;
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'map') {
    const keys = s['x-kubernetes-list-map-keys'] ?? [];
    const keyOf = (x: unknown) => (isJsonObject(x) ? JSON.stringify(keys.map((k) => x[k] ?? null), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) : undefined);
    const byKey = new Map<string, unknown>();
    for (const o of oldList) { const k = keyOf(o); if (k !== undefined && !byKey.has(k)) byKey.set(k, o); }
    data.forEach((x, i) => { const k = keyOf(x); if (k !== undefined && byKey.has(k)) out[i] = { value: byKey.get(k) }; });
  } else if (listType === 'set') {
    data.forEach((x, i) => { const o = oldList.find((y) => jsonEqual(x, y)); if (o !== undefined) out[i] = { value: o }; });
  }
  return out;
}

/** Validate a whole custom resource (root path) or a subtree rooted at `rootPath` (e.g. "status",
 *  for the status subresource). Pass `old` on update to ratchet unchanged values. */
export function validateAgainstSchema(data: unknown, schema: JSONSchemaProps, old?: { value: unknown }, rootPath = ''): FieldError[] {
  const v = new Validator();
  v.value(data, schema, rootPath ? `.${rootPath}` : '', old);
  return v.errors;
}
