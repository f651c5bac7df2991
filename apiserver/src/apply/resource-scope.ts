// Which schema and reset fields a resource's writes are tracked with (the strategies'
// GetResetFields: a kind with a status subresource never lets its main endpoint own status, nor the
// status endpoint own spec; apiextensions-apiserver pkg/registry/customresource/strategy.go,
// status_strategy.go; kubernetes pkg/registry/core/namespace/strategy.go).
import type { ResourceType } from '../resource-type.js';
import type { Obj } from '../objects.js';
import { isObj } from '../objects.js';
import { apiVersionOf } from '../resource-type.js';
import { FieldSet } from './field-set.js';
import type { FieldManagerScope } from './field-manager.js';
import { builtinTypeNode, customResourceDefinitionNode, fromJsonSchema, type TypeNode } from './type-node.js';

const types = new WeakMap<ResourceType, TypeNode>();

function typeOf(t: ResourceType): TypeNode {
  let node = types.get(t);
  if (!node) {
    const b = t.builtin as (ResourceType['builtin'] & { goType?: Parameters<typeof builtinTypeNode>[0] }) | undefined;
    if (b?.goType) node = builtinTypeNode(b.goType);
    else if (t.group === 'apiextensions.k8s.io' && t.kind === 'CustomResourceDefinition') node = customResourceDefinitionNode();
    else node = fromJsonSchema(t.structuralSchema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    types.set(t, node);
  }
  return node;
}

/** undefined for kinds that are never stored (reviews) */
export function fieldManagerScope(t: ResourceType, subresource: string | undefined): FieldManagerScope | undefined {
  if (t.review) return undefined;
  const hasStatus = t.subresources.some((s) => s.name === 'status');
  let reset = new FieldSet();
  if (hasStatus) reset = FieldSet.of([{ f: subresource === 'status' ? 'spec' : 'status' }]);
  return {
    type: typeOf(t), group: t.group, version: t.version, kind: t.kind, subresource: subresource ?? '', resetFields: reset,
    emptyObject: emptyObject(t),
  };
}

/** creater.New: an unstructured object with only its type for custom resources; a Go zero value
 *  (non-omitempty structs present, empty) for the built-in kinds */
function emptyObject(t: ResourceType): Obj {
  const typeMeta: Obj = { apiVersion: apiVersionOf(t), kind: t.kind };
  if (!t.builtin) return typeMeta;
  const zero = t.builtin.normalize({ ...typeMeta, metadata: {} });
  if (isObj(zero.metadata)) delete zero.metadata.creationTimestamp;
  return zero;
}
