// The stream bridge in-process, with a real helper and container but a fast keepalive: a session
// whose reading is paused for a slow process must not be taken for a vanished client, and a client
// that really stops answering pings is cut off.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { WebSocketServer, WebSocket } from 'ws';
import { AttachSession } from '../../operator/src/attach/session.js';
import { bridge, defaultBridgeOptions } from '../../operator/src/stream/ws-bridge.js';
import { Channel, decodeFrame, encodeFrame, protocolV5 } from '../../common/src/stream/channels.js';
import { parseStatus } from '../../common/src/stream/exit-status.js';
import { containerNames } from '../support/containers.js';
import { helperBin } from '../support/processes.js';

describe('ws-bridge keepalive and backpressure', function () {
  this.timeout(30_000);
  const { privileged } = containerNames();

  async function serve(command: string[], pingIntervalMs: number) {
    const session = new AttachSession({ namespace: 'default', name: 'b', uid: 'u' },
      { container: privileged, command, mode: 'Interactive', stdin: true },
      { helperPath: helperBin, killGraceMs: 1000, logDirectories: { logFileDirectories: [], ptyLogDirectories: [] }, tailBytes: 1024 }, { onChange: () => undefined });
    const http = createServer();
    const wss = new WebSocketServer({ server: http, handleProtocols: () => protocolV5, maxPayload: 8 << 20 });
    wss.on('connection', (ws) => bridge(session, ws, protocolV5, { ...defaultBridgeOptions, pingIntervalMs, onBytes: () => undefined }));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const ws = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`, [protocolV5]);
    await new Promise((r) => ws.once('open', r));
    return { session, ws, close: () => new Promise<void>((r) => { wss.close(); http.close(() => r()); }) };
  }

  it('keeps a client whose stdin waits for a slow process, across many ping intervals', async () => {
    const { session, ws, close } = await serve(['sh', '-c', 'sleep 1.5; wc -c'], 100);
    let out = '';
    let status;
    ws.on('message', (d: Buffer, bin: boolean) => {
      const f = decodeFrame(protocolV5, d, bin);
      if (f.channel === Channel.stdout) out += f.payload.toString();
      if (f.channel === Channel.status) status = parseStatus(f.payload);
    });
    const chunk = Buffer.alloc(1 << 20, 0x61);
    for (let i = 0; i < 16; i++) ws.send(encodeFrame(protocolV5, Channel.stdin, chunk));
    ws.send(Buffer.from([Channel.close, Channel.stdin]));
    const result = await session.finished();
    await new Promise((r) => ws.once('close', r));
    assert.equal(result.reason, 'Completed', result.message);
    assert.equal(out.trim(), String(16 << 20));
    assert.deepEqual(status, { exitCode: 0 });
    await close();
  });

  it('cuts off a client that stops answering pings, and hangs the session up', async () => {
    const { session, ws, close } = await serve(['sleep', '1006'], 100);
    // A client that is gone without closing: its socket stops reading and answering.
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const result = await session.finished();
    assert.equal(result.reason, 'ClientDisconnected');
    assert.equal(result.exitCode, 129);
    ws.terminate();
    await close();
  });
});
