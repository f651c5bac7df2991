// Issue 12, M4: the agent's HTTPS port under abuse. Idle connections (before the TLS handshake,
// after it, and with headers that never end) are closed after the pre-upgrade timeout; one source
// cannot take more than its share of connections, nor all of them; a source that keeps presenting
// wrong tokens is refused for a while. Every refusal is counted by reason, and logged sampled.
// Other loopback addresses (127.0.0.2, ...) stand for other client hosts.
import assert from 'node:assert/strict';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { containerNames } from '../support/containers.js';
import { AgentCluster, sessionToken, uniqueName } from '../support/agent-cluster.js';
import { assertFdsBackTo } from '../support/leftovers.js';
import { waitFor } from '../support/processes.js';
import { StreamClient } from '../support/stream-client.js';

const limits = { maxConnections: 8, maxConnectionsPerSource: 4, preUpgradeTimeoutSeconds: 2, failedAttemptsPerMinute: 5 };

function refusals(metrics: string, reason: string): number {
  const m = new RegExp(`^lxcattach_stream_refusals_total\\{reason="${reason}"\\} (\\d+)`, 'm').exec(metrics);
  return m ? Number(m[1]) : NaN;
}

/** A TCP connection to the agent that sends nothing; resolves once it is connected. */
async function idleTcp(port: number, localAddress = '127.0.0.1'): Promise<Socket> {
  const s = netConnect({ host: '127.0.0.1', port, localAddress });
  s.on('error', () => undefined);
  await new Promise((resolve) => s.once('connect', resolve));
  return s;
}

/** Milliseconds until the agent closes `s`, or undefined if it is still open after `ms`. */
async function closedWithin(s: Socket, ms: number): Promise<number | undefined> {
  const start = Date.now();
  if (s.destroyed || s.readableEnded) return 0;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    s.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - start);
    });
  });
}

describe('security: limits of the agent\'s port', function () {
  this.timeout(60_000);
  const { privileged } = containerNames();
  const cluster = new AgentCluster();
  let fds = 0;
  const open: Socket[] = [];
  before(async () => {
    await cluster.start(`stream:\n${Object.entries(limits).map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n`);
    fds = await cluster.fdBaseline(privileged);
  });
  after(() => cluster.stop());
  afterEach(async () => {
    for (const s of open.splice(0)) s.destroy();
    await assertFdsBackTo(cluster.agent.proc.pid, fds);
  });

  it('closes connections that stay idle before the TLS handshake, after it, or in the middle of the headers', async () => {
    const before = refusals(await cluster.metrics(), 'PreUpgradeTimeout');
    const raw = await idleTcp(cluster.agent.port);
    const tls = tlsConnect({ host: '127.0.0.1', port: cluster.agent.port, rejectUnauthorized: false });
    tls.on('error', () => undefined);
    await new Promise((resolve) => tls.once('secureConnect', resolve));
    const partial = tlsConnect({ host: '127.0.0.1', port: cluster.agent.port, rejectUnauthorized: false });
    partial.on('error', () => undefined);
    await new Promise((resolve) => partial.once('secureConnect', resolve));
    partial.write('GET /attach/default/x HTTP/1.1\r\nHost: agent\r\nUpgrade: websocket\r\n');
    open.push(raw, tls, partial);
    for (const [what, s] of [['raw TCP', raw], ['TLS', tls], ['partial headers', partial]] as const) {
      const ms = await closedWithin(s, limits.preUpgradeTimeoutSeconds * 1000 + 3000);
      assert.ok(ms !== undefined, `the ${what} connection is still open`);
    }
    assert.equal(refusals(await cluster.metrics(), 'PreUpgradeTimeout'), before + 3);
  });

  it('refuses connections over the per-source limit at once, and serves other sources', async () => {
    for (let i = 0; i < limits.maxConnectionsPerSource; i++) open.push(await idleTcp(cluster.agent.port, '127.0.0.5'));
    const extra = await idleTcp(cluster.agent.port, '127.0.0.5');
    open.push(extra);
    const ms = await closedWithin(extra, 1000);
    assert.ok(ms !== undefined && ms < 1000, 'the connection over the limit is closed before any timeout');
    const health = await cluster.agentGet('/healthz');
    assert.equal(health.status, 200, 'another source is served');
    assert.ok(refusals(await cluster.metrics(), 'TooManyFromSource') >= 1);
  });

  it('refuses connections over the total limit, and serves again once they are gone', async () => {
    for (let i = 0; i < limits.maxConnections; i++) open.push(await idleTcp(cluster.agent.port, `127.0.1.${1 + (i % 4)}`));
    const extra = await idleTcp(cluster.agent.port, '127.0.2.1');
    open.push(extra);
    assert.notEqual(await closedWithin(extra, 1000), undefined, 'the connection over the total limit is closed');
    for (const s of open.splice(0)) s.destroy();
    await waitFor('the agent to serve again', async () => ((await cluster.agentGet('/healthz')).status === 200 ? true : undefined), 5_000);
    assert.ok(refusals(await cluster.metrics(), 'TooManyConnections') >= 1);
  });

  it('rate-limits a source that presents wrong tokens, counts each refusal and logs them sampled', async () => {
    const name = uniqueName('ratelimit');
    const { token } = await cluster.createInteractive(name, { container: privileged, command: ['echo', 'hello'] });
    const endpoint = (await cluster.waitForPhase(name, ['WaitingForClient'])).status!.endpoint!;
    const attempt = async (t: string, localAddress: string): Promise<number> => {
      try {
        const c = await StreamClient.open(endpoint, t, { localAddress });
        await c.done;
        return 101;
      } catch (err) {
        return (err as { statusCode?: number }).statusCode ?? 0;
      }
    };
    const metricsBefore = await cluster.metrics();
    const logBefore = cluster.agent.proc.stderr.length;
    const codes: number[] = [];
    for (let i = 0; i < limits.failedAttemptsPerMinute; i++) codes.push(await attempt(sessionToken().token, '127.0.0.7'));
    assert.deepEqual(codes, Array(limits.failedAttemptsPerMinute).fill(401));
    assert.equal(await attempt(sessionToken().token, '127.0.0.7'), 429);
    assert.equal(await attempt(token, '127.0.0.7'), 429, 'not even the right token from there, for the rest of the minute');
    assert.equal((await cluster.get(name)).status?.phase, 'WaitingForClient', 'nothing was attached');
    assert.equal(await attempt(token, '127.0.0.8'), 101, 'the right token from another source works');
    const metrics = await cluster.metrics();
    assert.equal(refusals(metrics, 'Unauthorized'), refusals(metricsBefore, 'Unauthorized') + limits.failedAttemptsPerMinute);
    assert.equal(refusals(metrics, 'RateLimited'), refusals(metricsBefore, 'RateLimited') + 2);
    const lines = cluster.agent.proc.stderr.slice(logBefore).split('\n').filter((l) => l.includes('Refused a connection on the stream port'));
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as { reason: string }).reason).sort(), ['RateLimited', 'Unauthorized'],
      'one line per reason within the sampling interval');
    assert.equal((await cluster.waitForPhase(name, ['Succeeded'])).status?.reason, 'Completed');
  });
});
