// Relays one attach session over an accepted WebSocket with Kubernetes remote-command framing:
// ready frame, stdin/resize/close from the client, stdout/stderr to it with backpressure both ways,
// keepalive pings, and the exit status on channel 3 only after all output has been sent.
import type { WebSocket } from 'ws';
import {
  Channel, decodeFrame, decodeResize, encodeFrame, isBase64, supportsClose,
} from '../../../common/src/stream/channels.js';
import { errorStatus, exitCodeStatus, successStatus, type StreamStatus } from '../../../common/src/stream/exit-status.js';
import type { AttachSession, SessionResult } from '../attach/session.js';
import type { HelperProcess } from '../attach/helper-process.js';

export interface BridgeOptions {
  /** pause the process's output when this many bytes wait to be sent to the client */
  highWaterBytes: number;
  lowWaterBytes: number;
  pingIntervalMs: number;
  onBytes(direction: 'stdin' | 'stdout' | 'stderr', n: number): void;
}

export const defaultBridgeOptions: Omit<BridgeOptions, 'onBytes'> = {
  highWaterBytes: 1 << 20,
  lowWaterBytes: 256 << 10,
  pingIntervalMs: 10_000,
};

/** The channel byte sent ahead of a large binary payload, shared by every bridge. */
const channelPrefixes: readonly Buffer[] = Array.from({ length: 256 }, (_, channel) => Buffer.of(channel));

/** The status frame for how a session ended. A broken stream is never reported as success. */
function statusFor(result: SessionResult): StreamStatus {
  if (result.exitCode === 0 && result.succeeded) return successStatus();
  if (result.exitCode !== undefined && result.exitCode > 0) return exitCodeStatus(result.exitCode);
  return errorStatus(`${result.reason}: ${result.message}`, result.reason);
}

export function bridge(session: AttachSession, ws: WebSocket, protocol: string, options: BridgeOptions): void {
  let pending = 0;
  let outputPaused = false;
  let helper: HelperProcess | undefined;

  /** One message: on binary protocols the channel byte and the payload go as two fragments of it,
   *  sparing a copy of every chunk of output (and the garbage it makes) on the agent; the plugin
   *  reads the fragments unjoined (decodeFragments), so it copies nothing either. */
  const writeMessage = (channel: number, data: Buffer, cb: (err?: Error) => void): void => {
    if (isBase64(protocol) || data.length < 4096) {
      ws.send(encodeFrame(protocol, channel, data), cb);
      return;
    }
    ws.send(channelPrefixes[channel], { binary: true, fin: false });
    ws.send(data, { binary: true, fin: true }, cb);
  };

  const send = (channel: number, data: Buffer, onSent?: () => void): void => {
    if (ws.readyState !== ws.OPEN) return;
    pending += data.length;
    writeMessage(channel, data, (err) => {
      pending -= data.length;
      if (!err && outputPaused && pending <= options.lowWaterBytes) {
        outputPaused = false;
        helper?.stdout.resume();
        helper?.stderr.resume();
      }
      onSent?.();
    });
    if (!outputPaused && pending > options.highWaterBytes) {
      outputPaused = true;
      helper?.stdout.pause();
      helper?.stderr.pause();
    }
  };

  const relayOutput = (channel: number, direction: 'stdout' | 'stderr') => (chunk: Buffer): void => {
    options.onBytes(direction, chunk.length);
    send(channel, chunk);
  };

  helper = session.start({ stdout: relayOutput(Channel.stdout, 'stdout'), stderr: relayOutput(Channel.stderr, 'stderr') });
  const terminal = session.spec.terminal;
  if (session.spec.tty && terminal?.width && terminal.height) helper?.resize(terminal.width, terminal.height);

  // The ready signal: an empty frame on the lowest output channel (wsstream's handshake).
  send(Channel.stdout, Buffer.alloc(0));

  // NB: no helper when it could not be started: the session has finished and its status follows.
  const stdin = helper?.stdin;
  stdin?.on('drain', () => ws.resume());

  ws.on('message', (data: Buffer, isBinary: boolean) => {
    let frame;
    try {
      frame = decodeFrame(protocol, data, isBinary);
    } catch (err) {
      ws.close(1003, (err as Error).message);
      return;
    }
    switch (frame.channel) {
      case Channel.stdin:
        if (!stdin || stdin.writableEnded || stdin.destroyed || session.state === 'finished') return;
        options.onBytes('stdin', frame.payload.length);
        if (!stdin.write(frame.payload)) ws.pause();
        return;
      case Channel.resize:
        if (!session.spec.tty) return;
        for (const size of decodeResize(frame.payload)) helper?.resize(size.width, size.height);
        return;
      case Channel.close:
        // Exactly [255, channel], and only where v5 was negotiated; anything else is a protocol error.
        if (!supportsClose(protocol) || frame.payload.length !== 1) {
          ws.close(1002, 'invalid close frame');
          return;
        }
        if (frame.payload[0] !== Channel.stdin || !stdin || stdin.writableEnded) return;
        // On a pty, end of input is the terminal's EOF character (what ^D types); closing the
        // helper's stdin would hang the session up instead.
        if (session.spec.tty) stdin.write(Buffer.from([0x04]));
        else stdin.end();
        return;
      default:
        return;
    }
  });

  let alive = true;
  ws.on('pong', () => (alive = true));
  const pinger = setInterval(() => {
    // While reading is paused for a slow process, the client's pong waits unread behind its
    // stdin: only a client we are reading from can be declared gone.
    if (!alive && !ws.isPaused) {
      ws.terminate();
      return;
    }
    alive = ws.isPaused;
    ws.ping();
  }, options.pingIntervalMs);

  ws.on('close', () => {
    clearInterval(pinger);
    // Nobody reads the output any more: held back, the helper could never finish writing it.
    outputPaused = false;
    helper?.stdout.resume();
    helper?.stderr.resume();
    if (session.state === 'running') session.end('ClientDisconnected', 'the client went away; the session was hung up');
    if (stdin && !stdin.writableEnded) stdin.end();
  });
  ws.on('error', () => undefined); // NB: 'close' follows every error and does the cleanup.

  void session.finished().then((result) => {
    clearInterval(pinger);
    // Reading may have been paused for a full stdin that will never drain now: the client's
    // close frame must still be read, or the connection hangs half-closed.
    ws.resume();
    // Output frames were queued before this one, so the client reads them all before the status.
    send(Channel.status, Buffer.from(JSON.stringify(statusFor(result))), () => ws.close(1000));
  });
}
