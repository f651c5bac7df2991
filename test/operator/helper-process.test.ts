import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HelperProcess, defaultPath, type HelperEvent } from '../../operator/src/attach/helper-process.js';
import type { ContainerAttachSpec } from '../../common/src/containerattach/types.js';
import { makeFakeHelper } from './support/fake-helper.js';

// HelperProcess against a stand-in helper (support/fake-helper.ts: the real one needs root and a
// container): the argv and environment it hands the helper, the status and control fds, exit codes.
describe('HelperProcess (the agent side of the helper protocol)', () => {
  const { helperPath, argvFile } = makeFakeHelper();
  const limits = { hangupGraceMs: 5000, logDirectories: { logFileDirectories: [], ptyLogDirectories: [] } };
  const run = async (spec: ContainerAttachSpec) => {
    const events: HelperEvent[] = [];
    const helper = new HelperProcess(helperPath, spec, limits, (e) => events.push(e));
    const chunks: Buffer[] = [];
    helper.stdout.on('data', (c: Buffer) => chunks.push(c));
    const outcome = await helper.done;
    return { helper, events, outcome, stdout: Buffer.concat(chunks).toString() };
  };
  const recorded = (): { argv: string[]; env: Record<string, string> } => JSON.parse(readFileSync(argvFile, 'utf8'));

  it('passes the spec as lxc-attach options after the helper-only fds, and the command after --', async () => {
    await run({ container: 'web1', uid: 1000, env: { policy: 'Clear', set: ['A=1'] }, command: ['exit', '0'] });
    assert.deepEqual(recorded().argv, ['--status-fd', '3', '--control-fd', '4', '--hangup-grace-ms', '5000', '--clear-env', '--set-var=A=1', '--uid=1000', '--name=web1', '--', 'exit', '0']);
  });

  it('asks for a pty only for a tty spec', async () => {
    await run({ container: 'web1', tty: true, stdin: true, command: ['exit', '0'] });
    assert.equal(recorded().argv[4], '--pty');
  });

  it('gives the helper the remote caller environment, nothing of the agent\'s', async () => {
    process.env.LXCAT_AGENT_SECRET = 'must-not-leak';
    try {
      await run({ container: 'web1', tty: true, terminal: { term: 'xterm-256color' }, command: ['exit', '0'] });
    } finally {
      delete process.env.LXCAT_AGENT_SECRET;
    }
    assert.deepEqual(recorded().env, { PATH: defaultPath, TERM: 'xterm-256color' });
  });

  it('reports the status lines and the command\'s exit code', async () => {
    const { events, outcome, stdout } = await run({ container: 'web1', command: ['exit', '3', 'out'] });
    assert.deepEqual(events.map((e) => e.event), ['attached', 'exited']);
    assert.equal(outcome.code, 3);
    assert.equal(stdout, 'out');
  });

  it('tells an attach failure apart from a command exiting 1', async () => {
    const { events, outcome } = await run({ container: 'web1', command: ['attach-fail'] });
    assert.equal(outcome.code, 1);
    assert.deepEqual(events, [{ event: 'attach-failed', reason: 'ContainerNotRunning', errno: 22, message: 'container is not running' }]);
  });

  it('writes resize and signal lines on the control fd, and hangs up by closing it', async () => {
    const events: HelperEvent[] = [];
    const helper = new HelperProcess(helperPath, { container: 'web1', command: ['echo-control'] }, limits, (e) => events.push(e));
    const chunks: Buffer[] = [];
    helper.stdout.on('data', (c: Buffer) => chunks.push(c));
    helper.resize(120, 40);
    helper.signal(2);
    helper.hangup();
    const outcome = await helper.done;
    assert.equal(Buffer.concat(chunks).toString(), 'resize 120 40\nsignal 2\n');
    assert.equal(outcome.code, 0);
  });

  it('reports a helper killed by a signal as 128+N', async () => {
    const helper = new HelperProcess(helperPath, { container: 'web1', command: ['sleep'] }, limits, () => undefined);
    await new Promise((r) => setTimeout(r, 200));
    helper.child.kill('SIGKILL');
    assert.equal((await helper.done).code, 137);
  });

  it('reports a helper that cannot be run, without throwing', async () => {
    const helper = new HelperProcess('/nonexistent/lxc-attach-helper', { container: 'web1', command: ['true'] }, limits, () => undefined);
    const outcome = await helper.done;
    assert.equal(outcome.code, 1);
    assert.match(outcome.diagnostics, /cannot run \/nonexistent\/lxc-attach-helper: spawn .*ENOENT/);
  });
});
