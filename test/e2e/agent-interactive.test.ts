// Interactive attaches through the agent's WebSocket stream, spoken byte by byte by a test client.
import assert from 'node:assert/strict';
import { containerNames } from '../support/containers.js';
import { AgentCluster, uniqueName } from '../support/agent-cluster.js';
import { rssMiB } from '../support/processes.js';
import { StreamClient } from '../support/stream-client.js';

describe('agent: interactive attaches over the stream', function () {
  this.timeout(60_000);
  const { privileged } = containerNames();
  const cluster = new AgentCluster();
  before(() => cluster.start());
  after(() => cluster.stop());

  async function connect(name: string, spec: Parameters<AgentCluster['createInteractive']>[1]) {
    const { token } = await cluster.createInteractive(name, spec);
    const waiting = await cluster.waitForPhase(name, ['WaitingForClient', 'Failed']);
    assert.equal(waiting.status?.phase, 'WaitingForClient', JSON.stringify(waiting.status));
    assert.match(waiting.status?.endpoint ?? '', /^wss:\/\/127\.0\.0\.1:\d+\/attach\/default\//);
    assert.match(waiting.status?.tlsFingerprint ?? '', /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    return StreamClient.open(waiting.status!.endpoint!, token);
  }

  it('gives a pty shell that follows resizes and reports the exit status', async () => {
    const name = uniqueName('pty');
    const client = await connect(name, { container: privileged, tty: true, terminal: { width: 100, height: 30, term: 'xterm' } });
    client.stdin('stty size; echo TERM=$TERM; tty\n');
    await client.waitForStdout('30 100');
    client.resize(132, 43);
    await new Promise((r) => setTimeout(r, 200));
    client.stdin('stty size\n');
    await client.waitForStdout('43 132');
    client.stdin('exit 3\n');
    const result = await client.done;
    assert.match(result.stdout.toString(), /TERM=xterm/);
    assert.match(result.stdout.toString(), /\/dev\/pts\/\d+/);
    assert.deepEqual(result.outcome, { exitCode: 3 });
    assert.equal(result.order[0], 1, 'the first frame is the empty ready frame on stdout');
    assert.equal(result.order.at(-1), 3, 'the status frame comes last');
    const done = await cluster.waitForPhase(name, ['Failed']);
    assert.equal(done.status?.exitCode, 3);
  });

  it('passes stdin EOF (v5 close) to the process', async () => {
    const name = uniqueName('eof');
    const client = await connect(name, { container: privileged, command: ['sh', '-c', 'cat; echo got-eof'] });
    client.stdin('hello\n');
    client.closeStdin();
    const result = await client.done;
    assert.equal(result.stdout.toString(), 'hello\ngot-eof\n');
    assert.deepEqual(result.outcome, { exitCode: 0 });
    assert.equal((await cluster.waitForPhase(name, ['Succeeded'])).status?.exitCode, 0);
  });

  it('turns stdin close into end-of-file on a pty as well', async () => {
    const name = uniqueName('ptyeof');
    const client = await connect(name, { container: privileged, tty: true, command: ['sh', '-c', 'cat; echo got-eof'] });
    client.stdin('abc\r');
    await client.waitForStdout('abc');
    client.closeStdin();
    const result = await client.done;
    assert.match(result.stdout.toString(), /got-eof/);
    assert.deepEqual(result.outcome, { exitCode: 0 });
  });

  it('relays 1 MiB of stdout and of stderr completely, each on its own channel', async () => {
    const name = uniqueName('big');
    const script = 'head -c 1048576 /dev/zero | tr "\\0" o; head -c 1048576 /dev/zero | tr "\\0" e >&2; echo end';
    const client = await connect(name, { container: privileged, command: ['sh', '-c', script] });
    client.closeStdin();
    const result = await client.done;
    assert.equal(result.stdout.length, (1 << 20) + 4);
    assert.equal(result.stdout.subarray(0, 1 << 20).toString(), 'o'.repeat(1 << 20));
    assert.equal(result.stdout.subarray(1 << 20).toString(), 'end\n');
    assert.equal(result.stderr.toString(), 'e'.repeat(1 << 20));
    assert.deepEqual(result.outcome, { exitCode: 0 });
    const lastOutput = Math.max(result.order.lastIndexOf(1), result.order.lastIndexOf(2));
    assert.ok(result.order.indexOf(3) > lastOutput, 'status after all output');
  });

  it('holds a fast producer back for a slow client instead of buffering (backpressure out)', async () => {
    const name = uniqueName('slowclient');
    const mib = 256;
    const { token } = await cluster.createInteractive(name, { container: privileged, command: ['sh', '-c', `head -c ${mib}m /dev/zero`] });
    const waiting = await cluster.waitForPhase(name, ['WaitingForClient']);
    const before = rssMiB(cluster.agent.proc.pid);
    const client = await StreamClient.open(waiting.status!.endpoint!, token, { keepOutput: false });
    client.closeStdin();
    client.ws.pause(); // a client that reads nothing for a while
    await new Promise((r) => setTimeout(r, 3000));
    const paused = rssMiB(cluster.agent.proc.pid);
    client.ws.resume();
    const result = await client.done;
    assert.equal(result.stdoutBytes, mib << 20, 'everything arrives once the client reads again');
    assert.ok(paused - before < 64, `the agent grew by ${(paused - before).toFixed(0)} MiB while ${mib} MiB waited to be sent`);
  });

  it('holds a fast client back for a slow reader instead of buffering (backpressure in)', async () => {
    const name = uniqueName('slowreader');
    const { token } = await cluster.createInteractive(name, { container: privileged, command: ['sh', '-c', 'sleep 3; wc -c'] });
    const waiting = await cluster.waitForPhase(name, ['WaitingForClient']);
    const before = rssMiB(cluster.agent.proc.pid);
    const client = await StreamClient.open(waiting.status!.endpoint!, token);
    const chunk = Buffer.alloc(1 << 20, 0x61);
    let sentMiB = 0;
    // Send as fast as the socket takes it: ws.bufferedAmount grows when the agent stops reading.
    while (sentMiB < 128) {
      client.stdin(chunk);
      sentMiB++;
      while (client.ws.bufferedAmount > 8 << 20) await new Promise((r) => setTimeout(r, 10));
    }
    const during = rssMiB(cluster.agent.proc.pid);
    client.closeStdin();
    const result = await client.done;
    assert.equal(result.stdout.toString().trim(), String(128 << 20));
    assert.ok(during - before < 64, `the agent grew by ${(during - before).toFixed(0)} MiB while a reader slept`);
  });

  it('keeps stdout and stderr in their order on each channel', async () => {
    const name = uniqueName('order');
    const client = await connect(name, { container: privileged, command: ['sh', '-c', 'for i in 1 2 3 4 5; do echo o$i; echo e$i >&2; done'] });
    client.closeStdin();
    const result = await client.done;
    assert.equal(result.stdout.toString(), 'o1\no2\no3\no4\no5\n');
    assert.equal(result.stderr.toString(), 'e1\ne2\ne3\ne4\ne5\n');
  });
});
