import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkPolicy, effectiveDeadlineSeconds } from '../../operator/src/policy/check-policy.js';
import { defaultPolicy, parseConfig, policyFor, type Policy } from '../../operator/src/policy/agent-config.js';
import type { ContainerAttachSpec } from '../../common/src/containerattach/types.js';

describe('agent policy', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lxcat-policy-'));
  const allowed = path.join(dir, 'allowed');
  const outside = path.join(dir, 'outside');
  mkdirSync(allowed);
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'rc'), 'lxc.environment = X=1\n');
  symlinkSync(outside, path.join(allowed, 'escape'));
  const policy: Policy = { ...defaultPolicy, rcFileDirectories: [allowed], logFileDirectories: [allowed], ptyLogDirectories: [allowed] };
  const none = { node: 0, namespace: 0 };
  const spec = (s: Partial<ContainerAttachSpec>): ContainerAttachSpec => ({ container: 'c1', ...s });

  const cases: { name: string; spec: Partial<ContainerAttachSpec>; policy?: Partial<Policy>; counts?: { node: number; namespace: number }; rule?: string }[] = [
    { name: 'a plain attach', spec: { command: ['true'] } },
    { name: 'the default lxc path', spec: { lxcPath: '/var/lib/lxc' } },
    { name: 'another lxc path', spec: { lxcPath: '/srv/lxc' }, rule: 'allowedLxcPaths' },
    { name: 'rcfile under an allowed directory', spec: { rcFile: path.join(allowed, 'rc') } },
    { name: 'rcfile elsewhere', spec: { rcFile: path.join(outside, 'rc') }, rule: 'rcFileDirectories' },
    { name: 'rcfile through a symlink out of the directory', spec: { rcFile: path.join(allowed, 'escape', 'rc') }, rule: 'rcFileDirectories' },
    { name: 'rcfile with ..', spec: { rcFile: `${allowed}/../outside/rc` }, rule: 'rcFileDirectories' },
    { name: 'log file that does not exist yet', spec: { log: { file: path.join(allowed, 'new.log') } } },
    { name: '-l without -o logs to /var/log/lxc', spec: { log: { priority: 'DEBUG' } }, rule: 'logFileDirectories' },
    { name: '-l without -o when /var/log/lxc is allowed', spec: { log: { priority: 'DEBUG' } }, policy: { logFileDirectories: ['/var/log/lxc'] } },
    { name: 'pty log outside', spec: { ptyLog: '/tmp/x.log' }, rule: 'ptyLogDirectories' },
    { name: 'elevated privileges not allowed', spec: { elevatedPrivileges: ['CAP'] }, rule: 'elevatedPrivileges' },
    { name: 'elevated CAP allowed', spec: { elevatedPrivileges: ['CAP'] }, policy: { elevatedPrivileges: ['CAP'] } },
    { name: '-s not allowed', spec: { namespaces: ['PID'] }, rule: 'allowNamespaceSelection' },
    { name: 'deadline over the cap', spec: { activeDeadlineSeconds: 100 }, policy: { maxActiveDeadlineSeconds: 10 }, rule: 'maxActiveDeadlineSeconds' },
    { name: 'node session limit', spec: {}, counts: { node: 32, namespace: 0 }, rule: 'maxSessions' },
    { name: 'namespace session limit', spec: {}, counts: { node: 1, namespace: 8 }, rule: 'maxSessionsPerNamespace' },
    { name: 'a container no glob matches', spec: { container: 'db1' }, policy: { allowedContainers: ['web-*', 'cache?'] }, rule: 'allowedContainers' },
    { name: 'a container a glob matches', spec: { container: 'web-1' }, policy: { allowedContainers: ['db', 'web-*'] } },
    { name: 'a ? glob matches one character only', spec: { container: 'cache12' }, policy: { allowedContainers: ['cache?'] }, rule: 'allowedContainers' },
    { name: 'glob metacharacters of regexps are literal', spec: { container: 'webX1' }, policy: { allowedContainers: ['web.1'] }, rule: 'allowedContainers' },
    { name: 'any container with an empty list', spec: {}, policy: { allowedContainers: [] }, rule: 'allowedContainers' },
    { name: 'a node not listed', spec: {}, policy: { allowedNodes: ['lxc-team-a-*'] }, rule: 'allowedNodes' },
    { name: 'a node listed', spec: {}, policy: { allowedNodes: ['node-*'] } },
    { name: 'no -u counts as root', spec: {}, policy: { allowedUids: ['1000-1999'] }, rule: 'allowedUids' },
    { name: '-u 0', spec: { uid: 0, gid: 1000 }, policy: { allowedUids: ['1-4294967294'] }, rule: 'allowedUids' },
    { name: '-u in a range', spec: { uid: 1500, gid: 1500 }, policy: { allowedUids: ['1000-1999'], allowedGids: ['1500'] } },
    { name: '-u past a range', spec: { uid: 2000 }, policy: { allowedUids: ['1000-1999'] }, rule: 'allowedUids' },
    { name: 'no -g counts as root', spec: { uid: 1000 }, policy: { allowedUids: ['1000'], allowedGids: ['1000'] }, rule: 'allowedGids' },
    { name: '-c by default', spec: { selinuxContext: 'unconfined' }, rule: 'allowedSelinuxContexts' },
    { name: '-c listed', spec: { selinuxContext: 'lxc-container-default' }, policy: { allowedSelinuxContexts: ['lxc-container-default'] } },
    { name: '-c not listed exactly', spec: { selinuxContext: 'unconfined' }, policy: { allowedSelinuxContexts: ['unconfined_t'] }, rule: 'allowedSelinuxContexts' },
    { name: 'connect timeout over the cap', spec: { mode: 'Interactive', connectTimeoutSeconds: 601 }, rule: 'maxConnectTimeoutSeconds' },
  ];
  for (const c of cases) {
    it(`${c.rule ? 'refuses' : 'allows'} ${c.name}`, () => {
      const refusal = checkPolicy(spec(c.spec), { ...policy, ...c.policy }, c.counts ?? none, 'node-1');
      assert.equal(refusal?.rule, c.rule, refusal?.message);
      if (refusal) assert.match(refusal.message, new RegExp(c.rule!));
    });
  }

  it('caps the deadline', () => {
    assert.equal(effectiveDeadlineSeconds(spec({}), { ...policy, maxActiveDeadlineSeconds: 30 }), 30);
    assert.equal(effectiveDeadlineSeconds(spec({ activeDeadlineSeconds: 5 }), { ...policy, maxActiveDeadlineSeconds: 30 }), 5);
    assert.equal(effectiveDeadlineSeconds(spec({}), policy), undefined);
  });

  it('reads the config file with namespace overrides', () => {
    const config = parseConfig('policy:\n  maxSessions: 2\nnamespaceOverrides:\n  ops:\n    elevatedPrivileges: [CAP, LSM]\n    allowNamespaceSelection: true\n');
    assert.equal(policyFor(config, 'default').maxSessions, 2);
    assert.deepEqual(policyFor(config, 'default').elevatedPrivileges, []);
    assert.deepEqual(policyFor(config, 'ops').elevatedPrivileges, ['CAP', 'LSM']);
    assert.equal(policyFor(config, 'ops').allowNamespaceSelection, true);
  });

  it('reads requireAttachApi and the relay CA, off by default', () => {
    assert.equal(parseConfig('').requireAttachApi, false);
    const config = parseConfig('requireAttachApi: true\nattachApiClientCaFile: /etc/relay/ca.crt\n');
    assert.deepEqual([config.requireAttachApi, config.attachApiClientCaFile], [true, '/etc/relay/ca.crt']);
  });

  it('opens a namespace over a closed default', () => {
    const config = parseConfig([
      'policy:', '  allowedContainers: []', '  allowedUids: ["1-4294967294"]',
      'namespaceOverrides:', '  team-a:', '    allowedContainers: [web-*]', '  ops:', '    allowedContainers: ["*"]', '    allowedUids: ["*"]', '',
    ].join('\n'));
    const counts = { node: 0, namespace: 0 };
    assert.equal(checkPolicy(spec({ container: 'web-1', uid: 1000 }), policyFor(config, 'team-b'), counts, 'n1')?.rule, 'allowedContainers');
    assert.equal(checkPolicy(spec({ container: 'web-1', uid: 1000 }), policyFor(config, 'team-a'), counts, 'n1'), undefined);
    assert.equal(checkPolicy(spec({ container: 'web-1' }), policyFor(config, 'team-a'), counts, 'n1')?.rule, 'allowedUids');
    assert.equal(checkPolicy(spec({ container: 'db' }), policyFor(config, 'ops'), counts, 'n1'), undefined);
    assert.deepEqual(config.policy.allowedUids, ['1-4294967294']);
  });

  for (const [text, message] of [
    ['policy:\n  allowedLxcPaths: [relative]\n', /policy.allowedLxcPaths must be a list of absolute paths/],
    ['policy:\n  elevatedPrivileges: [ROOT]\n', /must be a list of CGROUP, CAP, LSM/],
    ['policy:\n  maxSession: 3\n', /policy.maxSession is not a policy setting/],
    ['policy:\n  allowedUids: [-1]\n', /policy.allowedUids must be a list of ids or ranges/],
    ['policy:\n  allowedUids: [2000-1000]\n', /policy.allowedUids must be a list of ids or ranges/],
    ['policy:\n  allowedContainers: web\n', /policy.allowedContainers must be a list of names or globs/],
    ['polcy: {}\n', /unknown key polcy/],
    ['policy: [\n', /not YAML/],
    ['requireAttachApi: yes-please\n', /requireAttachApi must be true or false/],
    ['requireAttachApi: true\n', /requireAttachApi needs attachApiClientCaFile/],
    ['attachApiClientCaFile: relay/ca.crt\n', /attachApiClientCaFile must be an absolute path/],
  ] as const) {
    it(`refuses a bad config: ${message.source}`, () => {
      assert.throws(() => parseConfig(text), message);
    });
  }
});
