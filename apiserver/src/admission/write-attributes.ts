// A write the store is about to make (object-ops.ts), as admission attributes for its request's user.
import type { ReviewUser } from '../builtins/index.js';
import type { AdmittedWrite } from '../object-ops.js';
import type { Obj } from '../objects.js';
import type { AdmissionAttributes } from './admission-attributes.js';

/** the attributes of a write the store is about to make, for the request's user */
export function attributesOf(w: AdmittedWrite, user: ReviewUser, namespaceObject: Obj | undefined): AdmissionAttributes {
  return {
    operation: w.operation, group: w.t.group, version: w.t.version, kind: w.t.kind, resource: w.t.resource,
    subresource: w.subresource, namespace: w.t.namespaced ? w.namespace : '', name: w.name, namespaced: w.t.namespaced,
    object: w.object, oldObject: w.oldObject, user, dryRun: w.dryRun, namespaceObject,
  };
}
