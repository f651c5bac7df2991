// apiextensions.k8s.io/v1 CustomResourceDefinition validation on create and update
// (pkg/apis/apiextensions/validation/validation.go): metadata name `<plural>.<group>`, group,
// scope, names, versions (unique, exactly one storage version), per-version schema (structural,
// defaults, CEL), subresources, printer columns, selectable fields, conversion.
// The input is the v1 JSON after defaultCustomResourceDefinition (as the real server defaults
// before validating).
import { validateVersionSchema } from './crd-schema-validation.js';
import { fe, type FieldError } from './field-errors.js';
import { GoLiteral } from './go-format.js';
import { isDNS1035Label, isDNS1123Subdomain } from './name-validation.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { isJsonObject, jsonEqual, type JSONSchemaProps } from './structural.js';

type Obj = Record<string, unknown>;

const printerColumnTypes = ['boolean', 'date', 'integer', 'number', 'string'];
const columnFormats = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
const maxSelectableFields = 8;

function obj(v: unknown): Obj {
  return isJsonObject(v) ? v : {};
}
function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The v1 defaults the server applies before validation (SetDefaults_CustomResourceDefinition*). */
export function defaultCustomResourceDefinition(crd: Obj): void {
  const spec = obj(crd.spec);
  if (!isJsonObject(crd.spec)) return;
  if (spec.conversion === undefined) spec.conversion = { strategy: 'None' };
  const names = obj(spec.names);
  if (isJsonObject(spec.names)) {
    if (!names.singular && typeof names.kind === 'string') names.singular = names.kind.toLowerCase();
    if (!names.listKind && typeof names.kind === 'string' && names.kind.length > 0) names.listKind = `${names.kind}List`;
  }
  const conv = obj(spec.conversion);
  if (conv.strategy === 'Webhook') {
    const webhook = obj(conv.webhook);
    const svc = obj(obj(webhook.clientConfig).service);
    if (isJsonObject(obj(webhook.clientConfig).service) && svc.port === undefined) svc.port = 443;
  }
}

function validateNames(names: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const plural = str(names.plural);
  const singular = str(names.singular);
  const kind = str(names.kind);
  const listKind = str(names.listKind);
  if (plural.length > 0) { const m = isDNS1035Label(plural); if (m.length > 0) errs.push(fe.invalid(`${path}.plural`, plural, m.join(','))); }
  if (singular.length > 0) { const m = isDNS1035Label(singular); if (m.length > 0) errs.push(fe.invalid(`${path}.singular`, singular, m.join(','))); }
  if (kind.length > 0) { const m = isDNS1035Label(kind.toLowerCase()); if (m.length > 0) errs.push(fe.invalid(`${path}.kind`, kind, 'may have mixed case, but should otherwise match: ' + m.join(','))); }
  if (listKind.length > 0) { const m = isDNS1035Label(listKind.toLowerCase()); if (m.length > 0) errs.push(fe.invalid(`${path}.listKind`, listKind, 'may have mixed case, but should otherwise match: ' + m.join(','))); }
  list(names.shortNames).forEach((s, i) => { const m = isDNS1035Label(str(s)); if (m.length > 0) errs.push(fe.invalid(`${path}.shortNames[${i}]`, str(s), m.join(','))); });
  if (kind.length > 0 && kind === listKind) errs.push(fe.invalid(`${path}.listKind`, listKind, 'kind and listKind may not be the same'));
  list(names.categories).forEach((c, i) => { const m = isDNS1035Label(str(c)); if (m.length > 0) errs.push(fe.invalid(`${path}.categories[${i}]`, str(c), m.join(','))); });
  return errs;
}

function validateSimpleJsonPath(s: string, path: string): FieldError[] {
  if (s.length === 0) return [fe.invalid(path, s, 'must not be empty')];
  if (s[0] !== '.') return [fe.invalid(path, s, 'must be a simple json path starting with .')];
  return [];
}

