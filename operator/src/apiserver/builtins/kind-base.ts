// Shared scaffolding of the kind files: what every built-in kind gets from its Go type.
import { decodeGoJson, normalizeGoJson } from './go-schema/go-json.js';
import type { GoStruct } from './go-schema/model.js';
import type { BuiltinKind, KubeObject } from './types.js';

/** verbs of a resource backed by the generic registry store */
export const STORE_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

type KindSpec = Omit<BuiltinKind, 'unknownFields' | 'normalize' | 'canonicalize' | 'warnings' | 'subresources'> &
  Partial<Pick<BuiltinKind, 'canonicalize' | 'warnings' | 'subresources'>> & { goType: GoStruct };

export interface BuiltinKindWithType extends BuiltinKind {
  /** the k8s.io/api Go struct of this kind (drives normalize, unknownFields, SMP, protobuf) */
  goType: GoStruct;
}

export function defineKind(spec: KindSpec): BuiltinKindWithType {
  return {
    subresources: [],
    canonicalize: () => undefined,
    warnings: () => [],
    unknownFields: (obj: KubeObject) => decodeGoJson(spec.goType, obj).unknownFields,
    normalize: (obj: KubeObject) => normalizeGoJson(spec.goType, obj),
    ...spec,
  };
}

/** the metadata object of `obj`, created when missing */
export function metadataFor(obj: KubeObject): Record<string, unknown> {
  const meta = obj['metadata'];
  if (meta !== null && typeof meta === 'object' && !Array.isArray(meta)) return meta as Record<string, unknown>;
  const created: Record<string, unknown> = {};
  obj['metadata'] = created;
  return created;
}

/** the object at obj[key], created when missing */
export function child(obj: KubeObject, key: string): Record<string, unknown> {
  const value = obj[key];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  const created: Record<string, unknown> = {};
  obj[key] = created;
  return created;
}

export function deepEqualJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqualJson(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bkeys = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return keys.length === bkeys.length && keys.every((k) => deepEqualJson(ao[k], bo[k]));
}
