// Placeholder until the CEL evaluator lands: rules are compiled to nothing and never evaluated.
import type { FieldError } from '../field-errors.js';
import type { JSONSchemaProps } from '../structural.js';

export interface CompiledCelSchema { hasRules: boolean }

export function compileCelRules(_schema: JSONSchemaProps): CompiledCelSchema {
  return { hasRules: false };
}

export function celValidate(_c: CompiledCelSchema, _obj: unknown, _old: unknown): { errors: FieldError[]; warnings: string[] } {
  return { errors: [], warnings: [] };
}
