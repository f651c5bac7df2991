import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, parseDocument, type Node } from 'yaml';
import { chartDir, fixture, helm, release } from './helm.js';

interface Schema {
  $ref?: string;
  properties?: Record<string, Schema>;
  definitions?: Record<string, Schema>;
}

const schema = JSON.parse(readFileSync(path.join(chartDir, 'values.schema.json'), 'utf8')) as Schema;

function resolve(s: Schema): Schema {
  const ref = s.$ref?.replace('#/definitions/', '');
  return ref ? resolve(schema.definitions![ref]!) : s;
}

function templateWith(args: string[]): { status: number | null; stderr: string } {
  return helm(['template', release.name, chartDir, '--namespace', release.namespace, ...args]);
}

describe('Helm chart values', () => {
  describe('values.schema.json makes helm reject malformed values', () => {
    const cases = [
      { name: 'a misspelt top-level key', args: ['--set', 'polcy.maxSessions=1'], want: '(root): Additional property polcy is not allowed' },
      { name: 'a misspelt nested key', args: ['--set', 'agent.prot=1'], want: 'agent: Additional property prot is not allowed' },
      { name: 'a string for an integer', args: ['--set', 'policy.maxSessions=many'], want: 'policy.maxSessions: Invalid type. Expected: integer, given: string' },
      { name: 'a negative session limit', args: ['--set', 'policy.maxSessions=-1'], want: 'policy.maxSessions: Must be greater than or equal to 0' },
      { name: 'a string for a boolean', args: ['--set-string', 'crds.enabled=yes'], want: 'crds.enabled: Invalid type. Expected: boolean, given: string' },
      { name: 'an unknown privilege', args: ['--set', 'policy.elevatedPrivileges={ALL}'], want: 'policy.elevatedPrivileges.0 must be one of the following: "CGROUP", "CAP", "LSM"' },
      { name: 'a repeated privilege', args: ['--set', 'policy.elevatedPrivileges={CAP,CAP}'], want: 'policy.elevatedPrivileges: array items[0,1] must be unique' },
      { name: 'a relative lxc path', args: ['--set', 'policy.allowedLxcPaths={lxc}'], want: 'policy.allowedLxcPaths.0: Does not match pattern' },
      { name: 'a path with ..', args: ['--set', 'policy.ptyLogDirectories={/var/log/../../etc}'], want: 'policy.ptyLogDirectories.0: Does not match pattern' },
      { name: 'a pre-upgrade timeout of 0', args: ['--set', 'stream.preUpgradeTimeoutSeconds=0'], want: 'stream.preUpgradeTimeoutSeconds: Must be greater than or equal to 1' },
      { name: 'a uid range that is not one', args: ['--set-string', 'policy.allowedUids={1000-}'], want: 'policy.allowedUids.0: Must validate at least one schema (anyOf)' },
      { name: 'a string for the container allow-list', args: ['--set', 'policy.allowedContainers=web'], want: 'policy.allowedContainers: Invalid type. Expected: array, given: string' },
      { name: 'a port out of range', args: ['--set', 'agent.port=70000'], want: 'agent.port: Must be less than or equal to 65535' },
      { name: 'an invalid namespace name', args: ['--set', 'namespaceOverrides.Ops_Team.maxSessions=1'], want: 'namespaceOverrides: Property name of "Ops_Team" does not match' },
      { name: 'an unknown key in a namespace override', args: ['--set', 'namespaceOverrides.ops.maxSesions=1'], want: 'namespaceOverrides.ops: Additional property maxSesions is not allowed' },
      { name: 'a subject kind other than User or Group', args: ['--set', 'userRole.binding.subjects.ci=ServiceAccount'], want: 'userRole.binding.subjects.ci must be one of the following: "User", "Group"' },
      { name: 'an unknown pull policy', args: ['--set', 'image.pullPolicy=Sometimes'], want: 'image.pullPolicy must be one of the following: "Always", "IfNotPresent", "Never"' },
      { name: 'a malformed image digest', args: ['--set', 'image.digest=latest'], want: 'image.digest: Does not match pattern' },
      { name: 'an alert ratio above 1', args: ['--set', 'prometheusRule.attachFailureRatio=2'], want: 'prometheusRule.attachFailureRatio: Must be less than or equal to 1' },
      { name: 'an alert duration Prometheus cannot read', args: ['--set', 'prometheusRule.agentDownFor=soon'], want: 'prometheusRule.agentDownFor: Does not match pattern' },
      { name: 'a string for the tri-state prometheusRule.enabled', args: ['--set-string', 'prometheusRule.enabled=yes'], want: 'prometheusRule.enabled: Invalid type. Expected: [boolean,null], given: string' },
      { name: 'an invalid dashboard namespace', args: ['--set', 'grafanaDashboard.namespace=Monitoring'], want: 'grafanaDashboard.namespace: Does not match pattern' },
      {
        name: 'a malformed values file (every error listed)',
        args: ['--values', fixture('values-malformed.yaml')],
        want: [
          'policy.defaultConnectTimeoutSeconds: Must be greater than or equal to 1',
          'policy: Additional property allowedLxcPath is not allowed',
          'serviceMonitor.interval: Does not match pattern',
          'tolerations.0.operator must be one of the following: "Exists", "Equal"',
        ],
      },
    ];
    for (const c of cases) {
      it(`rejects ${c.name}`, () => {
        const r = templateWith(c.args);
        assert.equal(r.status, 1, r.stderr);
        assert.match(r.stderr, /values don't meet the specifications of the schema\(s\) in the following chart\(s\):\nlxc-attach-operator:/);
        for (const want of [c.want].flat()) assert.ok(r.stderr.includes(want), `want "${want}" in:\n${r.stderr}`);
      });
    }
  });

  it('rejects a RoleBinding without subjects with a message', () => {
    const r = templateWith(['--set', 'userRole.binding.create=true']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /userRole\.binding\.create needs at least one entry in userRole\.binding\.subjects/);
  });

  it('documents every key of values.yaml with a comment that starts with its name', () => {
    const doc = parseDocument(readFileSync(path.join(chartDir, 'values.yaml'), 'utf8'));
    const undocumented: string[] = [];
    const walk = (node: Node | null | undefined, s: Schema, prefix: string): void => {
      if (!isMap(node)) return;
      node.items.forEach((pair, i) => {
        if (!isScalar(pair.key)) throw new Error(`non-scalar key under ${prefix}`);
        const name = `${prefix}${String(pair.key.value)}`;
        const sub = s.properties?.[String(pair.key.value)];
        if (!sub) return; // NB: a free-form map's entries (nodeSelector, resources) are examples, not keys.
        let comment = pair.key.commentBefore ?? '';
        if (i === 0 && !comment) comment = node.commentBefore ?? '';
        const lastParagraph = comment.split(/\n\s*\n/).at(-1)!.trim();
        if (lastParagraph.startsWith(`${name} `) || lastParagraph.startsWith(`${name}, `)) return;
        const resolved = resolve(sub);
        // A group of keys (crds, agent, ...) needs no comment of its own: its keys have one.
        if (resolved.properties && isMap(pair.value)) walk(pair.value, resolved, `${name}.`);
        else undocumented.push(name);
      });
    };
    walk(doc.contents, schema, '');
    assert.deepEqual(undocumented, []);
  });

  it('gives every top-level schema property a default in values.yaml', () => {
    const values = parseDocument(readFileSync(path.join(chartDir, 'values.yaml'), 'utf8')).toJS() as Record<string, unknown>;
    const missing = Object.keys(schema.properties!).filter((k) => k !== 'global' && !(k in values));
    assert.deepEqual(missing, []);
  });
});
