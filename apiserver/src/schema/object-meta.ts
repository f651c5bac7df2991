// ObjectMeta as k8s.io/apimachinery/pkg/api/validation validates it (create and update), the
// finalizer-name warnings of the CR strategy, and the ObjectMeta decoding that the CR handler
// applies to `metadata` (unknown fields dropped and reported, wrong JSON types rejected).
import { fe, type FieldError } from './field-errors.js';
import { GoLiteral, goQuote, goStringSlice } from './go-format.js';
import { byteLength, isDNS1123Label, isQualifiedName, isValidLabelValue, validateName, type NameRule } from './name-validation.js';

const totalAnnotationSizeLimitB = 256 * 1024;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
function strMap(v: unknown): Record<string, string> {
  return isObj(v) ? (v as Record<string, string>) : {};
}
function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function validateLabels(labels: Record<string, string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const m of isQualifiedName(k)) errs.push(fe.invalid(path, k, m));
    for (const m of isValidLabelValue(String(v))) errs.push(fe.invalid(path, v, m));
  }
  return errs;
}

function validateAnnotations(annotations: Record<string, string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(fe.invalid(path, k, m));
    total += byteLength(k) + byteLength(String(v));
  }
  if (total > totalAnnotationSizeLimitB) errs.push(fe.tooLong(path, totalAnnotationSizeLimitB));
  return errs;
}

// Go prints v1.OwnerReference values with %#v (pointers as addresses); only the shape can match.
function ownerRefText(r: Obj): string {
  const ptr = (v: unknown) => (typeof v === 'boolean' ? `(*bool)(${v})` : '(*bool)(nil)');
  return `v1.OwnerReference{APIVersion:${goQuote(str(r.apiVersion))}, Kind:${goQuote(str(r.kind))}, Name:${goQuote(str(r.name))}, UID:${goQuote(str(r.uid))}, Controller:${ptr(r.controller)}, BlockOwnerDeletion:${ptr(r.blockOwnerDeletion)}}`;
}

function ownerRefLiteral(refs: Obj[]): GoLiteral {
  return new GoLiteral(`[]v1.OwnerReference{${refs.map(ownerRefText).join(', ')}}`);
}

