// The schema server-side apply walks: structured-merge-diff's schema.Atom reduced to what the
// served kinds need. Custom resources get it from the CRD's structural schema (kube-openapi
// pkg/schemaconv, as apiextensions-apiserver's type converter builds it), built-in kinds from their
// Go struct description (the +listType / patchStrategy tags kube's OpenAPI carries).
import type { GoStruct, GoType } from '../builtins/go-schema/model.js';
import { OBJECT_META } from '../builtins/go-schema/meta.js';
import type { JSONSchemaProps } from '../schema/structural.js';

export type TypeNode =
  | { kind: 'scalar' }
  /** associative without keys is a set of scalars (x-kubernetes-list-type: set) */
  | { kind: 'list'; relation: 'atomic' | 'associative'; keys: string[]; elem: TypeNode }
  /** fields: a struct's declared fields; elem: the type of any other key (absent: keys must be declared) */
  | { kind: 'map'; relation: 'granular' | 'atomic'; fields: Map<string, TypeNode>; elem?: TypeNode }
  /** schema.Atom of __untyped_deduced_: the value decides (maps granular, lists atomic) */
  | { kind: 'deduced' };

export type ResolvedNode = Exclude<TypeNode, { kind: 'deduced' }>;

const SCALAR: TypeNode = { kind: 'scalar' };
const DEDUCED: TypeNode = { kind: 'deduced' };
const DEDUCED_MAP: ResolvedNode = { kind: 'map', relation: 'granular', fields: new Map(), elem: DEDUCED };
const DEDUCED_LIST: ResolvedNode = { kind: 'list', relation: 'atomic', keys: [], elem: DEDUCED };

/** deduceAtom (typed/helpers.go): an untyped node takes the shape of its value. */
export function resolve(t: TypeNode, value: unknown): ResolvedNode {
  if (t.kind !== 'deduced') return t;
  if (Array.isArray(value)) return DEDUCED_LIST;
  if (value !== null && typeof value === 'object') return DEDUCED_MAP;
  return { kind: 'scalar' };
}

export function fieldType(t: ResolvedNode & { kind: 'map' }, name: string): TypeNode | undefined {
  return t.fields.get(name) ?? t.elem;
}

const goCache = new WeakMap<GoType, TypeNode>();

/** A Go type as kube's generated OpenAPI describes it to structured-merge-diff. */
function fromGoType(g: GoType): TypeNode {
  const hit = goCache.get(g);
  if (hit) return hit;
  let out: TypeNode;
  switch (g.kind) {
    case 'struct': out = fromGoStruct(g); break;
    case 'slice': out = { kind: 'list', relation: 'atomic', keys: [], elem: fromGoType(g.elem) }; break;
    case 'map': out = { kind: 'map', relation: 'granular', fields: new Map(), elem: fromGoType(g.value) }; break;
    case 'stringList': out = { kind: 'list', relation: 'atomic', keys: [], elem: SCALAR }; break;
    case 'rawJson': out = DEDUCED; break;
    default: out = SCALAR;
  }
  goCache.set(g, out);
  return out;
}

function fromGoStruct(s: GoStruct): TypeNode {
  const fields = new Map<string, TypeNode>();
  const node: TypeNode = { kind: 'map', relation: 'granular', fields };
  goCache.set(s, node);
  for (const f of s.fields) {
    let t = fromGoType(f.type);
    // +patchStrategy=merge on a slice is +listType=map (with its merge key) or +listType=set in
    // the OpenAPI kube publishes for every served built-in field that has it.
    if (f.type.kind === 'slice' && f.patchStrategy?.split(',').includes('merge') && t.kind === 'list') {
      t = { ...t, relation: 'associative', keys: f.patchMergeKey ? [f.patchMergeKey] : [] };
    }
    fields.set(f.json, t);
  }
  return node;
}

/** The top-level object of a built-in kind. */
export function builtinTypeNode(goType: GoStruct): TypeNode {
  return fromGoType(goType);
}

/** ObjectMeta, which every custom resource's metadata is (apiextensions-apiserver replaces the
 *  CRD schema's metadata with it). */
function objectMetaNode(): TypeNode {
  return fromGoType(OBJECT_META);
}

/** A CRD version's structural schema (kube-openapi pkg/schemaconv/smd.go, openapi.go). */
export function fromJsonSchema(s: JSONSchemaProps | undefined, root = true): TypeNode {
  if (!s) return DEDUCED;
  if (s['x-kubernetes-int-or-string']) return SCALAR;
  const type = s.type ?? (s.properties || s.additionalProperties ? 'object' : s.items ? 'array' : undefined);
  if (type === 'array') {
    const items = Array.isArray(s.items) ? s.items[0] : s.items;
    const lt = s['x-kubernetes-list-type'];
    if (lt === 'set') return { kind: 'list', relation: 'associative', keys: [], elem: fromJsonSchema(items, false) };
    if (lt === 'map') return { kind: 'list', relation: 'associative', keys: s['x-kubernetes-list-map-keys'] ?? [], elem: fromJsonSchema(items, false) };
    return { kind: 'list', relation: 'atomic', keys: [], elem: fromJsonSchema(items, false) };
  }
  if (type === 'object') {
    const fields = new Map<string, TypeNode>();
    for (const [k, v] of Object.entries(s.properties ?? {})) fields.set(k, fromJsonSchema(v, false));
    let elem: TypeNode | undefined;
    const ap = s.additionalProperties;
    if (ap && typeof ap === 'object') elem = fromJsonSchema(ap, false);
    else if (s['x-kubernetes-preserve-unknown-fields'] || ap === true || (!s.properties && ap === undefined)) elem = DEDUCED;
    if (root) {
      fields.set('apiVersion', SCALAR);
      fields.set('kind', SCALAR);
      fields.set('metadata', objectMetaNode());
    } else if (s['x-kubernetes-embedded-resource']) {
      fields.set('apiVersion', fields.get('apiVersion') ?? SCALAR);
      fields.set('kind', fields.get('kind') ?? SCALAR);
      fields.set('metadata', objectMetaNode());
    }
    const relation = s['x-kubernetes-map-type'] === 'atomic' ? 'atomic' : 'granular';
    return { kind: 'map', relation, fields, ...(elem ? { elem } : {}) };
  }
  if (type === undefined && s['x-kubernetes-preserve-unknown-fields']) return DEDUCED;
  return type === undefined ? DEDUCED : SCALAR;
}

const atomicList = (elem: TypeNode = DEDUCED): TypeNode => ({ kind: 'list', relation: 'atomic', keys: [], elem });
const struct = (fields: Record<string, TypeNode>, elem?: TypeNode): TypeNode =>
  ({ kind: 'map', relation: 'granular', fields: new Map(Object.entries(fields)), ...(elem ? { elem } : {}) });

/** apiextensions.k8s.io/v1 CustomResourceDefinition, as far as its OpenAPI shapes ownership: the
 *  spec and names are structs, versions an atomic list (+listType=atomic), the rest deduced. */
export function customResourceDefinitionNode(): TypeNode {
  return struct({
    apiVersion: SCALAR,
    kind: SCALAR,
    metadata: objectMetaNode(),
    spec: struct({
      group: SCALAR,
      names: struct({
        plural: SCALAR, singular: SCALAR, kind: SCALAR, listKind: SCALAR,
        shortNames: atomicList(SCALAR), categories: atomicList(SCALAR),
      }),
      scope: SCALAR,
      versions: atomicList(),
      conversion: struct({ strategy: SCALAR, webhook: DEDUCED }),
      preserveUnknownFields: SCALAR,
    }),
    status: DEDUCED,
  });
}
