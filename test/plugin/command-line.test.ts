import assert from 'node:assert/strict';
import { parsePluginCommandLine, type PluginCommandLine } from '../../plugin/src/command-line.js';

function attach(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = parsePluginCommandLine(args, env);
  assert.equal(r.kind, 'attach', JSON.stringify(r));
  return r as Extract<PluginCommandLine, { kind: 'attach' }>;
}

describe('kubectl lxc-attach command line', () => {
  it('keeps lxc-attach meanings for -n, -c, -o, -q', () => {
    const r = attach(['-n', 'web1', '-c', 'ctx', '-o', '/var/log/x.log', '-q', '--', 'true']);
    assert.deepEqual(r.fields, { container: 'web1', selinuxContext: 'ctx', log: { file: '/var/log/x.log', quiet: true }, command: ['true'] });
  });

  it('takes kubectl flags in long form', () => {
    const r = attach(['--kubeconfig', '/k', '--context=kind', '--namespace', 'ops', '--cluster=c', '--user=u',
      '--request-timeout=5s', '--node', 'n1', '--timeout', '2m', '--keep', '-n', 'web1']);
    assert.deepEqual(r.flags, {
      kubeconfig: '/k', context: 'kind', namespace: 'ops', cluster: 'c', user: 'u', requestTimeoutMs: 5000,
      node: 'n1', timeoutMs: 120000, keep: true, dryRun: false, batch: false, detach: false, via: 'auto', web: false,
    });
  });

  it('takes --via=auto|apiserver|direct and refuses anything else', () => {
    for (const via of ['auto', 'apiserver', 'direct']) assert.equal(attach([`--via=${via}`, '-n', 'web1']).flags.via, via);
    assert.equal(attach(['--via', 'direct', '-n', 'web1']).flags.via, 'direct');
    assert.throws(() => attach(['--via=proxy', '-n', 'web1']), /--via must be auto, apiserver or direct, not "proxy"/);
  });

  it('takes --web without a container, or with -n to fill in the form, and never with a command', () => {
    assert.deepEqual(parsePluginCommandLine(['--web', '--namespace=ops'], {}), {
      kind: 'web', flags: { namespace: 'ops', dryRun: false, batch: false, detach: false, keep: false, via: 'auto', web: true },
    });
    const r = parsePluginCommandLine(['--web', '-n', 'web1', '--node=n1'], {});
    assert.equal(r.kind === 'web' && r.container, 'web1');
    assert.throws(() => parsePluginCommandLine(['--web', '-n', 'web1', '--', 'id'], {}), /--web takes no command: the terminal page asks for it/);
    assert.equal(parsePluginCommandLine(['--we'], {}).kind, 'stop', 'no abbreviation of --web');
  });

  it('reads -o yaml as the output format under --dry-run=client', () => {
    const r = attach(['-n', 'web1', '--dry-run=client', '-o', 'yaml', '--', 'date']);
    assert.equal(r.flags.output, 'yaml');
    assert.equal(r.fields.log, undefined);
  });

  it('warns when an option after the command was eaten', () => {
    const r = attach(['-n', 'c1', 'echo', '-n', 'hi']);
    assert.equal(r.fields.container, 'hi');
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /"-n hi" after the command was taken as an lxc-attach option/);
  });

  it('honours POSIXLY_CORRECT', () => {
    const r = attach(['-n', 'c1', 'echo', '-n', 'hi'], { POSIXLY_CORRECT: '1' });
    assert.deepEqual(r.fields, { container: 'c1', command: ['echo', '-n', 'hi'] });
    assert.deepEqual(r.warnings, []);
  });

  it('does not abbreviate its own options', () => {
    const r = parsePluginCommandLine(['-n', 'c', '--kubecon=x'], {});
    assert.equal(r.kind, 'stop');
    assert.equal(r.kind === 'stop' && r.getoptMessage, "kubectl lxc-attach: unrecognized option '--kubecon=x'");
  });

  for (const [args, message] of [
    [['-n', 'c', '--dry-run=server'], /only --dry-run=client/],
    [['-n', 'c', '--output=table'], /--output must be yaml or json/],
    [['-n', 'c', '--timeout=soon'], /invalid --timeout "soon"/],
  ] as const) {
    it(`refuses ${args.join(' ')}`, () => {
      assert.throws(() => parsePluginCommandLine([...args], {}), message);
    });
  }
});
