// The /openapi/v3/apis/<group>/<version> document for established CRDs, shaped like the one
// apiextensions-apiserver's builder publishes: paths with operations carrying
// x-kubernetes-group-version-kind and x-kubernetes-action, PATCH operations listing the
// fieldValidation query parameter (what kubectl's QueryParamVerifierV3 checks before sending
// fieldValidation=Strict), and components.schemas named io.<reversed group>.<version>.<Kind> with
// x-kubernetes-group-version-kind, which `kubectl explain` reads, plus the meta/v1 types they use.
import type { CustomResourceDefinition } from './crd-json-types.js';
import { deepCopyJson, type JSONSchemaProps } from './structural.js';

const metaPrefix = 'io.k8s.apimachinery.pkg.apis.meta.v1';

function componentName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

function param(name: string, description: string, schema: object = { type: 'string', uniqueItems: true }): object {
  return { name, in: 'query', description, schema };
}

const params = {
  dryRun: param('dryRun', 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed'),
  fieldManager: param('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.'),
  fieldValidation: param('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.'),
  force: param('force', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.', { type: 'boolean', uniqueItems: true }),
  pretty: param('pretty', "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget)."),
  labelSelector: param('labelSelector', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  fieldSelector: param('fieldSelector', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  resourceVersion: param('resourceVersion', 'resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.'),
  limit: param('limit', 'limit is a maximum number of responses to return for a list call.', { type: 'integer', uniqueItems: true }),
  continue: param('continue', 'The continue option should be set when retrieving more results from the server.'),
  watch: param('watch', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.', { type: 'boolean', uniqueItems: true }),
  timeoutSeconds: param('timeoutSeconds', 'Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.', { type: 'integer', uniqueItems: true }),
  allowWatchBookmarks: param('allowWatchBookmarks', 'allowWatchBookmarks requests watch events with type "BOOKMARK".', { type: 'boolean', uniqueItems: true }),
  gracePeriodSeconds: param('gracePeriodSeconds', 'The duration in seconds before the object should be deleted. Value must be non-negative integer.', { type: 'integer', uniqueItems: true }),
  propagationPolicy: param('propagationPolicy', "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'."),
};

const pathParam = (name: string, description: string) => ({ name, in: 'path', description, required: true, schema: { type: 'string', uniqueItems: true } });

function jsonContent(ref: string): object {
  const schema = { $ref: `#/components/schemas/${ref}` };
  return { 'application/json': { schema }, 'application/yaml': { schema } };
}

function op(action: string, opId: string, gvk: object, tag: string, responseRef: string, parameters: object[], extra: object = {}): object {
  return {
    tags: [tag],
    description: opId,
    operationId: opId,
    parameters,
    responses: { '200': { description: 'OK', content: jsonContent(responseRef) }, '401': { description: 'Unauthorized' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    ...extra,
  };
}

function patchBody(): object {
  const schema = { $ref: `#/components/schemas/${metaPrefix}.Patch` };
  return { content: { 'application/json-patch+json': { schema }, 'application/merge-patch+json': { schema }, 'application/apply-patch+yaml': { schema } }, required: true };
}

function resourceSchema(crd: CustomResourceDefinition, version: string, schema: JSONSchemaProps | undefined): object {
  const s = deepCopyJson(schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as Record<string, unknown>;
  const props = { ...((s.properties as Record<string, unknown>) ?? {}) };
  props.apiVersion = { description: 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources', type: 'string' };
  props.kind = { description: 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds', type: 'string' };
  props.metadata = { description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata", allOf: [{ $ref: `#/components/schemas/${metaPrefix}.ObjectMeta` }] };
  s.properties = props;
  s['x-kubernetes-group-version-kind'] = [{ group: crd.spec.group, kind: crd.spec.names.kind, version }];
  return s;
}

function listSchema(crd: CustomResourceDefinition, version: string, itemRef: string): object {
  const listKind = crd.spec.names.listKind ?? `${crd.spec.names.kind}List`;
  return {
    description: `${listKind} is a list of ${crd.spec.names.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { description: 'APIVersion defines the versioned schema of this representation of an object.', type: 'string' },
      items: { description: `List of ${crd.spec.names.plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`, type: 'array', items: { $ref: `#/components/schemas/${itemRef}` } },
      kind: { description: 'Kind is a string value representing the REST resource this object represents.', type: 'string' },
      metadata: { description: 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds', allOf: [{ $ref: `#/components/schemas/${metaPrefix}.ListMeta` }] },
    },
    'x-kubernetes-group-version-kind': [{ group: crd.spec.group, kind: listKind, version }],
  };
}

function metaSchemas(): Record<string, object> {
  const str = (description: string) => ({ description, type: 'string' });
  const time = { $ref: `#/components/schemas/${metaPrefix}.Time` };
  return {
    [`${metaPrefix}.ObjectMeta`]: {
      description: 'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
      type: 'object',
      properties: {
        annotations: { description: 'Annotations is an unstructured key value map stored with a resource.', type: 'object', additionalProperties: { type: 'string', default: '' } },
        creationTimestamp: { description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', allOf: [time] },
        deletionGracePeriodSeconds: { description: 'Number of seconds allowed for this object to gracefully terminate before it will be removed from the system.', type: 'integer', format: 'int64' },
        deletionTimestamp: { description: 'DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted.', allOf: [time] },
        finalizers: { description: 'Must be empty before the object is deleted from the registry.', type: 'array', items: { type: 'string', default: '' }, 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' },
        generateName: str('GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.'),
        generation: { description: 'A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.', type: 'integer', format: 'int64' },
        labels: { description: 'Map of string keys and values that can be used to organize and categorize (scope and select) objects.', type: 'object', additionalProperties: { type: 'string', default: '' } },
        managedFields: { description: 'ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.', type: 'array', items: { default: {}, allOf: [{ $ref: `#/components/schemas/${metaPrefix}.ManagedFieldsEntry` }] }, 'x-kubernetes-list-type': 'atomic' },
        name: str('Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.'),
        namespace: str('Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the "default" namespace, but "default" is the canonical representation.'),
        ownerReferences: { description: 'List of objects depended by this object.', type: 'array', items: { default: {}, allOf: [{ $ref: `#/components/schemas/${metaPrefix}.OwnerReference` }] }, 'x-kubernetes-list-map-keys': ['uid'], 'x-kubernetes-list-type': 'map', 'x-kubernetes-patch-merge-key': 'uid', 'x-kubernetes-patch-strategy': 'merge' },
        resourceVersion: str('An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed.'),
        selfLink: str('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.'),
        uid: str('UID is the unique in time and space value for this object. It is typically generated by the server on successful creation of a resource and is not allowed to change on PUT operations.'),
      },
    },
    [`${metaPrefix}.ListMeta`]: {
      description: 'ListMeta describes metadata that synthetic resources must have, including lists and various status objects.',
      type: 'object',
      properties: {
        continue: str('continue may be set if the user set a limit on the number of items returned.'),
        remainingItemCount: { description: 'remainingItemCount is the number of subsequent items in the list which are not included in this list response.', type: 'integer', format: 'int64' },
        resourceVersion: str("String that identifies the server's internal version of this object that can be used by clients to determine when objects have changed."),
        selfLink: str('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.'),
      },
    },
    [`${metaPrefix}.OwnerReference`]: {
      description: 'OwnerReference contains enough information to let you identify an owning object.',
      type: 'object',
      required: ['apiVersion', 'kind', 'name', 'uid'],
      properties: {
        apiVersion: { ...str('API version of the referent.'), default: '' },
        blockOwnerDeletion: { description: 'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.', type: 'boolean' },
        controller: { description: 'If true, this reference points to the managing controller.', type: 'boolean' },
        kind: { ...str('Kind of the referent.'), default: '' },
        name: { ...str('Name of the referent.'), default: '' },
        uid: { ...str('UID of the referent.'), default: '' },
      },
      'x-kubernetes-map-type': 'atomic',
    },
    [`${metaPrefix}.ManagedFieldsEntry`]: {
      description: 'ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.',
      type: 'object',
      properties: {
        apiVersion: str('APIVersion defines the version of this resource that this field set applies to.'),
        fieldsType: str('FieldsType is the discriminator for the different fields format and version.'),
        fieldsV1: { description: 'FieldsV1 holds the first JSON version format as described in the "FieldsV1" type.', allOf: [{ $ref: `#/components/schemas/${metaPrefix}.FieldsV1` }] },
        manager: str('Manager is an identifier of the workflow managing these fields.'),
        operation: str('Operation is the type of operation which lead to this ManagedFieldsEntry being created.'),
        subresource: str('Subresource is the name of the subresource used to update that object, or empty string if the object was updated through the main resource.'),
        time: { description: 'Time is the timestamp of when the ManagedFields entry was added.', allOf: [time] },
      },
    },
    [`${metaPrefix}.FieldsV1`]: { description: 'FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.', type: 'object' },
    [`${metaPrefix}.Time`]: { description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.', type: 'string', format: 'date-time' },
    [`${metaPrefix}.Patch`]: { description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.', type: 'object' },
    [`${metaPrefix}.Status`]: {
      description: 'Status is a return value for calls that don\'t return other objects.',
      type: 'object',
      properties: { apiVersion: { type: 'string' }, code: { type: 'integer', format: 'int32' }, kind: { type: 'string' }, message: { type: 'string' }, reason: { type: 'string' }, status: { type: 'string' } },
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }],
    },
  };
}

/** The /openapi/v3/apis/<group>/<version> document for the established CRDs of that group/version. */
export function openApiV3GroupVersion(crds: CustomResourceDefinition[], group: string, version: string): object {
  const paths: Record<string, object> = {};
  const schemas: Record<string, object> = {};
  for (const crd of crds) {
    if (crd.spec.group !== group) continue;
    const v = crd.spec.versions.find((x) => x.name === version && x.served);
    if (!v) continue;
    const kind = crd.spec.names.kind;
    const plural = crd.spec.names.plural;
    const gvk = { group, version, kind };
    const ref = componentName(group, version, kind);
    const listRef = componentName(group, version, crd.spec.names.listKind ?? `${kind}List`);
    const tag = `${group.split('.')[0].replace(/^./, (c) => c.toUpperCase())}${version.replace(/^./, (c) => c.toUpperCase())}`;
    const opKind = `${kind}`;
    const ns = crd.spec.scope === 'Namespaced';
    const base = `/apis/${group}/${version}`;
    const collection = ns ? `${base}/namespaces/{namespace}/${plural}` : `${base}/${plural}`;
    const item = `${collection}/{name}`;
    const common = [...(ns ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')] : []), params.pretty];
    const listParams = [params.allowWatchBookmarks, params.continue, params.fieldSelector, params.labelSelector, params.limit, params.resourceVersion, params.timeoutSeconds, params.watch];
    const body = { content: jsonContent(ref), required: true };
    const suffix = ns ? `Namespaced${opKind}` : opKind;
    if (ns) {
      paths[`${base}/${plural}`] = {
        get: op('list', `list${opKind}ForAllNamespaces`, gvk, tag, listRef, listParams),
        parameters: [params.pretty],
      };
    }
    paths[collection] = {
      get: op('list', `list${suffix}`, gvk, tag, listRef, listParams),
      post: op('post', `create${suffix}`, gvk, tag, ref, [params.dryRun, params.fieldManager, params.fieldValidation], { requestBody: body }),
      delete: op('deletecollection', `deletecollection${suffix}`, gvk, tag, `${metaPrefix}.Status`, [params.continue, params.dryRun, params.fieldSelector, params.gracePeriodSeconds, params.labelSelector, params.limit, params.propagationPolicy, params.resourceVersion, params.timeoutSeconds]),
      parameters: common,
    };
    const nameParam = pathParam('name', `name of the ${kind}`);
    paths[item] = {
      get: op('get', `read${suffix}`, gvk, tag, ref, [params.resourceVersion]),
      put: op('put', `replace${suffix}`, gvk, tag, ref, [params.dryRun, params.fieldManager, params.fieldValidation], { requestBody: body }),
      patch: op('patch', `patch${suffix}`, gvk, tag, ref, [params.dryRun, params.fieldManager, params.fieldValidation, params.force], { requestBody: patchBody() }),
      delete: op('delete', `delete${suffix}`, gvk, tag, `${metaPrefix}.Status`, [params.dryRun, params.gracePeriodSeconds, params.propagationPolicy]),
      parameters: [nameParam, ...common],
    };
    if (v.subresources?.status) {
      paths[`${item}/status`] = {
        get: op('get', `read${suffix}Status`, gvk, tag, ref, [params.resourceVersion]),
        put: op('put', `replace${suffix}Status`, gvk, tag, ref, [params.dryRun, params.fieldManager, params.fieldValidation], { requestBody: body }),
        patch: op('patch', `patch${suffix}Status`, gvk, tag, ref, [params.dryRun, params.fieldManager, params.fieldValidation, params.force], { requestBody: patchBody() }),
        parameters: [nameParam, ...common],
      };
    }
    schemas[ref] = resourceSchema(crd, version, v.schema?.openAPIV3Schema);
    schemas[listRef] = listSchema(crd, version, ref);
  }
  Object.assign(schemas, metaSchemas());
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' },
    paths,
    components: { schemas },
  };
}