function validateOwnerReferences(refs: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs) {
    const apiVersion = str(ref.apiVersion);
    const slashes = apiVersion.split('/').length - 1;
    const version = slashes === 0 ? apiVersion : slashes === 1 ? apiVersion.slice(apiVersion.indexOf('/') + 1) : '';
    const group = slashes === 1 ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    if (version.length === 0) errs.push(fe.invalid(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
    if (str(ref.kind).length === 0) errs.push(fe.invalid(`${path}.kind`, str(ref.kind), 'kind must not be empty'));
    if (str(ref.name).length === 0) errs.push(fe.invalid(`${path}.name`, str(ref.name), 'name must not be empty'));
    if (str(ref.uid).length === 0) errs.push(fe.invalid(`${path}.uid`, str(ref.uid), 'uid must not be empty'));
    if (group === '' && version === 'v1' && ref.kind === 'Event') {
      errs.push(fe.invalid(path, new GoLiteral(ownerRefText(ref)), '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (ref.controller === true) {
      const cur = `${str(ref.kind)}/${str(ref.name)}`;
      if (firstController !== '') {
        errs.push(fe.invalid(path, ownerRefLiteral(refs),
          `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`));
      } else {
        firstController = cur;
      }
    }
  }
  return errs;
}

function validateFinalizers(finalizers: string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers) for (const m of isQualifiedName(f)) errs.push(fe.invalid(path, f, m));
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(fe.invalid(path, goStringSlice(finalizers), 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

function validateManagedFields(entries: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(entries)) return errs;
  entries.forEach((raw, i) => {
    const e = isObj(raw) ? raw : {};
    const p = `${path}[${i}]`;
    if (e.operation !== 'Apply' && e.operation !== 'Update') errs.push(fe.invalid(`${p}.operation`, str(e.operation), 'must be `Apply` or `Update`'));
    if (str(e.fieldsType).length > 0 && e.fieldsType !== 'FieldsV1') errs.push(fe.invalid(`${p}.fieldsType`, str(e.fieldsType), 'must be `FieldsV1`'));
    const manager = str(e.manager);
    if (byteLength(manager) > 128) errs.push(fe.tooLong(`${p}.manager`, 128));
    if (str(e.subresource).length > 256) errs.push(fe.tooLong(`${p}.subresource`, 256));
  });
  return errs;
}

export interface ObjectMetaOptions {
  namespaced: boolean;
  nameRule?: NameRule;
  /** field path of the metadata, "metadata" unless it is an embedded resource */
  path?: string;
}

/** ObjectMeta validation as apimachinery does it (name/generateName DNS rules per kind, labels,
 *  annotations size, finalizers names, ownerReferences), for CRs and built-ins. */
export function validateObjectMeta(meta: unknown, opts: ObjectMetaOptions): FieldError[] {
  const m = isObj(meta) ? meta : {};
  const path = opts.path ?? 'metadata';
  const rule = opts.nameRule ?? 'dns1123subdomain';
  const errs: FieldError[] = [];
  const generateName = str(m.generateName);
  if (generateName.length !== 0) {
    for (const msg of validateName(rule, generateName, true)) errs.push(fe.invalid(`${path}.generateName`, generateName, msg));
  }
  const name = str(m.name);
  if (name.length === 0) errs.push(fe.required(`${path}.name`, 'name or generateName is required'));
  else for (const msg of validateName(rule, name, false)) errs.push(fe.invalid(`${path}.name`, name, msg));
  const namespace = str(m.namespace);
  if (opts.namespaced) {
    if (namespace.length === 0) errs.push(fe.required(`${path}.namespace`, ''));
    else for (const msg of isDNS1123Label(namespace)) errs.push(fe.invalid(`${path}.namespace`, namespace, msg));
  } else if (namespace.length !== 0) {
    errs.push(fe.forbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  const generation = typeof m.generation === 'number' || typeof m.generation === 'bigint' ? m.generation : 0;
  if (generation < 0) errs.push(fe.invalid(`${path}.generation`, generation, 'must be greater than or equal to 0'));
  errs.push(...validateLabels(strMap(m.labels), `${path}.labels`));
  errs.push(...validateAnnotations(strMap(m.annotations), `${path}.annotations`));
  errs.push(...validateOwnerReferences(Array.isArray(m.ownerReferences) ? m.ownerReferences.filter(isObj) : [], `${path}.ownerReferences`));
  errs.push(...validateFinalizers(strList(m.finalizers), `${path}.finalizers`));
  errs.push(...validateManagedFields(m.managedFields, `${path}.managedFields`));
  return errs;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ===
    JSON.stringify(b ?? null, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

function immutable(newVal: unknown, oldVal: unknown, path: string, errs: FieldError[]): void {
  if (!sameJson(newVal, oldVal)) errs.push(fe.invalid(path, newVal ?? null, 'field is immutable'));
}

/** ValidateObjectMetaAccessorUpdate: no new finalizers while deleting, resourceVersion required,
 *  generation not decremented, identity fields immutable, then the create-time checks that apply. */
export function validateObjectMetaUpdate(newMeta: unknown, oldMeta: unknown, path = 'metadata'): FieldError[] {
  const n = isObj(newMeta) ? newMeta : {};
  const o = isObj(oldMeta) ? oldMeta : {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp !== undefined && o.deletionTimestamp !== null) {
    const oldSet = new Set(strList(o.finalizers));
    const extra = [...new Set(strList(n.finalizers).filter((f) => !oldSet.has(f)))].sort();
    if (extra.length !== 0) {
      errs.push(fe.forbidden(`${path}.finalizers`, `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra).text}`));
    }
  }
  if (str(n.resourceVersion).length === 0) errs.push(fe.invalid(`${path}.resourceVersion`, str(n.resourceVersion), 'must be specified for an update'));
  const gen = (v: unknown) => (typeof v === 'number' || typeof v === 'bigint' ? Number(v) : 0);
  if (gen(n.generation) < gen(o.generation)) errs.push(fe.invalid(`${path}.generation`, gen(n.generation), 'must not be decremented'));
  immutable(str(n.name), str(o.name), `${path}.name`, errs);
  immutable(str(n.namespace), str(o.namespace), `${path}.namespace`, errs);
  immutable(str(n.uid), str(o.uid), `${path}.uid`, errs);
  immutable(n.creationTimestamp ?? null, o.creationTimestamp ?? null, `${path}.creationTimestamp`, errs);
  immutable(n.deletionTimestamp ?? null, o.deletionTimestamp ?? null, `${path}.deletionTimestamp`, errs);
  immutable(n.deletionGracePeriodSeconds ?? null, o.deletionGracePeriodSeconds ?? null, `${path}.deletionGracePeriodSeconds`, errs);
  errs.push(...validateLabels(strMap(n.labels), `${path}.labels`));
  errs.push(...validateAnnotations(strMap(n.annotations), `${path}.annotations`));
  errs.push(...validateOwnerReferences(Array.isArray(n.ownerReferences) ? n.ownerReferences.filter(isObj) : [], `${path}.ownerReferences`));
  errs.push(...validateManagedFields(n.managedFields, `${path}.managedFields`));
  return errs;
}

const standardFinalizers = new Set(['orphan', 'foregroundDeletion', 'kubernetes']);

/** The CR strategy's warnings for newly added finalizers (WarningsOnCreate/Update). */
export function finalizerWarnings(newFinalizers: string[], oldFinalizers: string[] = []): string[] {
  const old = new Set(oldFinalizers);
  const added = [...new Set(newFinalizers.filter((f) => !old.has(f)))].sort();
  const warnings: string[] = [];
  const path = 'metadata.finalizers';
  for (const f of added) {
    for (const m of isQualifiedName(f)) warnings.push(`${path}: ${goQuote(f)}: ${m}`);
    if (f.split('/').length === 1 && !standardFinalizers.has(f)) {
      warnings.push(f.includes('.')
        ? `${path}: ${goQuote(f)}: prefer a domain-qualified finalizer name including a path (/) to avoid accidental conflicts with other finalizer writers`
        : `${path}: ${goQuote(f)}: prefer a domain-qualified finalizer name to avoid accidental conflicts with other finalizer writers`);
    }
  }
  return warnings;
}
