// coordination.k8s.io/v1 Lease: pkg/registry/coordination/lease/strategy.go (1.32) and
// pkg/apis/coordination/validation.
//
// 1.32 facts worth knowing: a PUT to a missing Lease creates it (AllowCreateOnUpdate true) but an
// update without resourceVersion is refused (AllowUnconditionalUpdate false); spec.strategy and
// spec.preferredHolder belong to the CoordinatedLeaderElection alpha gate, off by default, so the
// strategy drops them (on update only when the stored Lease did not have them).
import { forbidden, invalid, notSupported, type FieldError } from './field-error.js';
import { LEASE } from './go-schema/coordination.js';
import { child, defineKind, STORE_VERBS } from './kind-base.js';
import { isQualifiedName } from './name-rules.js';
import { ageColumn, column, metadataOf, nameColumn, record, str, timestampSince } from './printing.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../schema/index.js';
import type { KubeObject } from './types.js';

const HOLDER_IDENTITY_DOC = 'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.';
const VALID_STRATEGIES = ['OldestEmulationVersion'];

/** ValidateLeaseSpec */
function validateLeaseSpec(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const duration = spec['leaseDurationSeconds'];
  if (typeof duration === 'number' && duration <= 0) errs.push(invalid('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
  const transitions = spec['leaseTransitions'];
  if (typeof transitions === 'number' && transitions < 0) errs.push(invalid('spec.leaseTransitions', transitions, 'must be greater than or equal to 0'));
  const strategy = spec['strategy'];
  if (typeof strategy === 'string') {
    // ValidateCoordinatedLeaseStrategy is handed spec.strategy and appends "strategy" again.
    const path = 'spec.strategy.strategy';
    if (strategy.split('/').length === 1) {
      if (!VALID_STRATEGIES.includes(strategy)) {
        errs.push(notSupported(path, strategy, VALID_STRATEGIES));
      }
    } else {
      for (const msg of isQualifiedName(strategy)) errs.push(invalid(path, strategy, msg));
    }
  }
  const preferred = spec['preferredHolder'];
  if (typeof preferred === 'string' && preferred !== '' && (typeof strategy !== 'string' || strategy === '')) {
    errs.push(forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  }
  return errs;
}

function dropGatedFields(obj: KubeObject, old?: KubeObject): void {
  const spec = record(obj['spec']);
  const oldSpec = old ? record(old['spec']) : {};
  if (oldSpec['strategy'] === undefined) delete spec['strategy'];
  if (oldSpec['preferredHolder'] === undefined) delete spec['preferredHolder'];
}

export const leaseKind = defineKind({
  group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', singular: 'lease',
  namespaced: true, shortNames: [], categories: [],
  verbs: STORE_VERBS,
  goType: LEASE,
  prepareForCreate(obj) {
    child(obj, 'spec');
    dropGatedFields(obj);
  },
  prepareForUpdate(obj, old) {
    child(obj, 'spec');
    dropGatedFields(obj, old);
  },
  validate(obj, old) {
    const errs = old
      ? validateObjectMetaUpdate(metadataOf(obj), metadataOf(old))
      : validateObjectMeta(metadataOf(obj), { namespaced: true, nameRule: 'dns1123subdomain' });
    errs.push(...validateLeaseSpec(record(obj['spec'])));
    return errs;
  },
  allowUnconditionalUpdate: false,
  createOnUpdate: true,
  fieldSelectors: {},
  tableColumns: [nameColumn(), column('Holder', HOLDER_IDENTITY_DOC), ageColumn()],
  tableCells(obj, now = Date.now()) {
    const meta = metadataOf(obj);
    return [str(meta['name']), str(record(obj['spec'])['holderIdentity']), timestampSince(meta['creationTimestamp'], now)];
  },
});
