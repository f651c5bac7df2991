// /openapi/v3 and /openapi/v2: enough for kubectl's server-side field validation check
// (query_param_verifier_v3.go: a PATCH operation carrying x-kubernetes-group-version-kind and a
// fieldValidation query parameter). CRD groups get the schema module's full documents; built-in
// groups a minimal document without schemas, whose PATCH bodies do not offer strategic merge, so
// kubectl computes strategic merge patches from its compiled-in types rather than from a schema
// it cannot find.
import { createHash } from 'node:crypto';
import type { Obj } from './objects.js';
import { openApiV3GroupVersion, type CustomResourceDefinition } from './schema/index.js';
import type { Registry } from './resource-registry.js';
import type { ResourceType } from './resource-type.js';
import { KUBE_VERSION } from './version.js';

const KUBE_RELEASE = `v${KUBE_VERSION.major}.${KUBE_VERSION.minor}.${KUBE_VERSION.patch}`;

const fieldValidationParam = {
  name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true },
  description: 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.',
};

function itemPath(t: ResourceType): string {
  const base = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
  return t.namespaced ? `${base}/namespaces/{namespace}/${t.resource}/{name}` : `${base}/${t.resource}/{name}`;
}

function minimalDoc(types: ResourceType[]): Obj {
  const paths: Obj = {};
  for (const t of types) {
    if (t.review || !t.verbs.includes('patch')) continue;
    const ext = { group: t.group, version: t.version, kind: t.kind };
    const content: Obj = {};
    for (const ct of ['application/json-patch+json', 'application/merge-patch+json']) content[ct] = { schema: { type: 'object' } };
    paths[itemPath(t)] = {
      patch: {
        description: `partially update the specified ${t.kind}`,
        operationId: `patch${t.kind}`,
        parameters: [
          { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
          fieldValidationParam,
        ],
        requestBody: { content, required: true },
        responses: { '200': { description: 'OK' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': ext,
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: KUBE_RELEASE }, paths, components: { schemas: {} } };
}

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

export class OpenApi {
  readonly #reg: Registry;
  readonly #crds: () => Obj[];

  constructor(reg: Registry, crds: () => Obj[]) {
    this.#reg = reg;
    this.#crds = crds;
  }

  /** The document of one group/version, or undefined when nothing is served there. */
  groupVersion(group: string, version: string): Obj | undefined {
    const types = this.#reg.typesOf(group, version);
    if (types.length === 0) return undefined;
    if (types.every((t) => t.custom)) {
      const crds = this.#crds().filter((c) => (c.spec as Obj).group === group);
      return openApiV3GroupVersion(crds as unknown as CustomResourceDefinition[], group, version) as Obj;
    }
    return minimalDoc(types);
  }

  root(): Obj {
    const paths: Obj = {};
    for (const g of this.#reg.groups()) {
      for (const v of g.versions) {
        const doc = this.groupVersion(g.group, v);
        const hash = createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
        paths[gvPath(g.group, v)] = { serverRelativeURL: `/openapi/v3/${gvPath(g.group, v)}?hash=${hash}` };
      }
    }
    return { paths };
  }

  /** Swagger 2.0 with the same PATCH operations (kubectl's fallback verifier). */
  v2(): Obj {
    const paths: Obj = {};
    for (const t of this.#reg.all()) {
      if (t.review || !t.verbs.includes('patch')) continue;
      paths[itemPath(t)] = {
        patch: {
          consumes: ['application/json-patch+json', 'application/merge-patch+json'],
          produces: ['application/json', 'application/yaml'],
          operationId: `patch${t.kind}`,
          parameters: [{ uniqueItems: true, type: 'string', name: 'fieldValidation', in: 'query', description: fieldValidationParam.description }],
          responses: { '200': { description: 'OK' } },
          'x-kubernetes-action': 'patch',
          'x-kubernetes-group-version-kind': { group: t.group, version: t.version, kind: t.kind },
        },
      };
    }
    return { swagger: '2.0', info: { title: 'Kubernetes', version: KUBE_RELEASE }, paths, definitions: {} };
  }
}

