// The terminal relay: connects to the agent's stream with the pinned certificate and the session
// token, and moves bytes between the local streams and the remote process until the exit status
// arrives. A stream that ends without a status is an error, never exit code 0.
import WebSocket from 'ws';
import {
  Channel, decodeFragments, encodeFrame, encodeResize, protocolV4, protocolV5, supportsClose,
} from '../../common/src/stream/channels.js';
import { parseStatus, type StreamOutcome } from '../../common/src/stream/exit-status.js';
import type { IOStreams } from './io-streams.js';
import type { LocalTerminal } from './terminal.js';
import type { StreamRoute } from './stream-route.js';

interface RelayOptions {
  /** resolves where the stream goes (it may first fetch the agent's pinned certificate) */
  route(): Promise<StreamRoute>;
  tty: boolean;
  io: IOStreams;
  terminal: LocalTerminal;
}

export class RelayError extends Error {
  readonly code = 'PLUGIN_ERR_STREAM';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RelayError';
  }
}

/** The API server (or the attach API behind it) refused the upgrade: printed as kubectl prints an
 *  API error, without the "error: " prefix. */
export class ApiServerRefusal extends Error {
  readonly code = 'PLUGIN_ERR_API_REFUSED';

  constructor(message: string) {
    super(message);
    this.name = 'ApiServerRefusal';
  }
}

export class Relay {
  readonly #o: RelayOptions;
  #ws: WebSocket | undefined;
  #outcome: StreamOutcome | undefined;

  constructor(options: RelayOptions) {
    this.#o = options;
  }

  /** Closes the stream from this side (a local signal); the agent hangs the session up. */
  abort(): void {
    this.#ws?.close(1000, 'client closing');
  }

  /** Resolves with the remote exit code. */
  async run(): Promise<number> {
    const { io, terminal, tty } = this.#o;
    let route: StreamRoute;
    try {
      route = await this.#o.route();
    } catch (err) {
      throw new RelayError((err as Error).message, { cause: err });
    }
    const ws = new WebSocket(route.url, [protocolV5, protocolV4], {
      ...route.options,
      perMessageDeflate: false,
      maxPayload: 64 << 20,
    });
    this.#ws = ws;
    const cleanups: (() => void)[] = [];

    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', (err) => reject(new RelayError(`cannot open the stream: ${err.message}`, { cause: err })));
      ws.once('unexpected-response', (_req, res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let status: { message?: string; reason?: string } | undefined;
          try {
            status = JSON.parse(text) as { message?: string; reason?: string };
          } catch {
            // NB: not a Status body; show it as text.
          }
          const message = status?.message ?? text.trim();
          if (route.refusedBy(res.headers) === 'agent') {
            reject(new RelayError(`the agent refused the stream (${res.statusCode}): ${message}`));
          } else if (status?.reason && status.message) {
            // kubectl's wording for an API error (e.g. RBAC's 403), so it reads as kubectl exec's.
            reject(new ApiServerRefusal(`Error from server (${status.reason}): ${status.message}`));
          } else {
            reject(new RelayError(`the API server refused the stream (${res.statusCode}): ${message}`));
          }
        });
      });
    });

    const protocol = ws.protocol;
    const send = (channel: number, data: Buffer | string, cb?: (err?: Error) => void): void => {
      if (ws.readyState === WebSocket.OPEN) ws.send(encodeFrame(protocol, channel, data), cb);
    };

    if (tty) {
      terminal.enterRawMode();
      cleanups.push(() => terminal.restore());
      const size = terminal.size();
      if (size) send(Channel.resize, encodeResize(size));
      cleanups.push(terminal.onResize((s) => send(Channel.resize, encodeResize(s))));
    }

    const onInput = (chunk: Buffer): void => {
      send(Channel.stdin, chunk, () => {
        if (io.stdin.isPaused() && ws.bufferedAmount < 256 << 10) io.stdin.resume();
      });
      if (ws.bufferedAmount > 1 << 20) io.stdin.pause();
    };
    const onInputEnd = (): void => {
      // v5 closes stdin with [255, 0]; v4 has no way to say EOF.
      if (supportsClose(protocol)) send(Channel.close, Buffer.from([Channel.stdin]));
    };
    io.stdin.on('data', onInput);
    io.stdin.on('end', onInputEnd);
    cleanups.push(() => {
      io.stdin.off('data', onInput);
      io.stdin.off('end', onInputEnd);
      io.stdin.pause();
    });

    // A reader that goes away (`| head`) ends the session as SIGPIPE would end a local command:
    // silently, with 128+13; the agent hangs the remote process up.
    let brokenPipe = false;
    const onOutputError = (err: NodeJS.ErrnoException): void => {
      if (err.code !== 'EPIPE') {
        this.#outcome ??= { error: `cannot write the output: ${err.message}`, reason: 'OutputError' };
      } else {
        brokenPipe = true;
      }
      ws.terminate();
    };
    io.stdout.on('error', onOutputError);
    io.stderr.on('error', onOutputError);
    cleanups.push(() => {
      io.stdout.off('error', onOutputError);
      io.stderr.off('error', onOutputError);
    });

    // Binary messages arrive as their fragments, unjoined (see decodeFragments).
    ws.binaryType = 'fragments';
    ws.on('message', (data: Buffer | Buffer[], isBinary: boolean) => {
      let frame;
      try {
        frame = decodeFragments(protocol, data, isBinary);
      } catch (err) {
        this.#outcome ??= { error: `malformed frame from the agent: ${(err as Error).message}`, reason: 'BadFrame' };
        ws.close(1002);
        return;
      }
      if (frame.channel === Channel.stdout || frame.channel === Channel.stderr) {
        if (frame.payload.length === 0) return;
        const out = frame.channel === Channel.stdout ? io.stdout : io.stderr;
        if (out.destroyed || brokenPipe) return;
        let flowing = true;
        for (const piece of frame.payload) flowing = out.write(piece) && flowing;
        if (!flowing) {
          ws.pause();
          out.once('drain', () => ws.resume());
        }
      } else if (frame.channel === Channel.status) {
        this.#outcome = parseStatus(Buffer.concat(frame.payload));
        // The status is the last frame: the session is over. Close without waiting for the
        // agent's side of the close handshake, so the caller can clean up at once.
        ws.terminate();
      }
    });

    try {
      await new Promise<void>((resolve) => ws.on('close', () => resolve()));
    } finally {
      for (const c of cleanups.reverse()) c();
    }
    const outcome = this.#outcome;
    if (brokenPipe) return 128 + 13;
    if (!outcome) throw new RelayError('the stream to the agent ended before the command did: its exit status is unknown');
    if ('error' in outcome) throw new RelayError(outcome.error);
    return outcome.exitCode;
  }
}
