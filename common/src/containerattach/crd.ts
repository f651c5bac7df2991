// The ContainerAttach CustomResourceDefinition, built from the option table (one schema per
// lxc-attach option) plus the session fields. scripts/generate.ts writes it to crds/.
import { lxcAttachOptions, type JsonSchema } from '../options/lxc-attach-options.js';
import { category, group, kind, plural, shortName, singular, version } from './types.js';

/** 30 days: longer than Node's longest single timer (the agent chains its timers). */
export const maxActiveDeadlineSeconds = 30 * 86400;
export const maxConnectTimeoutSeconds = 3600;
export const maxTtlSecondsAfterFinished = 366 * 86400;
/** Characters of all command arguments together (CEL's size() counts code points): even at 4 bytes
 *  each, far below the kernel's limit on an argv (ARG_MAX, 2 MiB with the usual 8 MiB stack), with
 *  room for the helper's own options and environment. */
export const maxCommandCharacters = 256 << 10;

const timestamp: JsonSchema = { type: 'string', format: 'date-time' };

const sessionFields: Record<string, JsonSchema> = {
  nodeName: {
    type: 'string', maxLength: 253,
    description: 'Node whose agent runs the attach. Empty: the agent whose host has the container claims it.',
  },
  mode: {
    type: 'string', enum: ['Interactive', 'Batch'], default: 'Batch',
    description: 'Interactive waits for a client on the stream; Batch runs at once and records the output tail.',
  },
  stdin: { type: 'boolean', default: false, description: 'The client sends stdin (Interactive only).' },
  tty: { type: 'boolean', default: false, description: 'Run the command on a pty (Interactive only).' },
  terminal: {
    type: 'object', description: 'Initial terminal of a tty session.',
    properties: {
      width: { type: 'integer', minimum: 1, maximum: 65535 },
      height: { type: 'integer', minimum: 1, maximum: 65535 },
      term: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9._+-]*$' },
    },
  },
  sessionTokenHash: {
    type: 'string', pattern: '^[0-9a-f]{64}$',
    description: 'SHA-256 (hex) of the single-use token the client presents on the stream.',
  },
  activeDeadlineSeconds: {
    type: 'integer', format: 'int64', minimum: 1, maximum: maxActiveDeadlineSeconds,
    description: 'The process gets SIGHUP, then SIGKILL, when it runs longer than this.',
  },
  connectTimeoutSeconds: {
    type: 'integer', minimum: 1, maximum: maxConnectTimeoutSeconds,
    description: 'How long an Interactive attach waits for its client (agent default when absent).',
  },
  ttlSecondsAfterFinished: {
    type: 'integer', format: 'int64', minimum: 0, maximum: maxTtlSecondsAfterFinished,
    description: 'Delete the object this long after it finished.',
  },
};

const conditions: JsonSchema = {
  type: 'array', maxItems: 16, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'],
  items: {
    type: 'object', required: ['type', 'status', 'reason', 'message', 'lastTransitionTime'],
    properties: {
      type: { type: 'string', maxLength: 316 },
      status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
      reason: { type: 'string', maxLength: 1024 },
      message: { type: 'string', maxLength: 32768 },
      lastTransitionTime: timestamp,
      observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
    },
  },
};

const statusSchema: JsonSchema = {
  type: 'object',
  properties: {
    phase: { type: 'string', enum: ['Pending', 'WaitingForClient', 'Running', 'Succeeded', 'Failed'] },
    observedGeneration: {
      type: 'integer', format: 'int64', minimum: 0,
      description: 'metadata.generation the agent last acted on (kstatus reads it beside Ready, Reconciling and Stalled).',
    },
    conditions,
    nodeName: { type: 'string', maxLength: 253 },
    agent: { type: 'string', maxLength: 253, description: 'Instance of the agent that owns the attach.' },
    endpoint: { type: 'string', maxLength: 2048, description: 'wss:// URL of the stream (Interactive).' },
    tlsFingerprint: { type: 'string', maxLength: 128, description: 'SHA-256 fingerprint of the agent certificate.' },
    admissionSeal: { type: 'string', maxLength: 64, description: 'Proof, checkable only by the admitting agent, that it admitted the attach.' },
    startTime: timestamp,
    completionTime: timestamp,
    exitCode: { type: 'integer', minimum: 0, maximum: 255 },
    signal: { type: 'integer', minimum: 1, maximum: 64 },
    reason: { type: 'string', maxLength: 1024 },
    message: { type: 'string', maxLength: 32768 },
    stdoutTail: { type: 'string', maxLength: 65536 },
    stderrTail: { type: 'string', maxLength: 65536 },
    stdoutTruncated: { type: 'boolean' },
    stderrTruncated: { type: 'boolean' },
  },
};

