// Pruning of unknown fields (pruning/algorithm.go), the drop of nulls that are neither nullable nor
// defaulted (defaulting/prunenulls.go), and coercion of embedded resources' metadata
// (objectmeta/algorithm.go). Paths are reported as the CR handler reports them for
// fieldValidation=Strict/Warn: "spec.bogus", "spec.list[0].x", sorted.
import { coerceObjectMeta } from './meta-coerce.js';
import { fe, type FieldError } from './field-errors.js';
import { additionalSchema, fieldSchema, isJsonObject, itemsSchema, type JSONSchemaProps, type JsonObject } from './structural.js';

const metaFields = new Set(['apiVersion', 'kind', 'metadata']);

function join(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

function pruneValue(x: unknown, s: JSONSchemaProps | undefined, path: string, out: string[]): void {
  if (s && s['x-kubernetes-preserve-unknown-fields']) {
    skipPrune(x, s, path, out);
    return;
  }
  if (Array.isArray(x)) {
    x.forEach((v, i) => pruneValue(v, s ? itemsSchema(s) : undefined, `${path}[${i}]`, out));
    return;
  }
  if (!isJsonObject(x)) return;
  if (!s) {
    for (const k of Object.keys(x)) {
      out.push(join(path, k));
      delete x[k];
    }
    return;
  }
  pruneFields(x, s, path, out, true);
}

function skipPrune(x: unknown, s: JSONSchemaProps, path: string, out: string[]): void {
  if (Array.isArray(x)) {
    const items = itemsSchema(s);
    if (items) x.forEach((v, i) => skipPrune(v, items, `${path}[${i}]`, out));
    return;
  }
  if (isJsonObject(x)) pruneFields(x, s, path, out, false);
}

/** Recurse into known fields; unknown ones are deleted (and reported) unless preserved. */
function pruneFields(x: JsonObject, s: JSONSchemaProps, path: string, out: string[], dropUnknown: boolean): void {
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const additional = additionalSchema(s);
  for (const k of Object.keys(x)) {
    if (embedded && metaFields.has(k)) continue;
    const prop = s.properties?.[k];
    if (prop) pruneValue(x[k], prop, join(path, k), out);
    else if (additional) pruneValue(x[k], additional, join(path, k), out);
    else if (dropUnknown) {
      // The root's apiVersion/kind/metadata are never reported (the root is always embedded anyway).
      if (!metaFields.has(k) || path !== '') out.push(join(path, k));
      delete x[k];
    }
  }
}

/** Prune unknown fields of a resource root in place; returns the pruned paths, sorted. */
export function pruneObject(obj: JsonObject, schema: JSONSchemaProps | undefined): string[] {
  const root: JSONSchemaProps = { ...(schema ?? {}), 'x-kubernetes-embedded-resource': true };
  const out: string[] = [];
  pruneValue(obj, root, '', out);
  return out.sort();
}

/** PruneNonNullableNullsWithoutDefaults */
export function dropNulls(x: unknown, s: JSONSchemaProps | undefined): void {
  if (Array.isArray(x)) {
    const items = itemsSchema(s);
    for (const v of x) dropNulls(v, items);
    return;
  }
  if (!isJsonObject(x)) return;
  for (const k of Object.keys(x)) {
    const fs = fieldSchema(s, k);
    if (x[k] === null && fs && !fs.nullable && fs.default === undefined) delete x[k];
    else dropNulls(x[k], fs);
  }
}

interface CoerceResult { error?: FieldError; unknownFields: string[] }

/** objectmeta.Coerce below the root: apiVersion/kind of embedded resources must be strings and
 *  their metadata is decoded as ObjectMeta (unknown fields dropped and reported). The root's own
 *  metadata is the core's (coerceObjectMeta). Stops at the first error, as upstream does. */
export function coerceEmbedded(obj: JsonObject, schema: JSONSchemaProps | undefined): CoerceResult {
  const unknownFields: string[] = [];
  const walk = (x: unknown, s: JSONSchemaProps | undefined, fieldPath: string, isRoot: boolean): FieldError | undefined => {
    if (!s) return undefined;
    if (Array.isArray(x)) {
      const items = itemsSchema(s);
      for (let i = 0; i < x.length; i++) {
        const e = walk(x[i], items, `${fieldPath}[${i}]`, false);
        if (e) return e;
      }
      return undefined;
    }
    if (!isJsonObject(x)) return undefined;
    const additional = additionalSchema(s);
    for (const k of Object.keys(x)) {
      const v = x[k];
      if (s['x-kubernetes-embedded-resource'] && !isRoot) {
        if (k === 'apiVersion' || k === 'kind') {
          if (typeof v !== 'string') return fe.invalid(join(fieldPath, k), v, 'must be a string');
        } else if (k === 'metadata') {
          try {
            const r = coerceObjectMeta(v, join(fieldPath, 'metadata'));
            unknownFields.push(...r.unknownFields);
            if (r.meta === undefined) delete x.metadata;
            else x.metadata = r.meta;
          } catch (err) {
            return fe.invalid(join(fieldPath, 'metadata'), v, (err as Error).message);
          }
        }
      }
      const prop = s.properties?.[k];
      if (prop) {
        const e = walk(x[k], prop, join(fieldPath, k), false);
        if (e) return e;
      } else if (additional) {
        const e = walk(x[k], additional, `${fieldPath}[${k}]`, false);
        if (e) return e;
      }
    }
    return undefined;
  };
  const error = walk(obj, schema, '', true);
  return { error, unknownFields: unknownFields.sort() };
}
