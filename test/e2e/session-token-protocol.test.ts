// The session token as a Sec-WebSocket-Protocol entry (base64url.session-token.lxcattach.io.<token>),
// the way a browser sends it: the agent takes it, and the attach API passes it on; neither selects
// it as the stream's protocol nor writes it to a log. A wrong token offered this way is refused
// like a wrong header.
import assert from 'node:assert/strict';
import { sessionTokenProtocolPrefix } from '../../common/src/containerattach/paths.js';
import { protocolV5 } from '../../common/src/stream/channels.js';
import { AgentCluster, uniqueName } from '../support/agent-cluster.js';
import { containerNames } from '../support/containers.js';
import { StreamClient } from '../support/stream-client.js';

const entry = (token: string): string => sessionTokenProtocolPrefix + Buffer.from(token).toString('base64url');

describe('the session token as a WebSocket subprotocol entry', function () {
  this.timeout(60_000);
  const { privileged } = containerNames();
  const cluster = new AgentCluster();

  before(() => cluster.start());
  after(() => cluster.stop());

  async function waiting(command: string[]) {
    const name = uniqueName('token-protocol');
    const { token } = await cluster.createInteractive(name, { container: privileged, command });
    const obj = await cluster.waitForPhase(name, ['WaitingForClient']);
    return { name, token, endpoint: obj.status!.endpoint! };
  }

  it('opens the stream with no token header, selects v5.channel.k8s.io, never the token entry', async () => {
    const { token, endpoint } = await waiting(['sh', '-c', 'echo via-protocol; exit 6']);
    const client = await StreamClient.open(endpoint, undefined, { headers: {}, protocols: [protocolV5, entry(token)] });
    assert.equal(client.ws.protocol, protocolV5);
    const result = await client.done;
    assert.equal(result.stdout.toString(), 'via-protocol\n');
    assert.deepEqual(result.outcome, { exitCode: 6 });
    assert.doesNotMatch(cluster.agent.proc.stderr + cluster.agent.proc.stdout, new RegExp(`${token}|session-token\\.lxcattach\\.io`));
  });

  it('refuses a wrong token offered as a subprotocol entry with the same 401 as a wrong header', async () => {
    const { endpoint } = await waiting(['true']);
    await assert.rejects(StreamClient.open(endpoint, undefined, { headers: {}, protocols: [protocolV5, entry('not-the-token')] }),
      (err: Error & { statusCode?: number; body?: string }) => err.statusCode === 401 && /the session token does not match a waiting ContainerAttach/.test(err.body ?? ''));
  });
});
