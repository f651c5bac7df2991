// What the server knows about one served group/version/resource: names for discovery, the strategy
// (prepare, validate, decode) and how selectors and Tables see its objects. Built-in kinds come from
// the builtins module, custom resources from established CRDs (crd-types.ts).
import type { BuiltinKind, FieldError, Obj, SchemaModule, TableColumnDefinition } from './ports.js';
import type { GroupResource } from './status.js';
import { peekMeta } from './objects.js';
import { defaultTable } from './table.js';

export const CR_PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];
export const BUILTIN_PATCH_TYPES = [...CR_PATCH_TYPES, 'application/strategic-merge-patch+json'];

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
  hasStatus: boolean;
  /** storage bucket, shared by all versions of the resource */
  bucket: string;
  gr: GroupResource;
  custom: boolean;
  patchTypes: string[];
  allowUnconditionalUpdate: boolean;
  createOnUpdate: boolean;
  /** list items carry kind/apiVersion (CRs) or not (built-ins, kubernetes#3030) */
  listItemsTyped: boolean;
  nameRule: 'dns1123subdomain' | 'dns1123label' | 'path-segment';
  /** POST-only review kinds (TokenReview, SelfSubjectAccessReview) */
  review?: (obj: Obj) => Obj;
  builtin?: BuiltinKind;

  /** schema coercion on decode: prune unknown fields (returns their paths), drop nulls, default */
  decode(obj: Obj): string[];
  /** the object as served: stored state with defaulting applied (CRs default on read too); never mutate it */
  readView(obj: Obj): Obj;
  prepareForCreate(obj: Obj): void;
  prepareForUpdate(obj: Obj, old: Obj): void;
  prepareForStatusUpdate(obj: Obj, old: Obj): void;
  validate(obj: Obj, old?: Obj): { errors: FieldError[]; warnings: string[] };
  /** value of a selectable field; undefined when the field label is not supported */
  fieldValue(obj: Obj, field: string): string | undefined;
  columns: TableColumnDefinition[];
  cells(obj: Obj): unknown[];
}

export function apiVersionOf(t: { group: string; version: string }): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

function metadataFieldValue(namespaced: boolean, obj: Obj, field: string): string | undefined {
  if (field === 'metadata.name') return peekMeta(obj).name ?? '';
  if (field === 'metadata.namespace' && namespaced) return peekMeta(obj).namespace ?? '';
  return undefined;
}

const nameRuleByKind: Record<string, ResourceType['nameRule']> = {
  Namespace: 'dns1123label',
};

export function builtinResourceType(b: BuiltinKind, schema: SchemaModule): ResourceType {
  const gr = { group: b.group, resource: b.plural };
  const t: ResourceType = {
    group: b.group, version: b.version, resource: b.plural, kind: b.kind, listKind: `${b.kind}List`,
    singular: b.singular, namespaced: b.namespaced, shortNames: b.shortNames, categories: b.categories, verbs: b.verbs,
    hasStatus: false, bucket: `${b.group || 'core'}/${b.plural}`, gr, custom: false,
    patchTypes: BUILTIN_PATCH_TYPES,
    allowUnconditionalUpdate: b.allowUnconditionalUpdate, createOnUpdate: b.createOnUpdate,
    listItemsTyped: false, nameRule: nameRuleByKind[b.kind] ?? 'dns1123subdomain',
    builtin: b,
    decode: () => [],
    readView: (o) => o,
    prepareForCreate: (o) => b.prepareForCreate(o),
    prepareForUpdate: (o, old) => b.prepareForUpdate(o, old),
    prepareForStatusUpdate: (o, old) => b.prepareForUpdate(o, old),
    validate: (o, old) => ({
      errors: [...schema.validateObjectMeta(o.metadata, { namespaced: b.namespaced, nameRule: t.nameRule }), ...b.validate(o, old)],
      warnings: [],
    }),
    fieldValue: (o, f) => metadataFieldValue(b.namespaced, o, f) ?? (b.fieldSelectors[f] ? b.fieldSelectors[f]!(o) : undefined),
    columns: b.tableColumns.length > 0 ? b.tableColumns : defaultTable.columns,
    cells: b.tableColumns.length > 0 ? (o) => b.tableCells(o) : defaultTable.cells,
  };
  if (b.review) t.review = (o) => b.review!(o);
  return t;
}

export { metadataFieldValue };
