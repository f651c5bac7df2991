// Shared scaffolding of the kind files: what every built-in kind gets from its Go type.
import { decodeAndNormalizeGoJson, decodeGoJson, normalizeGoJson } from './go-schema/go-json.js';
import type { GoStruct } from './go-schema/model.js';
import type { BuiltinKind, KubeObject } from './types.js';

/** verbs of a resource backed by the generic registry store */
export const STORE_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

type KindSpec = Omit<BuiltinKind, 'unknownFields' | 'normalize' | 'decode' | 'canonicalize' | 'warnings' | 'subresources'> &
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
    decode: (obj: KubeObject) => decodeAndNormalizeGoJson(spec.goType, obj),
    ...spec,
  };
}

/** the object at obj[key], created when missing */
export function child(obj: KubeObject, key: string): Record<string, unknown> {
  const value = obj[key];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  const created: Record<string, unknown> = {};
  obj[key] = created;
  return created;
}
