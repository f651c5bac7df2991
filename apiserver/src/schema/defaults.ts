// Structural defaulting (defaulting/algorithm.go): a missing property, or a null one that is not
// nullable, takes a deep copy of its schema's default; then defaulting recurses. Runs on write and
// again on every read from storage, so defaults added to a CRD later appear on old objects.
import { additionalSchema, deepCopyJson, hasOwn, isJsonObject, itemsSchema, type JSONSchemaProps } from './structural.js';

function nonNullableNull(x: unknown, s: JSONSchemaProps | undefined): boolean {
  return x === null && s !== undefined && !s.nullable;
}

export function applyDefaults(x: unknown, s: JSONSchemaProps | undefined): void {
  if (!s) return;
  if (Array.isArray(x)) {
    const items = itemsSchema(s);
    for (let i = 0; i < x.length; i++) {
      if (nonNullableNull(x[i], items) && items?.default !== undefined) x[i] = deepCopyJson(items.default);
      applyDefaults(x[i], items);
    }
    return;
  }
  if (!isJsonObject(x)) return;
  for (const [k, prop] of Object.entries(s.properties ?? {})) {
    if (prop.default === undefined) continue;
    if (!hasOwn(x, k) || nonNullableNull(x[k], prop)) x[k] = deepCopyJson(prop.default);
  }
  const additional = additionalSchema(s);
  for (const k of Object.keys(x)) {
    const prop = s.properties?.[k];
    if (prop) applyDefaults(x[k], prop);
    else if (additional) {
      if (nonNullableNull(x[k], additional) && additional.default !== undefined) x[k] = deepCopyJson(additional.default);
      applyDefaults(x[k], additional);
    }
  }
}