/** Nests the option table's dotted field paths (env.set, log.file, ...) into object schemas. */
function optionFieldSchemas(): Record<string, JsonSchema> {
  const props: Record<string, JsonSchema> = {};
  for (const option of lxcAttachOptions) {
    if (!option.schema || !option.field) continue;
    const path = option.field.split('.');
    let target = props;
    for (const part of path.slice(0, -1)) {
      target[part] ??= { type: 'object', properties: {} };
      target = target[part].properties as Record<string, JsonSchema>;
    }
    target[path[path.length - 1]] = option.schema;
  }
  return props;
}

const specRules: NonNullable<JsonSchema['x-kubernetes-validations']> = [
  { rule: 'self == oldSelf', message: 'spec is immutable: a changed command is a new ContainerAttach' },
  {
    rule: "self.container != '.' && self.container != '..'",
    fieldPath: '.container',
    message: 'container name cannot be . or ..',
  },
  {
    rule: "!has(self.selinuxContext) || !has(self.elevatedPrivileges) || !('LSM' in self.elevatedPrivileges)",
    fieldPath: '.selinuxContext',
    message: 'cannot combine elevated LSM privileges with an LSM (SELinux) context, as lxc-attach refuses -c with -e, -eLSM or -s',
  },
  {
    rule: "self.mode != 'Interactive' || has(self.sessionTokenHash)",
    fieldPath: '.sessionTokenHash',
    reason: 'FieldValueRequired',
    message: 'an Interactive attach needs sessionTokenHash (the plugin sets it)',
  },
  {
    rule: "self.mode == 'Interactive' || (!self.stdin && !self.tty && !has(self.sessionTokenHash))",
    fieldPath: '.mode',
    message: 'stdin, tty and sessionTokenHash are for Interactive attaches; a Batch attach has no client',
  },
];

export function containerAttachCrd(): Record<string, unknown> {
  const spec: JsonSchema = {
    type: 'object',
    required: ['container'],
    properties: { ...optionFieldSchemas(), command: commandSchema, ...sessionFields },
    'x-kubernetes-validations': specRules,
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: { kind, listKind: `${kind}List`, plural, singular, shortNames: [shortName], categories: [category] },
      scope: 'Namespaced',
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Node', type: 'string', jsonPath: '.status.nodeName' },
            { name: 'Container', type: 'string', jsonPath: '.spec.container' },
            { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
            { name: 'Exit', type: 'integer', jsonPath: '.status.exitCode' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
            { name: 'Mode', type: 'string', jsonPath: '.spec.mode', priority: 1 },
            { name: 'Reason', type: 'string', jsonPath: '.status.reason', priority: 1 },
          ],
          selectableFields: [
            { jsonPath: '.spec.container' },
            { jsonPath: '.spec.nodeName' },
            { jsonPath: '.status.phase' },
            { jsonPath: '.status.nodeName' },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: 'One lxc-attach into an LXC container on a node: interactive through the agent stream, or a batch command.',
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec,
                status: statusSchema,
              },
            },
          },
        },
      ],
    },
  };
}

const commandSchema: JsonSchema = {
  // Bounds keep the CEL cost of `self == oldSelf` far below the API server's per-CRD budget.
  type: 'array', maxItems: 256,
  'x-kubernetes-validations': [{
    rule: `self.map(a, size(a)).sum() <= ${maxCommandCharacters}`,
    message: `the command is too long: its arguments may have ${maxCommandCharacters} characters in all`,
  }],
  description: 'The command and its arguments (lxc-attach -- COMMAND). Empty: the user\'s shell from the container passwd, else /bin/sh.',
  items: { type: 'string', maxLength: 16384, pattern: '^[^\\x00]*$' },
};
