// kubectl lxc-attach in a real terminal (tmux): a shell that follows resizes, ^C reaching the
// remote process, the remote exit code, and the local terminal restored on every exit path.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { containerNames } from '../support/containers.js';
import { AgentCluster } from '../support/agent-cluster.js';
import { pluginBin, tempDir } from '../support/processes.js';
import { Tmux } from '../support/tmux.js';

// The same terminal behaviour on both stream paths (straight to the agent, through the API server).
for (const via of ['direct', 'apiserver'] as const) describe(`kubectl lxc-attach --via=${via} in a terminal (tmux)`, function () {
  this.timeout(90_000);
  const { privileged } = containerNames();
  const cluster = new AgentCluster();
  let tmux: Tmux;
  let n = 0;

  before(() => cluster.start(undefined, [], { attachApi: via === 'apiserver' }));
  after(() => cluster.stop());
  beforeEach(() => {
    tmux = new Tmux(`term-${via}${++n}`);
    tmux.start(100, 30, { PATH: process.env.PATH ?? '/usr/bin:/bin', KUBECONFIG: cluster.api.kubeconfig, HOME: tempDir('term-home') });
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(`agent log:\n${cluster.agent.proc.stderr.slice(-3000)}`);
    tmux.kill();
  });

  const attach = (args: string) => `${pluginBin} --node=${cluster.node} --via=${via} -n ${privileged} ${args}`;

  /** `stty -a` of the local terminal, as the local shell sees it. */
  async function localStty(tag: string): Promise<string> {
    tmux.type(`clear; stty -a | tr -s ' \\n' ' ' | sed 's/^/${tag}:/'; echo; echo END-${tag}`);
    const m = await tmux.waitFor(new RegExp(`(${tag}:[^\\n]*(?:\\n[^\\n]*)*?)\\nEND-${tag}`));
    return m[1].replace(/\n/g, '');
  }

  /** Runs the plugin from the local shell; returns the prompt count to wait beyond. */
  function run(args: string): number {
    const prompts = tmux.prompts();
    tmux.type(attach(args));
    return prompts;
  }

  /** After the plugin ended: the local shell's view of its exit code. */
  async function localExitCode(prompts: number): Promise<number> {
    await tmux.waitForPrompt(prompts);
    tmux.type('echo "local rc=$?"');
    return Number((await tmux.waitFor(/local rc=(\d+)/))[1]);
  }

  it('runs an interactive shell that follows resizes, and exits with its code', async () => {
    const before = await localStty('before');
    const prompts = run('');
    tmux.type('stty size; echo marker-$((40+2))');
    await tmux.waitFor(/^30 100\s*$/m);
    await tmux.waitFor(/marker-42/);
    tmux.resize(120, 40);
    await new Promise((r) => setTimeout(r, 300));
    tmux.type('stty size');
    await tmux.waitFor(/^40 120\s*$/m);
    tmux.type('exit 3');
    assert.equal(await localExitCode(prompts), 3);
    const settings = (s: string) => s.replace(/^\w+:/, '').replace(/rows \d+; columns \d+;/, '');
    assert.equal(settings(await localStty('after')), settings(before));
  });

  it('delivers ^C to the remote process, not to the plugin', async () => {
    const prompts = run('');
    tmux.type('sleep 100');
    await new Promise((r) => setTimeout(r, 1500));
    tmux.key('C-c');
    tmux.type('echo "sleep rc=$?"');
    await tmux.waitFor(/sleep rc=130/);
    tmux.type('exit 0');
    assert.equal(await localExitCode(prompts), 0);
  });

  it('restores the terminal after the remote side goes away', async () => {
    const before = await localStty('b2');
    const prompts = run('-- sh -c "echo st\\"\\"arted; sleep 100"');
    await tmux.waitFor(/started/);
    await cluster.restartAgent('SIGKILL');
    assert.equal(await localExitCode(prompts), 1);
    assert.match(tmux.screen(), /error: the stream to the agent ended before the command did/);
    assert.equal(await localStty('b2'), before);
  });

  it('restores the terminal when the plugin is killed by a signal', async () => {
    const before = await localStty('b3');
    const prompts = run('-- sh -c "echo st\\"\\"arted; sleep 100"');
    await tmux.waitFor(/started/);
    execFileSync('pkill', ['-TERM', '-f', `${pluginBin} --node=${cluster.node}`]);
    assert.equal(await localExitCode(prompts), 143);
    assert.equal(await localStty('b3'), before);
  });

  if (via === 'apiserver') {
    it('went through the attach API (its relay log names the attaches)', () => {
      assert.ok((cluster.attachApi?.stderr.match(/"msg":"Attach relay ended"/g) ?? []).length > 0, cluster.attachApi?.stderr.slice(-2000));
    });
  }

  it('restores the terminal after an error', async () => {
    const before = await localStty('b4');
    const prompts = run('-c ctx -s PID -- true');
    assert.equal(await localExitCode(prompts), 1);
    assert.match(tmux.screen(), /Cannot combine elevated LSM privileges while requesting LSM profile/);
    assert.equal(await localStty('b4'), before);
  });
});