function validateColumn(col: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (str(col.name).length === 0) errs.push(fe.required(`${path}.name`, ''));
  const type = str(col.type);
  if (type.length === 0) errs.push(fe.required(`${path}.type`, `must be one of ${printerColumnTypes.join(',')}`));
  else if (!printerColumnTypes.includes(type)) errs.push(fe.invalid(`${path}.type`, type, `must be one of ${printerColumnTypes.join(',')}`));
  const format = str(col.format);
  if (format.length > 0 && !columnFormats.includes(format)) errs.push(fe.invalid(`${path}.format`, format, `must be one of ${columnFormats.join(',')}`));
  const jp = str(col.jsonPath);
  if (jp.length === 0) errs.push(fe.required(`${path}.JSONPath`, ''));
  else errs.push(...validateSimpleJsonPath(jp, `${path}.JSONPath`));
  return errs;
}

/** cel.ValidFieldPath without array notation, returning the schema the path reaches. */
function selectableFieldSchema(jsonPath: string, schema: JSONSchemaProps): { path: string; schema?: JSONSchemaProps; error?: string } {
  if (/\[/.test(jsonPath)) return { path: '', error: 'array notation is not allowed' };
  const toks = jsonPath.match(/[.]|[^.]+/g) ?? [];
  let s: JSONSchemaProps | undefined = schema;
  const parts: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    if (toks[i] !== '.') return { path: '', error: `expected [ or . but got: ${toks[i]}` };
    const name = toks[++i];
    if (name === undefined) return { path: '', error: 'unexpected end of JSON path' };
    if (s?.properties) {
      if (!s.properties[name]) return { path: '', error: 'does not refer to a valid field' };
      s = s.properties[name];
      parts.push(name);
    } else if (s?.additionalProperties && typeof s.additionalProperties === 'object') {
      s = s.additionalProperties;
      parts.push(`[${name}]`);
    } else return { path: '', error: 'does not refer to a valid field' };
  }
  return { path: parts.join('.').replace(/\.\[/g, '['), schema: s };
}

function validateSelectableFields(fields: unknown[], schema: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const unique = new Set<string>();
  fields.forEach((raw, i) => {
    const p = `${path}[${i}].jsonPath`;
    const jp = str(obj(raw).jsonPath);
    if (jp.length === 0) { errs.push(fe.required(p, '')); return; }
    const r = selectableFieldSchema(jp, schema);
    if (r.error) { errs.push(fe.invalid(p, jp, `is an invalid path: ${r.error}`)); return; }
    if (r.path.split(/[.[]/)[0] === 'metadata') errs.push(fe.invalid(p, jp, 'must not point to fields in metadata'));
    if (!r.schema || !['string', 'boolean', 'integer'].includes(r.schema.type ?? '')) {
      errs.push(fe.invalid(p, jp, 'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.'));
    }
    if (unique.has(r.path)) errs.push(fe.duplicate(p, jp));
    else unique.add(r.path);
  });
  if (unique.size > maxSelectableFields) errs.push(fe.tooMany(path, unique.size, maxSelectableFields));
  return errs;
}

function validateDeprecationWarning(v: Obj): string[] {
  const w = v.deprecationWarning;
  if (v.deprecated !== true && w !== undefined && w !== null) return ['can only be set for deprecated versions'];
  if (typeof w !== 'string') return [];
  const errs: string[] = [];
  if (Buffer.byteLength(w) > 256) errs.push('must be <= 256 characters long');
  if (w.length === 0) errs.push('must not be an empty string');
  let i = 0;
  for (const ch of w) {
    if (/\p{Cc}/u.test(ch)) { errs.push(`must only contain printable UTF-8 characters; control character found at index ${i}`); break; }
    if (!/[\p{L}\p{M}\p{N}\p{P}\p{S}\u0020]/u.test(ch)) { errs.push(`must only contain printable UTF-8 characters; non-printable character found at index ${i}`); break; }
    i += Buffer.byteLength(ch);
  }
  return errs;
}

function validateSubresources(sub: Obj | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!sub || !isJsonObject(sub.scale)) return errs;
  const scale = sub.scale;
  const spec = str(scale.specReplicasPath);
  if (spec.length === 0) errs.push(fe.required(`${path}.scale.specReplicasPath`, ''));
  else {
    const e = validateSimpleJsonPath(spec, `${path}.scale.specReplicasPath`);
    if (e.length > 0) errs.push(...e);
    else if (!spec.startsWith('.spec.')) errs.push(fe.invalid(`${path}.scale.specReplicasPath`, spec, 'should be a json path under .spec'));
  }
  const status = str(scale.statusReplicasPath);
  if (status.length === 0) errs.push(fe.required(`${path}.scale.statusReplicasPath`, ''));
  else {
    const e = validateSimpleJsonPath(status, `${path}.scale.statusReplicasPath`);
    if (e.length > 0) errs.push(...e);
    else if (!status.startsWith('.status.')) errs.push(fe.invalid(`${path}.scale.statusReplicasPath`, status, 'should be a json path under .status'));
  }
  const sel = str(scale.labelSelectorPath);
  if (sel.length > 0) {
    const e = validateSimpleJsonPath(sel, `${path}.scale.labelSelectorPath`);
    if (e.length > 0) errs.push(...e);
    else if (!sel.startsWith('.spec.') && !sel.startsWith('.status.')) errs.push(fe.invalid(`${path}.scale.labelSelectorPath`, sel, 'should be a json path under either .spec or .status'));
  }
  return errs;
}

function hasSchemaWith(versions: Obj[], pred: (s: JSONSchemaProps) => boolean): boolean {
  const walk = (s: unknown): boolean => {
    if (!isJsonObject(s)) return false;
    const js = s as JSONSchemaProps;
    if (pred(js)) return true;
    const kids: unknown[] = [...Object.values(js.properties ?? {}), js.items, js.additionalProperties, js.not, ...(js.allOf ?? []), ...(js.anyOf ?? []), ...(js.oneOf ?? [])];
    return kids.some(walk);
  };
  return versions.some((v) => walk(obj(v.schema).openAPIV3Schema));
}

function validateSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const group = str(spec.group);
  if (group.length === 0) errs.push(fe.required(`${path}.group`, ''));
  else {
    const m = isDNS1123Subdomain(group);
    if (m.length > 0) errs.push(fe.invalid(`${path}.group`, group, m.join(',')));
    else if (group.split('.').length < 2) errs.push(fe.invalid(`${path}.group`, group, 'should be a domain with at least one dot'));
  }
  const scope = str(spec.scope);
  if (scope === '') errs.push(fe.required(`${path}.scope`, ''));
  else if (scope !== 'Cluster' && scope !== 'Namespaced') errs.push(fe.notSupported(`${path}.scope`, scope, ['Cluster', 'Namespaced']));
  const versions = list(spec.versions).map(obj);
  versions.forEach((v, i) => {
    if (!isJsonObject(obj(v.schema).openAPIV3Schema)) errs.push(fe.required(`${path}.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'));
  });
  const preserve = spec.preserveUnknownFields === true;
  if (hasSchemaWith(versions, (s) => s.default !== undefined) && preserve) {
    errs.push(fe.invalid(`${path}.preserveUnknownFields`, true, 'must be false in order to use defaults in the schema'));
  }
  let storageCount = 0;
  const seen = new Set<string>();
  let uniqueNames = true;
  versions.forEach((v, i) => {
    const vp = `${path}.versions[${i}]`;
    const name = str(v.name);
    if (v.storage === true) storageCount++;
    if (seen.has(name)) uniqueNames = false;
    seen.add(name);
    const m = isDNS1035Label(name);
    if (m.length > 0) errs.push(fe.invalid(`${vp}.name`, name, m.join(',')));
    for (const msg of validateDeprecationWarning(v)) errs.push(fe.invalid(`${vp}.deprecationWarning`, v.deprecationWarning ?? null, msg));
    const sub = isJsonObject(v.subresources) ? v.subresources : undefined;
    const schema = obj(v.schema).openAPIV3Schema;
    if (isJsonObject(schema)) errs.push(...validateVersionSchema(schema as JSONSchemaProps, `${vp}.schema`, sub !== undefined && isJsonObject(sub.status), true));
    errs.push(...validateSubresources(sub, `${vp}.subresources`));
    list(v.additionalPrinterColumns).forEach((c, j) => errs.push(...validateColumn(obj(c), `${vp}.additionalPrinterColumns[${j}]`)));
    const sf = list(v.selectableFields);
    if (sf.length > 0) {
      if (!isJsonObject(schema)) errs.push(fe.invalid(`${vp}.selectableFields`, '', 'selectableFields may only be set when version.schema.openAPIV3Schema is not included'));
      else errs.push(...validateSelectableFields(sf, schema as JSONSchemaProps, `${vp}.selectableFields`));
    }
  });
  const versionsLiteral = new GoLiteral('[]apiextensions.CustomResourceDefinitionVersion{...}');
  const identical = (f: (v: Obj) => unknown) => versions.length > 1 && versions.every((v) => f(v) !== undefined && jsonEqual(f(v), f(versions[0])));
  if (identical((v) => v.schema)) errs.push(fe.invalid(`${path}.versions`, versionsLiteral, 'per-version schemas may not all be set to identical values (top-level validation should be used instead)'));
  if (identical((v) => v.subresources)) errs.push(fe.invalid(`${path}.versions`, versionsLiteral, 'per-version subresources may not all be set to identical values (top-level subresources should be used instead)'));
  if (identical((v) => v.additionalPrinterColumns)) errs.push(fe.invalid(`${path}.versions`, versionsLiteral, 'per-version additionalPrinterColumns may not all be set to identical values (top-level additionalPrinterColumns should be used instead)'));
  if (!uniqueNames) errs.push(fe.invalid(`${path}.versions`, versionsLiteral, 'must contain unique version names'));
  if (storageCount !== 1) errs.push(fe.invalid(`${path}.versions`, versionsLiteral, 'must have exactly one version marked as storage version'));
  const names = obj(spec.names);
  if (str(names.plural).length === 0) errs.push(fe.required(`${path}.names.plural`, ''));
  if (str(names.singular).length === 0) errs.push(fe.required(`${path}.names.singular`, ''));
  if (str(names.kind).length === 0) errs.push(fe.required(`${path}.names.kind`, ''));
  if (str(names.listKind).length === 0) errs.push(fe.required(`${path}.names.listKind`, ''));
  errs.push(...validateNames(names, `${path}.names`));
  const conv = isJsonObject(spec.conversion) ? spec.conversion : undefined;
  if (conv && conv.strategy !== 'None' && preserve) errs.push(fe.invalid(`${path}.conversion.strategy`, str(conv.strategy), 'must be None if spec.preserveUnknownFields is true'));
  if (conv) {
    const strategy = str(conv.strategy);
    if (strategy === '') errs.push(fe.required(`${path}.conversion.strategy`, ''));
    else if (strategy !== 'None' && strategy !== 'Webhook') errs.push(fe.notSupported(`${path}.conversion.strategy`, strategy, ['None', 'Webhook']));
    else if (strategy === 'Webhook') {
      // NB: this server cannot call conversion webhooks; a real one could, so it is refused loudly.
      errs.push(fe.forbidden(`${path}.conversion.strategy`, 'Webhook conversion is not supported by this standalone API server'));
    } else if (conv.webhook !== undefined) {
      errs.push(fe.forbidden(`${path}.conversion.webhookClientConfig`, 'should not be set when strategy is not set to Webhook'));
    }
  }
  return errs;
}

function crdNameRule(spec: Obj): (name: string, prefix: boolean) => string[] {
  const required = `${str(obj(spec.names).plural)}.${str(spec.group)}`;
  return (name, prefix) => {
    const errs = isDNS1123Subdomain(prefix && name.length > 1 && name.endsWith('-') ? name.slice(0, -2) + 'a' : name);
    if (name !== required) errs.push('must be spec.names.plural+"."+spec.group');
    return errs;
  };
}

function validateCrdMeta(meta: Obj, spec: Obj): FieldError[] {
  const errs = validateObjectMeta(meta, { namespaced: false, nameRule: 'dns1123subdomain' })
    .filter((e) => e.field !== 'metadata.name' && e.field !== 'metadata.generateName');
  const rule = crdNameRule(spec);
  const out: FieldError[] = [];
  const generateName = str(meta.generateName);
  if (generateName.length > 0) for (const m of rule(generateName, true)) out.push(fe.invalid('metadata.generateName', generateName, m));
  const name = str(meta.name);
  if (name.length === 0) out.push(fe.required('metadata.name', 'name or generateName is required'));
  else for (const m of rule(name, false)) out.push(fe.invalid('metadata.name', name, m));
  return [...out, ...errs];
}

function validateApiApproval(crd: Obj, old?: Obj): FieldError[] {
  const group = str(obj(crd.spec).group);
  const protectedGroup = group === 'k8s.io' || group.endsWith('.k8s.io') || group === 'kubernetes.io' || group.endsWith('.kubernetes.io');
  if (!protectedGroup) return [];
  const annotationKey = 'api-approved.kubernetes.io';
  const state = (o: Obj | undefined) => {
    const v = obj(obj(o?.metadata).annotations)[annotationKey];
    if (v === undefined) return 'missing';
    if (typeof v === 'string' && v.startsWith('unapproved')) return 'bypassed';
    if (typeof v === 'string' && /^https?:\/\//.test(v)) return 'approved';
    return 'invalid';
  };
  const next = state(crd);
  if (old && state(old) === next) return [];
  const path = `metadata.annotations[${annotationKey}]`;
  if (next === 'missing') return [fe.required(path, `protected groups must have approval annotation "${annotationKey}", see https://github.com/kubernetes/enhancements/pull/1111`)];
  if (next === 'invalid') return [fe.invalid(path, obj(obj(crd.metadata).annotations)[annotationKey], `protected groups must have approval annotation "${annotationKey}" with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111`)];
  return [];
}

/** apiextensions validation of a CRD object on create (old undefined) or update. */
export function validateCustomResourceDefinition(crd: unknown, old?: unknown): FieldError[] {
  const c = obj(crd);
  const spec = obj(c.spec);
  const meta = obj(c.metadata);
  const errs: FieldError[] = [];
  if (old === undefined) {
    errs.push(...validateCrdMeta(meta, spec));
  } else {
    const o = obj(old);
    errs.push(...validateObjectMetaUpdate(meta, obj(o.metadata)));
  }
  errs.push(...validateSpec(spec, 'spec'));
  if (old !== undefined) {
    const oldSpec = obj(obj(old).spec);
    if (str(spec.group) !== str(oldSpec.group)) errs.push(fe.invalid('spec.group', str(spec.group), 'field is immutable'));
    if (str(obj(spec.names).plural) !== str(obj(oldSpec.names).plural)) errs.push(fe.invalid('spec.names.plural', str(obj(spec.names).plural), 'field is immutable'));
  }
  errs.push(...validateNames(obj(obj(c.status).acceptedNames), 'status.acceptedNames'));
  errs.push(...validateApiApproval(c, old === undefined ? undefined : obj(old)));
  const oldPreserve = old !== undefined && obj(obj(old).spec).preserveUnknownFields === true;
  if (spec.preserveUnknownFields === true && !oldPreserve) {
    errs.push(fe.invalid('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'));
  }
  return errs;
}

