// What the server knows about one served group/version/resource: names for discovery, the strategy
// (prepare, validate, decode) and how selectors and Tables see its objects. Built-in kinds come from
// the builtins module, custom resources from established CRDs (crd-types.ts).
import type { BuiltinKind, ReviewContext } from './builtins/index.js';
import type { FieldError, TableColumnDefinition } from './schema/index.js';
import type { JSONSchemaProps } from './schema/structural.js';
import type { Obj } from './objects.js';
import type { GroupResource } from './status.js';
import { peekMeta } from './objects.js';
import { defaultTable } from './table.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './schema/index.js';

export const CR_PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];
export const BUILTIN_PATCH_TYPES = [...CR_PATCH_TYPES, 'application/strategic-merge-patch+json'];

interface SubresourceStrategy {
  name: string;
  verbs: string[];
  prepareForUpdate(obj: Obj, old: Obj): void;
  validateUpdate(obj: Obj, old: Obj): { errors: FieldError[]; warnings: string[] };
}

export interface ResourceType {
  group: string;
  version: string;
  resource: string;
  kind: string;
  listKind: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** discovery lists them right after the resource */
  subresources: SubresourceStrategy[];
  /** storage bucket, shared by all versions of the resource (and by kinds sharing storage) */
  bucket: string;
  gr: GroupResource;
  custom: boolean;
  patchTypes: string[];
  allowUnconditionalUpdate: boolean;
  createOnUpdate: boolean;
  /** list items carry kind/apiVersion (CRs) or not (built-ins, kubernetes#3030) */
  listItemsTyped: boolean;
  /** POST-only review kinds (TokenReview, SelfSubjectAccessReview) */
  review?: (obj: Obj, context: ReviewContext) => Obj;
  builtin?: BuiltinKind;
  /** a custom resource version's structural schema (server-side apply's field types) */
  structuralSchema?: JSONSchemaProps;

  /** schema coercion on decode, in place; returns the unknown field paths (strict decoding) */
  decode(obj: Obj): string[];
  /** the object as served: stored state converted and defaulted; never mutate it */
  readView(stored: Obj): Obj;
  /** the object as stored (kinds sharing another kind's storage convert here) */
  toStorage(obj: Obj): Obj;
  prepareForCreate(obj: Obj): void;
  prepareForUpdate(obj: Obj, old: Obj): void;
  /** validation, with warnings (old given: update) */
  validate(obj: Obj, old?: Obj): { errors: FieldError[]; warnings: string[] };
  canonicalize(obj: Obj): void;
  /** value of a selectable field; undefined when the field label is not supported */
  fieldValue(obj: Obj, field: string): string | undefined;
  columns: TableColumnDefinition[];
  cells(obj: Obj): unknown[];
}

export function apiVersionOf(t: { group: string; version: string }): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

export function metadataFieldValue(namespaced: boolean, obj: Obj, field: string): string | undefined {
  if (field === 'metadata.name') return peekMeta(obj).name ?? '';
  if (field === 'metadata.namespace' && namespaced) return peekMeta(obj).namespace ?? '';
  return undefined;
}

/** Field errors without repeats (the generic store and the strategies check some metadata twice). */
export function dedupe(errs: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errs.filter((e) => {
    const k = `${e.type}\0${e.field}\0${e.detail ?? ''}\0${String(e.badValue)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function builtinResourceType(b: BuiltinKind): ResourceType {
  const gr = { group: b.group, resource: b.plural };
  const st = b.storage;
  const metaErrors = (o: Obj, old?: Obj) => old
    ? validateObjectMetaUpdate(o.metadata, old.metadata)
    : validateObjectMeta(o.metadata, { namespaced: b.namespaced, nameRule: 'path-segment' });
  const t: ResourceType = {
    group: b.group, version: b.version, resource: b.plural, kind: b.kind, listKind: `${b.kind}List`,
    singular: b.singular, namespaced: b.namespaced, shortNames: b.shortNames, categories: b.categories, verbs: b.verbs,
    subresources: b.subresources.map((sr) => ({
      name: sr.name, verbs: sr.verbs,
      prepareForUpdate: (o, old) => sr.prepareForUpdate(o, old),
      validateUpdate: (o, old) => ({ errors: dedupe([...metaErrors(o, old), ...sr.validateUpdate(o, old)]), warnings: [] }),
    })),
    bucket: st ? `${st.group || 'core'}/${st.resource}` : `${b.group || 'core'}/${b.plural}`, gr, custom: false,
    patchTypes: BUILTIN_PATCH_TYPES,
    allowUnconditionalUpdate: b.allowUnconditionalUpdate, createOnUpdate: b.createOnUpdate,
    listItemsTyped: false,
    builtin: b,
    decode: (o) => {
      const { value, unknownFields } = b.decode(o);
      for (const k of Object.keys(o)) delete o[k];
      Object.assign(o, value);
      return unknownFields;
    },
    readView: st ? (o) => st.fromStorage(o) : (o) => o,
    toStorage: st ? (o) => st.toStorage(o) : (o) => o,
    prepareForCreate: (o) => b.prepareForCreate(o),
    prepareForUpdate: (o, old) => b.prepareForUpdate(o, old),
    validate: (o, old) => ({ errors: dedupe([...metaErrors(o, old), ...b.validate(o, old)]), warnings: b.warnings(o, old) }),
    canonicalize: (o) => b.canonicalize(o),
    fieldValue: (o, f) => metadataFieldValue(b.namespaced, o, f) ?? (b.fieldSelectors[f] ? b.fieldSelectors[f]!(o) : undefined),
    columns: b.tableColumns.length > 0 ? b.tableColumns : defaultTable.columns,
    cells: b.tableColumns.length > 0 ? (o) => b.tableCells(o) : defaultTable.cells,
  };
  if (b.review) t.review = (o, c) => b.review!(o, c);
  return t;
}
