// A hand-written CRD with the constructs the project's ContainerAttach CRD uses: enums, int64
// bounds, patterns, maxItems/maxLength, CEL with self/oldSelf, list-map conditions, printer columns
// and selectable fields. The real CRD (crds/containerattaches.lxcattach.io.yaml) has its own tests
// in real-crd.test.ts.
import type { CustomResourceDefinition } from '../../../apiserver/src/schema/index.js';

export function fixtureCrd(): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'containerattaches.lxcattach.io' },
    spec: {
      group: 'lxcattach.io',
      scope: 'Namespaced',
      names: { plural: 'containerattaches', singular: 'containerattach', kind: 'ContainerAttach', listKind: 'ContainerAttachList', shortNames: ['lxca'], categories: ['lxc'] },
      versions: [{
        name: 'v1alpha1', served: true, storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Node', type: 'string', jsonPath: '.spec.nodeName' },
          { name: 'Container', type: 'string', jsonPath: '.spec.container' },
          { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
          { name: 'Exit', type: 'integer', jsonPath: '.status.exitCode' },
          { name: 'Ready', type: 'string', priority: 1, jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        selectableFields: [{ jsonPath: '.spec.nodeName' }, { jsonPath: '.spec.container' }, { jsonPath: '.status.phase' }],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: {
                type: 'object',
                required: ['container'],
                'x-kubernetes-validations': [
                  { rule: 'self == oldSelf', message: 'spec is immutable' },
                  { rule: "!has(self.selinuxContext) || !has(self.elevatedPrivileges) || !('LSM' in self.elevatedPrivileges)", message: 'selinuxContext cannot be combined with elevated LSM' },
                ],
                properties: {
                  container: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[^/\\s]+$' },
                  nodeName: { type: 'string', maxLength: 253 },
                  arch: { type: 'string', enum: ['x86', 'x86_64', 'arm64'] },
                  mode: { type: 'string', enum: ['Interactive', 'Batch'], default: 'Batch' },
                  elevatedPrivileges: { type: 'array', maxItems: 3, 'x-kubernetes-list-type': 'set', items: { type: 'string', enum: ['CGROUP', 'CAP', 'LSM'] } },
                  selinuxContext: { type: 'string', maxLength: 1024 },
                  uid: { type: 'integer', format: 'int64', minimum: 0, maximum: 4294967294 },
                  gid: { type: 'integer', format: 'int64', minimum: 0, maximum: 4294967294 },
                  command: { type: 'array', maxItems: 256, items: { type: 'string', maxLength: 4096 } },
                  tty: { type: 'boolean' },
                  env: {
                    type: 'object',
                    properties: {
                      policy: { type: 'string', enum: ['Keep', 'Clear'] },
                      set: {
                        type: 'array', maxItems: 128, items: { type: 'string', maxLength: 4096 },
                        'x-kubernetes-validations': [{ rule: "self.all(v, v.matches('^[A-Za-z_][A-Za-z0-9_]*(=.*)?$'))", message: 'each entry must be VAR or VAR=VALUE' }],
                      },
                    },
                  },
                  terminal: { type: 'object', nullable: true, properties: { width: { type: 'integer', minimum: 0, maximum: 65535 }, term: { type: 'string', default: 'xterm' } } },
                },
              },
              status: {
                type: 'object',
                properties: {
                  phase: { type: 'string', enum: ['Pending', 'WaitingForClient', 'Running', 'Succeeded', 'Failed'] },
                  exitCode: { type: 'integer', format: 'int32' },
                  conditions: {
                    type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'], maxItems: 16,
                    items: {
                      type: 'object', required: ['type', 'status'],
                      properties: {
                        type: { type: 'string', maxLength: 316 },
                        status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
                        reason: { type: 'string', maxLength: 1024 },
                        message: { type: 'string', maxLength: 32768 },
                        lastTransitionTime: { type: 'string', format: 'date-time' },
                        observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      }],
    },
  };
}
