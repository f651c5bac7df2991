// objectmeta.Validate: x-kubernetes-embedded-resource values below the root need apiVersion and
// kind, and their metadata is validated as ObjectMeta with path-segment names.
import { fe, type FieldError } from './field-errors.js';
import { isDNS1035Label } from './name-validation.js';
import { validateObjectMeta } from './object-meta.js';
import { coerceObjectMeta } from './meta-coerce.js';
import { isJsonObject, itemsSchema, type JSONSchemaProps } from './structural.js';

function validateEmbedded(path: string, x: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  if (!Object.prototype.hasOwnProperty.call(x, 'apiVersion')) errs.push(fe.required(`${path}.apiVersion`, 'must not be empty'));
  if (!Object.prototype.hasOwnProperty.call(x, 'kind')) errs.push(fe.required(`${path}.kind`, 'must not be empty'));
  for (const [k, v] of Object.entries(x)) {
    if (k === 'apiVersion') {
      if (typeof v !== 'string') errs.push(fe.invalid(`${path}.apiVersion`, v, 'must be a string'));
      else if (v.length === 0) errs.push(fe.invalid(`${path}.apiVersion`, v, 'must not be empty'));
      else if (v.split('/').length > 2) errs.push(fe.invalid(`${path}.apiVersion`, v, `unexpected GroupVersion string: ${v}`));
    } else if (k === 'kind') {
      if (typeof v !== 'string') errs.push(fe.invalid(`${path}.kind`, v, 'must be a string'));
      else if (v.length === 0) errs.push(fe.invalid(`${path}.kind`, v, 'must not be empty'));
      else {
        const m = isDNS1035Label(v.toLowerCase());
        if (m.length > 0) errs.push(fe.invalid(`${path}.kind`, v, 'may have mixed case, but should otherwise match: ' + m.join(',')));
      }
    } else if (k === 'metadata') {
      let meta: Record<string, unknown> | undefined;
      try {
        meta = coerceObjectMeta(v, `${path}.metadata`).meta ?? {};
      } catch (err) {
        errs.push(fe.invalid(`${path}.metadata`, v, (err as Error).message));
        continue;
      }
      const m = { ...meta };
      if (!m.name) m.name = 'fakename';
      errs.push(...validateObjectMeta(m, { namespaced: typeof m.namespace === 'string' && m.namespace.length > 0, nameRule: 'path-segment', path: `${path}.metadata` }));
    }
  }
  return errs;
}

function walk(path: string, x: unknown, s: JSONSchemaProps | undefined, errs: FieldError[]): void {
  if (!s) return;
  if (Array.isArray(x)) {
    const items = itemsSchema(s);
    x.forEach((v, i) => walk(`${path}[${i}]`, v, items, errs));
    return;
  }
  if (!isJsonObject(x)) return;
  if (s['x-kubernetes-embedded-resource'] && path !== '') errs.push(...validateEmbedded(path, x));
  const ap = s.additionalProperties;
  for (const [k, v] of Object.entries(x)) {
    const prop = s.properties?.[k];
    if (prop) walk(path ? `${path}.${k}` : k, v, prop, errs);
    else if (ap !== undefined && typeof ap === 'object') walk(`${path}[${k}]`, v, ap, errs);
  }
}

/** schemaobjectmeta.Validate(nil, obj, schema, false): embedded resources below the root. */
export function validateEmbeddedResources(obj: Record<string, unknown>, schema: JSONSchemaProps | undefined): FieldError[] {
  const errs: FieldError[] = [];
  walk('', obj, schema, errs);
  return errs;
}
