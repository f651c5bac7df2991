// The interfaces the server core meets the schema and builtins modules at. Core is handed both
// modules by its caller (modules.ts builds the real pair), so the server can be built and reasoned
// about without importing their internals.
import type { Status } from './status.js';

export type { FieldError, FieldErrorType } from './schema/field-errors.js';
export type { CustomResourceDefinition, TableColumnDefinition } from './schema/crd-types.js';
export type { BuiltinKind, BuiltinSubresource, ReviewContext, ReviewUser } from './builtins/types.js';
import type { FieldError } from './schema/field-errors.js';
import type { TableColumnDefinition } from './schema/crd-types.js';
import type { BuiltinKind } from './builtins/types.js';

export type Obj = Record<string, unknown>;

export interface CompiledVersion {
  prune(obj: Obj): string[];
  dropNulls(obj: Obj): void;
  applyDefaults(obj: Obj): void;
  validate(obj: Obj, old?: Obj, opts?: { subresource?: 'status'; priorErrors?: FieldError[] }): { errors: FieldError[]; warnings: string[] };
  selectableFieldNames(): string[];
  selectableFieldValue(obj: Obj, path: string): string;
  printerColumns(): TableColumnDefinition[];
  printerCells(obj: Obj): unknown[];
}

export type NameRule = 'dns1123subdomain' | 'dns1123label' | 'path-segment';

export interface SchemaModule {
  fieldErrorString(e: FieldError): string;
  invalidStatus(group: string, kind: string, name: string, errs: FieldError[]): Status;
  compileCrdVersion(crd: Obj, version: string): CompiledVersion;
  validateObjectMeta(meta: unknown, opts: { namespaced: boolean; nameRule?: NameRule }): FieldError[];
  validateObjectMetaUpdate(newMeta: unknown, oldMeta: unknown): FieldError[];
  finalizerWarnings(newFinalizers: string[], oldFinalizers?: string[]): string[];
  parseJsonStrict(text: string): { value: unknown; duplicates: string[] };
  validateCustomResourceDefinition(crd: unknown, old?: unknown): FieldError[];
  /** SetDefaults_CustomResourceDefinition, in place */
  defaultCustomResourceDefinition(crd: Obj): void;
  openApiV3GroupVersion(crds: Obj[], group: string, version: string): object;
}

export interface BuiltinsModule {
  builtinKinds: BuiltinKind[];
  /** absent: strategic merge patch is refused with 415 */
  strategicMergePatch?(kind: BuiltinKind, original: Obj, patch: Obj): Obj;
  /** absent: protobuf bodies are refused with 415 */
  decodeProtobufBody?(body: Buffer, expected: { group: string; version: string; kind: string }): Obj;
  /** class of the builtins' typed refusals (BuiltinRequestError) */
  isRequestError(e: unknown): e is Error & { httpStatus: number; reason: string; invalid?: { group: string; kind: string; name: string; errors: FieldError[] } };
  isDecodeError(e: unknown): e is Error;
}

export interface ApiServerModules {
  schema: SchemaModule;
  builtins: BuiltinsModule;
}
