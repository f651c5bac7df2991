// k8s.io/api/coordination/v1 Lease (types.go field order, generated.proto numbers).
import { metadataField } from './meta.js';
import { INT32, MICRO_TIME, STRING, TYPE_META_FIELDS, opt, struct } from './model.js';

export const LEASE = struct('Lease', [
  ...TYPE_META_FIELDS,
  metadataField(),
  opt('spec', 2, struct('LeaseSpec', [
    opt('holderIdentity', 1, STRING, { pointer: true }),
    opt('leaseDurationSeconds', 2, INT32, { pointer: true }),
    opt('acquireTime', 3, MICRO_TIME, { pointer: true }),
    opt('renewTime', 4, MICRO_TIME, { pointer: true }),
    opt('leaseTransitions', 5, INT32, { pointer: true }),
    opt('strategy', 6, STRING, { pointer: true }),
    opt('preferredHolder', 7, STRING, { pointer: true }),
  ])),
]);
