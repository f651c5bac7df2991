// compileCrdVersion: everything the server core needs per served version of a CRD, precomputed
// once (schema, printer columns, selectable fields, CEL programs).
import { celValidate, compileCelRules, type CompiledCelSchema } from './cel/validator.js';
import { fe, type FieldError } from './field-errors.js';
import { goNumber } from './go-format.js';
import { JsonPath } from './jsonpath.js';
import { validateListSetsAndMaps } from './list-type.js';
import { coerceEmbedded, dropNulls as dropNullsIn, pruneObject } from './prune.js';
import { applyDefaults as applyDefaultsIn } from './defaults.js';
import { cellsFor, compileColumns } from './printer-columns.js';
import { validateAgainstSchema } from './validate.js';
import { validateEmbeddedResources } from './embedded-meta.js';
import { stringifyJson } from './strict-json.js';
import type { CustomResourceDefinition, TableColumnDefinition } from './crd-json-types.js';
import type { JSONSchemaProps } from './structural.js';

export class CrdCompileError extends Error {
  readonly code = 'CRD_COMPILE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CrdCompileError';
  }
}

export interface ValidateOptions {
  /** "status" for the status subresource: the schema checks only .status (CEL still sees the whole object) */
  subresource?: 'status';
  /** errors the caller found before (type meta, ObjectMeta): they count as blocking for CEL */
  priorErrors?: FieldError[];
}

export interface CompiledVersion {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly schema: JSONSchemaProps | undefined;
  /** prune unknown fields in place (honours x-kubernetes-preserve-unknown-fields, embedded
   *  resources, metadata coercion below the root); returns the pruned paths as kube prints them,
   *  e.g. "spec.bogusField". Throws MetadataCoercionError for an embedded resource whose apiVersion,
   *  kind or metadata has the wrong JSON type (a 400/422 on a real server). */
  prune(obj: Record<string, unknown>): string[];
  /** drop nulls in non-nullable fields without default, in place */
  dropNulls(obj: Record<string, unknown>): void;
  /** apply structural defaults in place (used on write and on read) */
  applyDefaults(obj: Record<string, unknown>): void;
  /** OpenAPI schema validation, embedded-resource metadata, list-type rules, then CEL (only when no
   *  blocking error so far), with Kubernetes wording. Warnings are ratcheted CEL errors. */
  validate(obj: Record<string, unknown>, old?: Record<string, unknown>, opts?: ValidateOptions): { errors: FieldError[]; warnings: string[] };
  /** field labels usable in field selectors besides metadata.name/namespace, e.g. "spec.nodeName" */
  selectableFieldNames(): string[];
  /** value of a declared selectableField (fmt.Sprint semantics; missing -> "") */
  selectableFieldValue(obj: Record<string, unknown>, path: string): string;
  printerColumns(): TableColumnDefinition[];
  printerCells(obj: Record<string, unknown>): unknown[];
}

export class MetadataCoercionError extends Error {
  readonly code = 'METADATA_COERCION';
  constructor(readonly fieldError: FieldError) {
    super(`${fieldError.field}: ${String(fieldError.detail)}`);
    this.name = 'MetadataCoercionError';
  }
}

/** hasBlockingErr in registry/customresource/strategy.go */
function blockingError(errs: FieldError[]): FieldError | undefined {
  const blocking = ['FieldValueNotSupported', 'FieldValueRequired', 'FieldValueTooLong', 'FieldValueTooMany', 'FieldValueTypeInvalid'];
  if (!errs.some((e) => blocking.includes(e.type))) return undefined;
  return fe.invalid('<nil>', null, 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation');
}

/** fmt.Sprint of a JSON value */
function sprint(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(sprint).join(' ')}]`;
  return stringifyJson(v);
}

/** Compiled, per served version. Throws CrdCompileError only on programmer error; validate the CRD first. */
export function compileCrdVersion(crd: CustomResourceDefinition, version: string): CompiledVersion {
  const v = crd.spec.versions.find((x) => x.name === version);
  if (!v) throw new CrdCompileError(`version ${version} not found in CRD ${String(crd.metadata.name)}`);
  const schema = v.schema?.openAPIV3Schema;
  const columns = compileColumns(v.additionalPrinterColumns);
  const selectable = new Map<string, JsonPath>();
  for (const sf of v.selectableFields ?? []) selectable.set(sf.jsonPath.replace(/^\./, ''), new JsonPath(`{${sf.jsonPath}}`));
  let cel: CompiledCelSchema | undefined;
  try {
    cel = schema ? compileCelRules(schema) : undefined;
  } catch (err) {
    throw new CrdCompileError(`x-kubernetes-validations of ${String(crd.metadata.name)}/${version} do not compile; validate the CRD first`, { cause: err });
  }
  const statusSchema = schema?.properties?.status;
  const preserveRoot = crd.spec.preserveUnknownFields === true;

  return {
    group: crd.spec.group,
    version,
    kind: crd.spec.names.kind,
    schema,
    prune(obj) {
      if (preserveRoot) return [];
      const paths = pruneObject(obj, schema);
      const coerced = coerceEmbedded(obj, schema);
      if (coerced.error) throw new MetadataCoercionError(coerced.error);
      return [...paths, ...coerced.unknownFields];
    },
    dropNulls(obj) {
      if (!preserveRoot) dropNullsIn(obj, schema);
    },
    applyDefaults(obj) {
      applyDefaultsIn(obj, schema);
    },
    validate(obj, old, opts = {}) {
      const errors: FieldError[] = [];
      const warnings: string[] = [];
      if (schema) {
        if (opts.subresource === 'status') {
          if (statusSchema && Object.prototype.hasOwnProperty.call(obj, 'status')) {
            errors.push(...validateAgainstSchema(obj.status, statusSchema, old && Object.prototype.hasOwnProperty.call(old, 'status') ? { value: old.status } : undefined, 'status'));
          }
        } else {
          errors.push(...validateAgainstSchema(obj, schema, old ? { value: old } : undefined));
        }
      }
      // The status strategy does not re-check embedded resources (status_strategy.go).
      if (opts.subresource !== 'status') errors.push(...validateEmbeddedResources(obj, schema));
      const listErrs = validateListSetsAndMaps(schema, obj);
      if (old === undefined || validateListSetsAndMaps(schema, old).length === 0) errors.push(...listErrs);
      if (cel && cel.hasRules) {
        const blocking = blockingError([...(opts.priorErrors ?? []), ...errors]);
        if (blocking) errors.push(blocking);
        else {
          const r = celValidate(cel, obj, old);
          errors.push(...r.errors);
          warnings.push(...r.warnings);
        }
      }
      return { errors, warnings };
    },
    selectableFieldNames() {
      return [...selectable.keys()];
    },
    selectableFieldValue(obj, path) {
      const jp = selectable.get(path.replace(/^\./, ''));
      if (!jp) return '';
      const results = jp.findResults(obj);
      if (results.length === 0 || results[0].length === 0) return '';
      return sprint(results[0][0]);
    },
    printerColumns() {
      return columns.map((c) => ({ ...c.def }));
    },
    printerCells(obj) {
      return cellsFor(columns, obj);
    },
  };
}
