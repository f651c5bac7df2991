// Validation of one version's openAPIV3Schema at CRD create/update, as apiextensions validation.go
// (ValidateCustomResourceDefinitionOpenAPISchema, specStandardValidatorV3), schema/validation.go
// (structural invariants) and defaulting/validation.go (defaults must be pruned and valid) do it,
// including compilation and cost limits of x-kubernetes-validations rules.
import { compileRule, normalizeFieldPath } from './cel/validator.js';
import { schemaType, maxRequestSizeBytes, type SizedType } from './cel/types.js';
import { fe, fieldErrorString, type FieldError } from './field-errors.js';
import { GoLiteral, goQuote, goStringSlice } from './go-format.js';
import { compileGoRegexp, GoRegexpError } from './go-regexp.js';
import { pruneObject } from './prune.js';
import { validateAgainstSchema } from './validate.js';
import { deepCopyJson, jsonEqual, type JSONSchemaProps, type ValidationRule } from './structural.js';

const staticEstimatedCostLimit = 10000000;
const staticEstimatedCrdCostLimit = 100000000;

const openapiV3Types = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const supportedValidationReasons = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];
const metaFields = new Set(['metadata', 'kind', 'apiVersion']);
const allowedAtRoot = new Set(['description', 'type', 'format', 'title', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'multipleOf', 'required', 'items', 'properties',
  'externalDocs', 'example', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-validations']);
const allowedFieldsAtRootSchemaText = '[Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations]';

const key = (p: string, k: string) => `${p}[${k}]`;

/** An apiextensions.ValidationRule as Go's %#v renders it (the bad value of rule errors). */
function ruleLiteral(r: ValidationRule): GoLiteral {
  const reason = r.reason ? `(*apiextensions.FieldValueErrorReason)(${goQuote(r.reason)})` : '(*apiextensions.FieldValueErrorReason)(nil)';
  const opt = r.optionalOldSelf === undefined ? '(*bool)(nil)' : `(*bool)(${r.optionalOldSelf})`;
  return new GoLiteral(`apiextensions.ValidationRule{Rule:${goQuote(r.rule ?? '')}, Message:${goQuote(r.message ?? '')}, MessageExpression:${goQuote(r.messageExpression ?? '')}, Reason:${reason}, FieldPath:${goQuote(r.fieldPath ?? '')}, OptionalOldSelf:${opt}}`);
}

function getCostErrorMessage(costName: string, cost: number, limit: number): string {
  const factor = cost / limit;
  let f: string;
  if (factor > 100) f = 'more than 100x';
  else if (factor < 1.5) f = `${factor.toFixed(6)}x`;
  else f = `${factor.toFixed(1)}x`;
  return `${costName} exceeds budget by factor of ${f} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`;
}

type Level = 'root' | 'item' | 'field';

/** schema/validation.go validateStructuralInvariants + the nested value-validation rules. */
function structuralInvariants(s: JSONSchemaProps, lvl: Level, path: string, errs: FieldError[]): void {
  const items = s.items && !Array.isArray(s.items) ? s.items : undefined;
  if (s.type === 'array' && !items) errs.push(fe.required(`${path}.items`, 'must be specified'));
  if (items) structuralInvariants(items, 'item', `${path}.items`, errs);
  for (const [k, v] of Object.entries(s.properties ?? {})) structuralInvariants(v, 'field', key(`${path}.properties`, k), errs);
  if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
    if (lvl === 'root') errs.push(fe.forbidden(`${path}.additionalProperties`, 'must not be used at the root'));
    if (typeof s.additionalProperties === 'object') structuralInvariants(s.additionalProperties, 'field', `${path}.additionalProperties`, errs);
  }
  if (s['x-kubernetes-int-or-string'] && s['x-kubernetes-preserve-unknown-fields']) {
    errs.push(fe.invalid(`${path}.x-kubernetes-preserve-unknown-fields`, true, 'must be false if x-kubernetes-int-or-string is true'));
  }
  if (s['x-kubernetes-int-or-string'] && s['x-kubernetes-embedded-resource']) {
    errs.push(fe.invalid(`${path}.x-kubernetes-embedded-resource`, true, 'must be false if x-kubernetes-int-or-string is true'));
  }
  const intOrStringAnyOf = (a: JSONSchemaProps[] | undefined) => a !== undefined && a.length === 2 &&
    jsonEqual(a, [{ type: 'integer' }, { type: 'string' }]);
  const skipAnyOf = intOrStringAnyOf(s.anyOf);
  const skipFirstAllOfAnyOf = (s.allOf?.length ?? 0) >= 1 && intOrStringAnyOf(s.allOf?.[0].anyOf);
  valueValidation(s, skipAnyOf, skipFirstAllOfAnyOf, path, errs);
  const checkMetadata = lvl === 'root' || s['x-kubernetes-embedded-resource'] === true;
  if (s['x-kubernetes-embedded-resource'] && s.type !== 'object') {
    if (!s.type) errs.push(fe.required(`${path}.type`, 'must be object if x-kubernetes-embedded-resource is true'));
    else errs.push(fe.invalid(`${path}.type`, s.type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (!s.type && !s['x-kubernetes-int-or-string'] && !s['x-kubernetes-preserve-unknown-fields']) {
    const where = { root: 'at the root', item: 'for specified array items', field: 'for specified object fields' }[lvl];
    errs.push(fe.required(`${path}.type`, `must not be empty ${where}`));
  }
  if (s['x-kubernetes-embedded-resource'] && s.additionalProperties !== undefined) {
    errs.push(fe.forbidden(`${path}.additionalProperties`, 'must not be used if x-kubernetes-embedded-resource is set'));
  }
  if (lvl === 'root' && s.type && s.type !== 'object') errs.push(fe.invalid(`${path}.type`, s.type, 'must be object at the root'));
  for (const f of ['kind', 'apiVersion']) {
    const p = s.properties?.[f];
    if (p && checkMetadata && p.type !== 'string') errs.push(fe.invalid(`${key(`${path}.properties`, f)}.type`, p.type ?? '', 'must be string'));
  }
  const meta = s.properties?.metadata;
  if (meta) {
    const mp = key(`${path}.properties`, 'metadata');
    if (checkMetadata && meta.type !== 'object') errs.push(fe.invalid(`${mp}.type`, meta.type ?? '', 'must be object'));
    if (lvl === 'root') {
      const rest: Record<string, unknown> = { ...meta };
      delete rest.type;
      delete rest.default;
      const props = Object.keys(meta.properties ?? {});
      if (props.every((p) => p === 'name' || p === 'generateName')) delete rest.properties;
      if (Object.keys(rest).length > 0) errs.push(fe.forbidden(mp, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
    }
  }
  if (s['x-kubernetes-embedded-resource'] && !s['x-kubernetes-preserve-unknown-fields'] && Object.keys(s.properties ?? {}).length === 0) {
    errs.push(fe.required(`${path}.properties`, 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
}

function valueValidation(s: JSONSchemaProps, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, path: string, errs: FieldError[]): void {
  if (!skipAnyOf) (s.anyOf ?? []).forEach((v, i) => nestedValueValidation(v, false, `${path}.anyOf[${i}]`, errs, false));
  (s.allOf ?? []).forEach((v, i) => nestedValueValidation(v, skipFirstAllOfAnyOf && i === 0, `${path}.allOf[${i}]`, errs, false));
  (s.oneOf ?? []).forEach((v, i) => nestedValueValidation(v, false, `${path}.oneOf[${i}]`, errs, false));
  if (s.not) nestedValueValidation(s.not, false, `${path}.not`, errs, false);
  if (s.pattern !== undefined && s.pattern.length > 0) {
    try {
      compileGoRegexp(s.pattern);
    } catch (e) {
      if (!(e instanceof GoRegexpError)) throw e;
      errs.push(fe.invalid(`${path}.pattern`, s.pattern, `must be a valid regular expression, but isn't: ${e.message}`));
    }
  }
}

function nestedValueValidation(v: JSONSchemaProps, skipAnyOf: boolean, path: string, errs: FieldError[], allowXValidations: boolean): void {
  valueValidation(v, skipAnyOf, false, path, errs);
  if (v.items && !Array.isArray(v.items)) nestedValueValidation(v.items, false, `${path}.items`, errs, allowXValidations);
  for (const [k, f] of Object.entries(v.properties ?? {})) nestedValueValidation(f, false, key(`${path}.properties`, k), errs, allowXValidations);
  if (v.type) errs.push(fe.forbidden(`${path}.type`, 'must be empty to be structural'));
  if (v.additionalProperties !== undefined) errs.push(fe.forbidden(`${path}.additionalProperties`, 'must be undefined to be structural'));
  if (v.default !== undefined) errs.push(fe.forbidden(`${path}.default`, 'must be undefined to be structural'));
  if (v.title) errs.push(fe.forbidden(`${path}.title`, 'must be empty to be structural'));
  if (v.description) errs.push(fe.forbidden(`${path}.description`, 'must be empty to be structural'));
  if (v.nullable) errs.push(fe.forbidden(`${path}.nullable`, 'must be false to be structural'));
  if (v['x-kubernetes-preserve-unknown-fields']) errs.push(fe.forbidden(`${path}.x-kubernetes-preserve-unknown-fields`, 'must be false to be structural'));
  if (v['x-kubernetes-embedded-resource']) errs.push(fe.forbidden(`${path}.x-kubernetes-embedded-resource`, 'must be false to be structural'));
  if (v['x-kubernetes-int-or-string']) errs.push(fe.forbidden(`${path}.x-kubernetes-int-or-string`, 'must be false to be structural'));
  if ((v['x-kubernetes-list-map-keys'] ?? []).length > 0) errs.push(fe.forbidden(`${path}.x-kubernetes-list-map-keys`, 'must be empty to be structural'));
  if (v['x-kubernetes-list-type'] !== undefined) errs.push(fe.forbidden(`${path}.x-kubernetes-list-type`, 'must be undefined to be structural'));
  if (v['x-kubernetes-map-type'] !== undefined) errs.push(fe.forbidden(`${path}.x-kubernetes-map-type`, 'must be undefined to be structural'));
  if ((v['x-kubernetes-validations'] ?? []).length > 0 && !allowXValidations) errs.push(fe.forbidden(`${path}.x-kubernetes-validations`, 'must be empty to be structural'));
  if (v.properties?.metadata) errs.push(fe.forbidden(key(`${path}.properties`, 'metadata'), 'must not be specified in a nested context'));
}

/** validateStructuralCompleteness: value validations may only mention fields the skeleton has. */
function completeness(s: JSONSchemaProps | undefined, v: JSONSchemaProps, sPath: string, vPath: string, errs: FieldError[]): void {
  const nested = (n: JSONSchemaProps | undefined, np: string) => {
    if (!n) return;
    completeness(s, n, sPath, np, errs);
    if (n.items && !Array.isArray(n.items)) {
      const si = s?.items && !Array.isArray(s.items) ? s.items : undefined;
      if (!si) errs.push(fe.required(`${sPath}.items`, `because it is defined in ${np}.items`));
      else completeness(si, n.items, `${sPath}.items`, `${np}.items`, errs);
    }
    for (const [k, f] of Object.entries(n.properties ?? {})) {
      const sf = s?.properties?.[k];
      if (!sf) errs.push(fe.required(key(`${sPath}.properties`, k), `because it is defined in ${key(`${np}.properties`, k)}`));
      else completeness(sf, f, key(`${sPath}.properties`, k), key(`${np}.properties`, k), errs);
    }
  };
  if (v.not) nested(v.not, `${vPath}.not`);
  (v.allOf ?? []).forEach((x, i) => nested(x, `${vPath}.allOf[${i}]`));
  (v.anyOf ?? []).forEach((x, i) => nested(x, `${vPath}.anyOf[${i}]`));
  (v.oneOf ?? []).forEach((x, i) => nested(x, `${vPath}.oneOf[${i}]`));
}

function walkSkeleton(s: JSONSchemaProps, path: string, errs: FieldError[]): void {
  completeness(s, s, path, path, errs);
  for (const [k, p] of Object.entries(s.properties ?? {})) walkSkeleton(p, key(`${path}.properties`, k), errs);
  if (s.items && !Array.isArray(s.items)) walkSkeleton(s.items, `${path}.items`, errs);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') walkSkeleton(s.additionalProperties, `${path}.additionalProperties`, errs);
}

function validateStructural(schema: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  structuralInvariants(schema, 'root', path, errs);
  walkSkeleton(schema, path, errs);
  return errs.sort((a, b) => (fieldErrorString(a) < fieldErrorString(b) ? -1 : fieldErrorString(a) > fieldErrorString(b) ? 1 : 0));
}

/** defaulting/validation.go: every default must be pruned already and valid against its schema. */
function validateDefaults(s: JSONSchemaProps, path: string, isRoot: boolean, insideMeta: boolean, errs: FieldError[]): void {
  if (s.default !== undefined && !insideMeta) {
    const pruned = deepCopyJson(s.default);
    if (pruned !== null && typeof pruned === 'object' && !Array.isArray(pruned)) {
      const probe = { v: pruned };
      pruneObject(probe, { type: 'object', properties: { v: s } });
      if (!jsonEqual(probe.v, s.default)) errs.push(fe.invalid(`${path}.default`, s.default, 'must not have unknown fields'));
    }
    errs.push(...validateAgainstSchema(s.default, s, undefined, '').map((e) => ({ ...e, field: e.field === '<nil>' ? `${path}.default` : `${path}.default.${e.field}` })));
  }
  if (s.items && !Array.isArray(s.items)) validateDefaults(s.items, `${path}.items`, false, insideMeta, errs);
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    validateDefaults(p, key(`${path}.properties`, k), false, insideMeta || ((isRoot || s['x-kubernetes-embedded-resource'] === true) && metaFields.has(k)), errs);
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object') validateDefaults(s.additionalProperties, `${path}.additionalProperties`, false, insideMeta, errs);
}

interface Ssv {
  allowDefaults: boolean;
  disallowDefaultsReason: string;
  insideResourceMeta: boolean;
  uncorrelatablePath?: string;
}

interface CelCtx { totalCost: number; costs: { path: string; cost: number }[] }

function standardChecks(s: JSONSchemaProps, path: string, ssv: Ssv, errs: FieldError[]): void {
  if (s.type && !openapiV3Types.includes(s.type)) errs.push(fe.notSupported(`${path}.type`, s.type, openapiV3Types));
  if (s.default !== undefined && !ssv.allowDefaults) {
    errs.push(fe.forbidden(`${path}.default`, `must not be set${ssv.disallowDefaultsReason ? ' ' + ssv.disallowDefaultsReason : ''}`));
  }
  if (s.id) errs.push(fe.forbidden(`${path}.id`, 'id is not supported'));
  if (s.additionalItems !== undefined) errs.push(fe.forbidden(`${path}.additionalItems`, 'additionalItems is not supported'));
  if (s.patternProperties && Object.keys(s.patternProperties).length > 0) errs.push(fe.forbidden(`${path}.patternProperties`, 'patternProperties is not supported'));
  if (s.definitions && Object.keys(s.definitions).length > 0) errs.push(fe.forbidden(`${path}.definitions`, 'definitions is not supported'));
  if (s.dependencies !== undefined) errs.push(fe.forbidden(`${path}.dependencies`, 'dependencies is not supported'));
  if (s.$ref !== undefined) errs.push(fe.forbidden(`${path}.$ref`, '$ref is not supported'));
  if (s.type === 'null') errs.push(fe.forbidden(`${path}.type`, 'type cannot be set to null, use nullable as an alternative'));
  if (Array.isArray(s.items) && s.items.length > 0) errs.push(fe.forbidden(`${path}.items`, 'items must be a schema object and not an array'));
  if (ssv.insideResourceMeta && s['x-kubernetes-embedded-resource']) errs.push(fe.forbidden(`${path}.x-kubernetes-embedded-resource`, 'must not be used inside of resource meta'));
}

/** The number of times a rule at this node can run per object (product of enclosing list/map bounds). */
function childCardinality(parent: number, max: number): number {
  return Math.min(Number.MAX_SAFE_INTEGER, parent * Math.max(1, max));
}

function openApiSchema(s: JSONSchemaProps, path: string, ssv: Ssv, isRoot: boolean, celOk: boolean, cardinality: number, cel: CelCtx, schemaErrs: FieldError[], celErrs: FieldError[]): void {
  const before = schemaErrs.length;
  standardChecks(s, path, ssv, schemaErrs);
  if (s.uniqueItems) schemaErrs.push(fe.forbidden(`${path}.uniqueItems`, 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  const hasProps = Object.keys(s.properties ?? {}).length > 0;
  if (s.additionalProperties !== undefined) {
    if (hasProps && (s.additionalProperties === false || typeof s.additionalProperties === 'object')) {
      schemaErrs.push(fe.forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
    }
    const sub = ssv.insideResourceMeta ? { ...ssv, allowDefaults: false, disallowDefaultsReason: 'inside additionalProperties applying to object metadata' } : ssv;
    if (typeof s.additionalProperties === 'object') {
      const apType = schemaType(s.additionalProperties, false);
      const n = s.maxProperties ?? estimateCount(apType);
      openApiSchema(s.additionalProperties, `${path}.additionalProperties`, sub, false, celOk, childCardinality(cardinality, n), cel, schemaErrs, celErrs);
    }
  }
  for (const [name, p] of Object.entries(s.properties ?? {})) {
    let sub = ssv;
    if ((isRoot || s['x-kubernetes-embedded-resource']) && metaFields.has(name)) {
      sub = { ...sub, insideResourceMeta: true };
      if (isRoot) sub = { ...sub, allowDefaults: false, disallowDefaultsReason: `in top-level ${name}` };
    }
    openApiSchema(p, key(`${path}.properties`, name), sub, false, celOk, cardinality, cel, schemaErrs, celErrs);
  }
  const noCel = (x: JSONSchemaProps, p: string) => openApiSchema(x, p, ssv, false, false, cardinality, cel, schemaErrs, celErrs);
  if (s.not) noCel(s.not, `${path}.not`);
  (s.allOf ?? []).forEach((x, i) => noCel(x, `${path}.allOf[${i}]`));
  (s.oneOf ?? []).forEach((x, i) => noCel(x, `${path}.oneOf[${i}]`));
  (s.anyOf ?? []).forEach((x, i) => noCel(x, `${path}.anyOf[${i}]`));
  if (s.items !== undefined) {
    const sub = s['x-kubernetes-list-type'] !== 'map' && ssv.uncorrelatablePath === undefined ? { ...ssv, uncorrelatablePath: path } : ssv;
    if (!Array.isArray(s.items)) {
      const itemType = schemaType(s.items, false);
      const n = s.maxItems ?? estimateCount(itemType);
      openApiSchema(s.items, `${path}.items`, sub, false, celOk, childCardinality(cardinality, n), cel, schemaErrs, celErrs);
    }
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === false) schemaErrs.push(fe.invalid(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'));
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && s.type !== 'object') {
    if (!s.type) schemaErrs.push(fe.required(`${path}.type`, 'must be object if x-kubernetes-map-type is specified'));
    else schemaErrs.push(fe.invalid(`${path}.type`, s.type, 'must be object if x-kubernetes-map-type is specified'));
  }
  if (mapType !== undefined && mapType !== 'atomic' && mapType !== 'granular') schemaErrs.push(fe.notSupported(`${path}.x-kubernetes-map-type`, mapType, ['atomic', 'granular']));
  const listType = s['x-kubernetes-list-type'];
  const items = s.items && !Array.isArray(s.items) ? s.items : undefined;
  if (listType !== undefined && s.type !== 'array') {
    if (!s.type) schemaErrs.push(fe.required(`${path}.type`, 'must be array if x-kubernetes-list-type is specified'));
    else schemaErrs.push(fe.invalid(`${path}.type`, s.type, 'must be array if x-kubernetes-list-type is specified'));
  } else if (listType === 'set' && items) {
    if (items.type === 'array' && items['x-kubernetes-list-type'] !== undefined && items['x-kubernetes-list-type'] !== 'atomic') {
      schemaErrs.push(fe.invalid(`${path}.items.x-kubernetes-list-type`, items['x-kubernetes-list-type'], 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    }
    if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
      schemaErrs.push(fe.invalid(`${path}.items.x-kubernetes-map-type`, null, 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    }
  }
  if (listType !== undefined && !['atomic', 'set', 'map'].includes(listType)) schemaErrs.push(fe.notSupported(`${path}.x-kubernetes-list-type`, listType, ['atomic', 'set', 'map']));
  const mapKeys = s['x-kubernetes-list-map-keys'] ?? [];
  if (mapKeys.length > 0) {
    if (listType === undefined) schemaErrs.push(fe.required(`${path}.x-kubernetes-list-type`, 'must be map if x-kubernetes-list-map-keys is non-empty'));
    else if (listType !== 'map') schemaErrs.push(fe.invalid(`${path}.x-kubernetes-list-type`, listType, 'must be map if x-kubernetes-list-map-keys is non-empty'));
  }
  if (listType === 'map') {
    if (mapKeys.length === 0) schemaErrs.push(fe.required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'));
    if (s.items === undefined) schemaErrs.push(fe.required(`${path}.items`, 'must have a schema if x-kubernetes-list-type is map'));
    if (Array.isArray(s.items)) schemaErrs.push(fe.invalid(`${path}.items`, s.items, 'must only have a single schema if x-kubernetes-list-type is map'));
    if (items && items.type !== 'object') schemaErrs.push(fe.invalid(`${path}.items.type`, items.type ?? '', "must be object if parent array's x-kubernetes-list-type is map"));
    if (items && items.type === 'object') {
      const seen = new Set<string>();
      for (const k of mapKeys) {
        const p = items.properties?.[k];
        if (p) {
          if (p.type === 'array' || p.type === 'object') schemaErrs.push(fe.invalid(`${key(`${path}.items.properties`, k)}.type`, items.type, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
        } else {
          schemaErrs.push(fe.invalid(`${path}.x-kubernetes-list-map-keys`, goStringSlice(mapKeys), 'entries must all be names of item properties'));
        }
        if (seen.has(k)) schemaErrs.push(fe.invalid(`${path}.x-kubernetes-list-map-keys`, goStringSlice(mapKeys), 'must not contain duplicate entries'));
        seen.add(k);
      }
    }
  }
  if (items && (listType === 'set' || listType === 'map')) {
    if (items.nullable) schemaErrs.push(fe.forbidden(`${path}.items.nullable`, `cannot be nullable when x-kubernetes-list-type is ${listType}`));
    if (listType === 'map') {
      const required = new Set(items.required ?? []);
      for (const k of mapKeys) {
        const p = items.properties?.[k];
        if (!p) continue;
        if (!required.has(k) && p.default === undefined) {
          schemaErrs.push(fe.required(`${key(`${path}.items.properties`, k)}.default`, 'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property'));
        }
        if (p.nullable) schemaErrs.push(fe.forbidden(`${key(`${path}.items.properties`, k)}.nullable`, 'this property is in x-kubernetes-list-map-keys, so it cannot be nullable'));
      }
    }
  }
  const rules = s['x-kubernetes-validations'] ?? [];
  rules.forEach((r, i) => {
    const rp = `${path}.x-kubernetes-validations[${i}]`;
    const rule = typeof r.rule === 'string' ? r.rule : '';
    const msg = r.message ?? '';
    if (rule.trim().length === 0) schemaErrs.push(fe.required(`${rp}.rule`, 'rule is not specified'));
    else if (msg.length > 0 && msg.trim().length === 0) schemaErrs.push(fe.invalid(`${rp}.message`, msg, 'message must be non-empty if specified'));
    else if (/[\n\r]/.test(msg.trim())) schemaErrs.push(fe.invalid(`${rp}.message`, msg, 'message must not contain line breaks'));
    else if (/[\n\r]/.test(rule.trim()) && msg.trim().length === 0) schemaErrs.push(fe.required(`${rp}.message`, 'message must be specified if rule contains line breaks'));
    if ((r.messageExpression ?? '').length > 0 && (r.messageExpression ?? '').trim().length === 0) schemaErrs.push(fe.required(`${rp}.messageExpression`, 'messageExpression must be non-empty if specified'));
    if (r.reason !== undefined && !supportedValidationReasons.includes(r.reason)) schemaErrs.push(fe.notSupported(`${rp}.reason`, r.reason, supportedValidationReasons));
    const fp = r.fieldPath ?? '';
    if (fp.length > 0 && fp.trim().length === 0) schemaErrs.push(fe.invalid(`${rp}.fieldPath`, fp, 'fieldPath must be non-empty if specified'));
    if (/[\n\r]/.test(fp)) schemaErrs.push(fe.invalid(`${rp}.fieldPath`, fp, 'fieldPath must not contain line breaks'));
    if (fp.length > 0 && normalizeFieldPath(fp, s) === undefined) schemaErrs.push(fe.invalid(`${rp}.fieldPath`, fp, 'fieldPath must be a valid path'));
  });
  if (rules.length > 0 && celOk && schemaErrs.length === before) {
    const self = schemaType(s, isRoot || s['x-kubernetes-embedded-resource'] === true);
    rules.forEach((r, i) => {
      const rp = `${path}.x-kubernetes-validations[${i}]`;
      if (!self) {
        celErrs.push(fe.internal(`${path}.x-kubernetes-validations`, 'internal error: failed to retrieve type information for x-kubernetes-validations'));
        return;
      }
      const c = compileRule(r, self, s);
      const cost = Math.min(Number.MAX_SAFE_INTEGER, c.cost * cardinality);
      if (cost > staticEstimatedCostLimit) celErrs.push(fe.forbidden(`${rp}.rule`, getCostErrorMessage('estimated rule cost', cost, staticEstimatedCostLimit)));
      cel.totalCost += cost;
      if (cost >= staticEstimatedCrdCostLimit / 100) cel.costs.push({ path: `${rp}.rule`, cost });
      if (c.error) celErrs.push(c.error.type === 'Required' ? fe.required(`${rp}.rule`, c.error.detail) : fe.invalid(`${rp}.rule`, ruleLiteral(r), c.error.detail));
      if (c.messageError) celErrs.push(fe.invalid(`${rp}.messageExpression`, ruleLiteral(r), c.messageError));
      else if (c.message) {
        const mcost = Math.min(Number.MAX_SAFE_INTEGER, c.messageCost * cardinality);
        if (mcost > staticEstimatedCostLimit) celErrs.push(fe.forbidden(`${rp}.messageExpression`, getCostErrorMessage('estimated messageExpression cost', mcost, staticEstimatedCostLimit)));
        cel.totalCost += mcost;
      }
      if (c.usesOldSelf) {
        if (ssv.uncorrelatablePath !== undefined) celErrs.push(fe.invalid(`${rp}.rule`, r.rule, `oldSelf cannot be used on the uncorrelatable portion of the schema within ${ssv.uncorrelatablePath}`));
      } else if (r.optionalOldSelf !== undefined) {
        celErrs.push(fe.invalid(`${rp}.optionalOldSelf`, r.optionalOldSelf, 'may not be set if oldSelf is not used in rule'));
      }
    });
  }
}

function estimateCount(t: SizedType | undefined): number {
  if (!t) return 1;
  return Math.floor((maxRequestSizeBytes - 2) / (t.minSerializedSize + 1));
}

/** validateCustomResourceDefinitionValidation for one version's schema. */
export function validateVersionSchema(schema: JSONSchemaProps, path: string, statusEnabled: boolean, requireStructural: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const sp = `${path}.openAPIV3Schema`;
  if (statusEnabled) {
    for (const [k, v] of Object.entries(schema)) {
      if (v === undefined || v === false || v === '' || (Array.isArray(v) && v.length === 0)) continue;
      if (k === 'type') {
        if (schema.type !== 'object') { errs.push(fe.invalid(`${sp}.type`, schema.type, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled')); break; }
        continue;
      }
      if (!allowedAtRoot.has(k)) {
        errs.push(fe.invalid(sp, new GoLiteral('apiextensions.JSONSchemaProps{...}'), `only ${allowedFieldsAtRootSchemaText} fields are allowed at the root of the schema if the status subresource is enabled`));
        break;
      }
    }
  }
  if (schema.nullable) errs.push(fe.forbidden(`${sp}.nullable`, 'nullable cannot be true at the root'));
  let celOk = false;
  if (requireStructural) {
    const structural = validateStructural(schema, sp);
    if (structural.length > 0) errs.push(...structural);
    else {
      const defaultErrs: FieldError[] = [];
      validateDefaults(schema, sp, true, false, defaultErrs);
      if (defaultErrs.length > 0) errs.push(...defaultErrs);
      else celOk = true;
    }
  }
  const schemaErrs: FieldError[] = [];
  const celErrs: FieldError[] = [];
  const cel: CelCtx = { totalCost: 0, costs: [] };
  openApiSchema(schema, sp, { allowDefaults: true, disallowDefaultsReason: '', insideResourceMeta: false }, true, celOk, 1, cel, schemaErrs, celErrs);
  errs.push(...schemaErrs, ...celErrs);
  if (celOk && cel.totalCost > staticEstimatedCrdCostLimit) {
    for (const c of cel.costs.sort((a, b) => b.cost - a.cost).slice(0, 4)) errs.push(fe.forbidden(c.path, 'contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema'));
    errs.push(fe.forbidden(sp, getCostErrorMessage('x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema', cel.totalCost, staticEstimatedCrdCostLimit)));
  }
  return errs;
}
