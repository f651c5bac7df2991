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
    { name: 'node session limit', spec: {}, counts: { node: 64, namespace: 0 }, rule: 'maxSessions' },
    { name: 'namespace session limit', spec: {}, counts: { node: 1, namespace: 16 }, rule: 'maxSessionsPerNamespace' },
  ];
  for (const c of cases) {
    it(`${c.rule ? 'refuses' : 'allows'} ${c.name}`, () => {
      const refusal = checkPolicy(spec(c.spec), { ...policy, ...c.policy }, c.counts ?? none);
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

  for (const [text, message] of [
    ['policy:\n  allowedLxcPaths: [relative]\n', /policy.allowedLxcPaths must be a list of absolute paths/],
    ['policy:\n  elevatedPrivileges: [ROOT]\n', /must be a list of CGROUP, CAP, LSM/],
    ['policy:\n  maxSession: 3\n', /policy.maxSession is not a policy setting/],
    ['polcy: {}\n', /unknown key polcy/],
    ['policy: [\n', /not YAML/],
  ] as const) {
    it(`refuses a bad config: ${message.source}`, () => {
      assert.throws(() => parseConfig(text), message);
    });
  }
});
