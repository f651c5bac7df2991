// The interfaces core meets the schema and builtins modules at (see APISERVER-SPLIT in the project notes).
// Core is handed both modules by its caller (standalone wiring, tests), so the server can be built and
// reasoned about without importing their internals.
import type { Status } from './status.js';

export type FieldErrorType =
  | 'FieldValueNotFound' | 'FieldValueRequired' | 'FieldValueDuplicate' | 'FieldValueInvalid'
  | 'FieldValueNotSupported' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid' | 'InternalError';

export interface FieldError {
  type: FieldErrorType;
  field: string;
  badValue?: unknown;
  detail?: string;
  supported?: string[];
}

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export type Obj = Record<string, unknown>;

export interface CompiledVersion {
  prune(obj: Obj): string[];
  dropNulls(obj: Obj): void;
  applyDefaults(obj: Obj): void;
  validate(obj: Obj, old?: Obj): { errors: FieldError[]; warnings: string[] };
  selectableFieldValue(obj: Obj, path: string): string;
  printerColumns(): TableColumnDefinition[];
  printerCells(obj: Obj): unknown[];
}

export interface SchemaModule {
  fieldErrorString(e: FieldError): string;
  invalidStatus(group: string, kind: string, name: string, errs: FieldError[]): Status;
  validateCustomResourceDefinition(crd: unknown, old?: unknown): FieldError[];
  compileCrdVersion(crd: never, version: string): CompiledVersion;
  validateObjectMeta(meta: unknown, opts: { namespaced: boolean; nameRule?: 'dns1123subdomain' | 'dns1123label' | 'path-segment' }): FieldError[];
  openApiV3GroupVersion(crds: never[], group: string, version: string): object;
  parseJsonStrict(text: string): { value: unknown; duplicates: string[] };
}

export interface BuiltinKind {
  group: string; version: string; kind: string; plural: string; singular: string;
  namespaced: boolean; shortNames: string[]; categories: string[];
  verbs: string[];
  prepareForCreate(obj: Obj): void;
  prepareForUpdate(obj: Obj, old: Obj): void;
  validate(obj: Obj, old?: Obj): FieldError[];
  allowUnconditionalUpdate: boolean;
  createOnUpdate: boolean;
  fieldSelectors: Record<string, (obj: Obj) => string>;
  tableColumns: TableColumnDefinition[];
  tableCells(obj: Obj): unknown[];
  review?(obj: Obj): Obj;
}

export interface BuiltinsModule {
  builtinKinds: BuiltinKind[];
  strategicMergePatch(kind: BuiltinKind, original: Obj, patch: Obj): Obj;
  decodeProtobufBody(body: Buffer, expected: { group: string; version: string; kind: string }): Obj;
}

export interface ApiServerModules {
  schema: SchemaModule;
  builtins: BuiltinsModule;
}
