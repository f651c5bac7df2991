// The field errors of the schema module (schema/field-errors.ts), under the
// names of apimachinery's field.Required/Invalid/..., so the validation files read like the Go code
// they follow.
import { fe } from '../schema/index.js';

export type { FieldError, FieldErrorType } from '../schema/index.js';

export const required = fe.required;
export const invalid = fe.invalid;
export const forbidden = fe.forbidden;
export const tooLong = fe.tooLong;
export const notSupported = fe.notSupported;

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
