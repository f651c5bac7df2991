// The field.Error vocabulary of k8s.io/apimachinery/pkg/util/validation/field and the 422 Status
// that apierrors.NewInvalid builds from a list of them. Every validator in this folder returns
// FieldError lists; the server core turns them into Status bodies with invalidStatus.
import { GoLiteral, goNumber, goQuote, goSharpV } from './go-format.js';
import type { Status, StatusCause } from '../status.js';

export type FieldErrorType =
  | 'FieldValueNotFound' | 'FieldValueRequired' | 'FieldValueDuplicate' | 'FieldValueInvalid'
  | 'FieldValueNotSupported' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid' | 'InternalError';

export interface FieldError {
  type: FieldErrorType;
  field: string;
  badValue?: unknown;
  detail?: string;
  /** only for NotSupported */
  supported?: string[];
}

export type { Status, StatusCause } from '../status.js';

/** Marks a bad value that Go renders as the bare type string (field.OmitValueType). */
const omitValue = Symbol('omitValue');

const typeText: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTypeInvalid: 'Invalid value',
  InternalError: 'Internal error',
};

function renderValue(v: unknown): string {
  if (v === null || v === undefined) return '"null"';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'bigint') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (v instanceof GoLiteral) return v.text;
  return goSharpV(v);
}

/** field.Error.ErrorBody() */
export function fieldErrorBody(e: FieldError): string {
  let s = typeText[e.type];
  const bareTypes: FieldErrorType[] = ['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError'];
  if (!bareTypes.includes(e.type) && e.badValue !== omitValue) {
    s += ': ' + renderValue(e.badValue);
  }
  let detail = e.detail ?? '';
  if (e.type === 'FieldValueNotSupported' && e.supported && e.supported.length > 0 && !detail) {
    detail = 'supported values: ' + e.supported.map(goQuote).join(', ');
  }
  if (detail.length > 0) s += ': ' + detail;
  return s;
}

/** Go's field.Error.Error(): "spec.x: Required value", "spec.x: Invalid value: \"q\": detail", ... */
export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

// Constructors named after the Go ones, so validators read like their upstream counterparts.
export const fe = {
  required: (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, badValue: '', detail }),
  invalid: (field: string, badValue: unknown, detail = ''): FieldError => ({ type: 'FieldValueInvalid', field, badValue, detail }),
  typeInvalid: (field: string, badValue: unknown, detail = ''): FieldError => ({ type: 'FieldValueTypeInvalid', field, badValue, detail }),
  forbidden: (field: string, detail = ''): FieldError => ({ type: 'FieldValueForbidden', field, badValue: '', detail }),
  duplicate: (field: string, badValue: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, badValue }),
  notFound: (field: string, badValue: unknown): FieldError => ({ type: 'FieldValueNotFound', field, badValue }),
  notSupported: (field: string, badValue: unknown, supported: string[]): FieldError => ({
    type: 'FieldValueNotSupported', field, badValue, supported,
    detail: supported.length > 0 ? 'supported values: ' + supported.map(goQuote).join(', ') : '',
  }),
  tooLong: (field: string, maxLength: number): FieldError => ({
    type: 'FieldValueTooLong', field, badValue: '<value omitted>',
    detail: maxLength >= 0 ? `may not be more than ${maxLength} bytes` : 'value is too long',
  }),
  tooMany: (field: string, actual: number, max: number): FieldError => ({
    type: 'FieldValueTooMany', field, badValue: actual >= 0 ? actual : omitValue,
    detail: max >= 0 ? `must have at most ${max} items` : 'has too many items',
  }),
  internal: (field: string, message: string): FieldError => ({ type: 'InternalError', field, badValue: null, detail: message }),
};

/** utilerrors.NewAggregate(list.ToAggregate()).Error(): duplicates dropped, one error bare, more in [a, b]. */
export function aggregateMessage(errs: FieldError[]): string {
  const seen = new Set<string>();
  const msgs: string[] = [];
  for (const e of errs) {
    const m = fieldErrorString(e);
    if (seen.has(m)) continue;
    seen.add(m);
    msgs.push(m);
  }
  if (msgs.length === 1) return msgs[0];
  return '[' + msgs.join(', ') + ']';
}

/** The 422 Status: message `Kind.group "name" is invalid: <one error>` or `...: [e1, e2]`,
 *  reason Invalid, details {name, group, kind, causes[{reason: type, message, field}]}. */
export function invalidStatus(group: string, kind: string, name: string, errs: FieldError[]): Status {
  const qualified = group ? `${kind}.${group}` : kind;
  const causes: StatusCause[] = errs.map((e) => {
    const c: StatusCause = { reason: e.type };
    const message = fieldErrorBody(e);
    if (message) c.message = message;
    if (e.field) c.field = e.field;
    return c;
  });
  const details: NonNullable<Status['details']> = {};
  if (name) details.name = name;
  if (group) details.group = group;
  if (kind) details.kind = kind;
  if (causes.length > 0) details.causes = causes;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: errs.length === 0 ? `${qualified} ${goQuote(name)} is invalid` : `${qualified} ${goQuote(name)} is invalid: ${aggregateMessage(errs)}`,
    reason: 'Invalid',
    details,
    code: 422,
  };
}
