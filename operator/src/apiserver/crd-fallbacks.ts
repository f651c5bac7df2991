// Stand-ins used only while the schema module does not yet export its CRD validation and OpenAPI
// document builders (they land on the schema branch): a minimal subset of apiextensions' CRD
// validation, and an OpenAPI v3 document with the PATCH operations kubectl's field-validation
// check looks for. modules.ts prefers the schema module's functions as soon as they exist.
import type { CompiledVersion, FieldError, Obj } from './ports.js';
import { isObj } from './objects.js';

export function fallbackCrdValidation(crd: Obj, compile: (crd: Obj, version: string) => CompiledVersion): FieldError[] {
  const errs: FieldError[] = [];
  const spec = isObj(crd.spec) ? crd.spec : {};
  const names = isObj(spec.names) ? spec.names : {};
  const group = typeof spec.group === 'string' ? spec.group : '';
  const plural = typeof names.plural === 'string' ? names.plural : '';
  const name = isObj(crd.metadata) && typeof crd.metadata.name === 'string' ? crd.metadata.name : '';
  if (name !== `${plural}.${group}`) {
    errs.push({ type: 'FieldValueInvalid', field: 'metadata.name', badValue: name, detail: 'must be spec.names.plural+"."+spec.group' });
  }
  if (!group) errs.push({ type: 'FieldValueRequired', field: 'spec.group', badValue: '', detail: '' });
  if (!plural) errs.push({ type: 'FieldValueRequired', field: 'spec.names.plural', badValue: '', detail: '' });
  if (!names.kind) errs.push({ type: 'FieldValueRequired', field: 'spec.names.kind', badValue: '', detail: '' });
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    errs.push({ type: 'FieldValueNotSupported', field: 'spec.scope', badValue: spec.scope ?? '', supported: ['Cluster', 'Namespaced'] });
  }
  const versions = Array.isArray(spec.versions) ? (spec.versions as Obj[]) : [];
  if (versions.length === 0) errs.push({ type: 'FieldValueInvalid', field: 'spec.versions', badValue: versions, detail: 'must have exactly one version marked as storage version' });
  else if (versions.filter((v) => v.storage === true).length !== 1) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.versions', badValue: versions, detail: 'must have exactly one version marked as storage version' });
  }
  if (errs.length) return errs;
  versions.forEach((v, i) => {
    try {
      compile(crd, String(v.name));
    } catch (e) {
      errs.push({ type: 'FieldValueInvalid', field: `spec.versions[${i}].schema.openAPIV3Schema`, badValue: '', detail: (e as Error).message });
    }
  });
  return errs;
}

export function fallbackOpenApiV3(crds: Obj[], group: string, version: string): object {
  const paths: Obj = {};
  for (const crd of crds) {
    const spec = crd.spec as Obj;
    const names = spec.names as Obj;
    const served = ((spec.versions ?? []) as Obj[]).some((v) => v.name === version && v.served);
    if (!served) continue;
    const base = `/apis/${group}/${version}`;
    const item = spec.scope === 'Namespaced' ? `${base}/namespaces/{namespace}/${String(names.plural)}/{name}` : `${base}/${String(names.plural)}/{name}`;
    const content: Obj = {};
    for (const ct of ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']) content[ct] = { schema: { type: 'object' } };
    paths[item] = {
      patch: {
        operationId: `patch${group}${version}Namespaced${String(names.kind)}`,
        parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
        requestBody: { content, required: true },
        responses: { '200': { description: 'OK' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group, version, kind: names.kind },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' }, paths, components: { schemas: {} } };
}
