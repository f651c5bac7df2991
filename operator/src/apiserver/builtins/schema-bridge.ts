// Everything this folder takes from the schema helper's folder (operator/src/apiserver/schema),
// in one place. Until that branch is merged, this file holds stand-ins with the same signatures.
import type { FieldError } from './field-error.js';

export type { FieldError } from './field-error.js';

export interface ObjectMetaOptions {
  namespaced: boolean;
  nameRule?: 'dns1123subdomain' | 'dns1123label' | 'path-segment';
}

/** stand-in for schema's validateObjectMeta (ValidateObjectMeta with the kind's name rule) */
export function validateObjectMeta(_meta: unknown, _opts: ObjectMetaOptions): FieldError[] {
  return [];
}

/** stand-in for schema's validateObjectMetaUpdate (ValidateObjectMetaAccessorUpdate) */
export function validateObjectMetaUpdate(_newMeta: unknown, _oldMeta: unknown, _path = 'metadata'): FieldError[] {
  return [];
}

/** stand-in for schema's goV (Go's %v of an unstructured value) */
export function goV(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(goV).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o).sort().map((k) => `${k}:${goV(o[k])}`).join(' ')}]`;
  }
  return String(v);
}
