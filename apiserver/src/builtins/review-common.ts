// What the create-only review kinds share: discovery shape, the default table, and the 422 their
// REST handlers build (apierrors.NewInvalid(authorizationapi.Kind(obj.Kind), "", errs) on the
// decoded internal object, whose Kind is empty: the message reads `.authorization.k8s.io "" is
// invalid: ...`).
import type { FieldError } from './field-error.js';
import type { GoStruct } from './go-schema/model.js';
import { defineKind, type BuiltinKindWithType } from './kind-base.js';
import { defaultTable } from '../table.js';
import { metadataOf } from './printing.js';
import { BuiltinRequestError, type KubeObject, type ReviewContext } from './types.js';

export function invalidReview(group: string, errors: FieldError[]): BuiltinRequestError {
  return new BuiltinRequestError(422, 'Invalid', `.${group} "" is invalid`, { group, kind: '', name: '', errors });
}

export function badRequest(message: string): BuiltinRequestError {
  return new BuiltinRequestError(400, 'BadRequest', message);
}

/** ObjectMeta of a review must be empty apart from managedFields (the server's own bookkeeping) */
export function metadataMustBeEmpty(obj: KubeObject): FieldError[] {
  const meta = metadataOf(obj);
  const set = Object.entries(meta).filter(([k, v]) => k !== 'managedFields' && v !== undefined && v !== null && v !== '' && v !== 0
    && !(typeof v === 'object' && Object.keys(v as object).length === 0));
  return set.length === 0 ? [] : [{ type: 'FieldValueInvalid', field: 'metadata', badValue: meta, detail: 'must be empty' }];
}

interface ReviewSpec {
  group: string;
  kind: string;
  plural: string;
  goType: GoStruct;
  review(obj: KubeObject, context: ReviewContext): KubeObject;
}

/** a create-only kind that is never stored */
export function defineReviewKind(spec: ReviewSpec): BuiltinKindWithType {
  return defineKind({
    group: spec.group, version: 'v1', kind: spec.kind, plural: spec.plural, singular: spec.kind.toLowerCase(),
    namespaced: false, shortNames: [], categories: [],
    verbs: ['create'],
    goType: spec.goType,
    prepareForCreate: () => undefined,
    prepareForUpdate: () => undefined,
    // the REST handler validates inside Create; see review()
    validate: () => [],
    allowUnconditionalUpdate: false,
    createOnUpdate: false,
    fieldSelectors: {},
    // rest.NewDefaultTableConvertor: reviews have no printer of their own
    tableColumns: defaultTable.columns,
    tableCells: (obj) => defaultTable.cells(obj),
    review: (obj, context = {}) => spec.review(obj, context),
  });
}
