// Constructors for field errors, named after apimachinery's field.Required/Invalid/... so the
// validation files read like the Go code they follow.
//
// The FieldError type is the schema helper's (operator/src/apiserver/schema/field-errors.ts); until
// that file is merged here, this is a structurally identical declaration.
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

export function required(field: string, detail = ''): FieldError {
  return { type: 'FieldValueRequired', field, badValue: '', detail };
}

export function invalid(field: string, badValue: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, badValue, detail };
}

export function forbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, badValue: '', detail };
}

export function notSupported(field: string, badValue: unknown, supported: string[]): FieldError {
  return {
    type: 'FieldValueNotSupported', field, badValue, supported,
    detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
  };
}

/** field.TooLong: the bad value is always omitted from the message */
export function tooLong(field: string, maxLength: number): FieldError {
  return {
    type: 'FieldValueTooLong', field, badValue: '<value omitted>',
    detail: maxLength >= 0 ? `may not be more than ${maxLength} bytes` : 'value is too long',
  };
}

/** apimachinery's FieldImmutableErrorMsg */
export const FIELD_IMMUTABLE = 'field is immutable';

/** field.Path.Key: `data[key]` */
export function keyPath(parent: string, key: string): string {
  return `${parent}[${key}]`;
}

/** field.Path.Index: `spec.finalizers[0]` */
export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
