// A Kubernetes remote-command WebSocket client for tests: connects to an agent's endpoint with a
// session token (pinning the fingerprint from the status, as the plugin does) and records every
// channel, so tests can speak the protocol byte by byte.
import { X509Certificate } from 'node:crypto';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import WebSocket from 'ws';
import { Channel, decodeFrame, encodeFrame, encodeResize, protocolV5 } from '../../common/src/stream/channels.js';
import { parseStatus, type StreamOutcome } from '../../common/src/stream/exit-status.js';

export interface StreamResult {
  /** bytes received on stdout, kept or not */
  stdoutBytes: number;
  stdout: Buffer;
  stderr: Buffer;
  outcome: StreamOutcome | undefined;
  /** channel numbers in arrival order, ready frame included */
  order: number[];
  closeCode: number;
}

async function peerPem(url: URL, localAddress?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const options = { host: url.hostname, port: Number(url.port), rejectUnauthorized: false, ...(localAddress ? { localAddress } : {}) };
    const s = tlsConnect(options as ConnectionOptions, () => {
      resolve(new X509Certificate(s.getPeerCertificate().raw).toString());
      s.end();
    });
    s.on('error', reject);
  });
}

export interface StreamClientOptions {
  protocols?: string[];
  keepOutput?: boolean;
  /** instead of the agent's Authorization header (the attach API path sends its own) */
  headers?: Record<string, string | string[]>;
  /** instead of pinning the peer's certificate: ca, cert, key, ... */
  tls?: object;
  /** connect from this address (another 127.x.y.z acts as another client host) */
  localAddress?: string;
}

export class StreamClient {
  readonly ws: WebSocket;
  readonly #stdout: Buffer[] = [];
  readonly #stderr: Buffer[] = [];
  readonly #order: number[] = [];
  #outcome: StreamOutcome | undefined;
  readonly done: Promise<StreamResult>;
  #onData: (() => void)[] = [];

  #stdoutBytes = 0;
  readonly #keepOutput: boolean;

  private constructor(ws: WebSocket, protocol: string, keepOutput: boolean) {
    this.ws = ws;
    this.#keepOutput = keepOutput;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const f = decodeFrame(protocol, data, isBinary);
      this.#order.push(f.channel);
      if (f.channel === Channel.stdout) this.#stdoutBytes += f.payload.length;
      if (f.channel === Channel.stdout && this.#keepOutput) this.#stdout.push(f.payload);
      if (f.channel === Channel.stderr) this.#stderr.push(f.payload);
      if (f.channel === Channel.status) this.#outcome = parseStatus(f.payload);
      for (const cb of this.#onData.splice(0)) cb();
    });
    this.done = new Promise((resolve) => ws.on('close', (code) => resolve({
      stdoutBytes: this.#stdoutBytes,
      stdout: Buffer.concat(this.#stdout),
      stderr: Buffer.concat(this.#stderr),
      outcome: this.#outcome,
      order: this.#order,
      closeCode: code,
    })));
  }

  /** Opens the stream; rejects with the HTTP status code if the agent refuses the upgrade.
   *  `keepOutput: false` counts stdout bytes without keeping them (benchmarks of large streams);
   *  `localAddress` connects from that address (another 127.x.y.z acts as another client host). */
  static async open(endpoint: string, token: string | undefined, opts: StreamClientOptions = {}): Promise<StreamClient> {
    const url = new URL(endpoint);
    const tls = opts.tls ?? { ca: await peerPem(url, opts.localAddress), checkServerIdentity: () => undefined };
    const ws = new WebSocket(url, opts.protocols ?? [protocolV5], {
      headers: (opts.headers ?? (token === undefined ? {} : { Authorization: `Bearer ${token}` })) as Record<string, string>,
      ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
      ...(tls as unknown as WebSocket.ClientOptions),
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new StreamClient(ws, ws.protocol, opts.keepOutput ?? true)));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d));
        res.on('end', () => reject(Object.assign(new Error(`refused ${res.statusCode}: ${body}`), { statusCode: res.statusCode, body })));
      });
      ws.once('error', reject);
    });
  }

  get stdoutText(): string {
    return Buffer.concat(this.#stdout).toString('utf8');
  }

  /** Resolves once stdout contains `text`. */
  async waitForStdout(text: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.stdoutText.includes(text)) {
      if (Date.now() > deadline) throw new Error(`stdout never showed ${JSON.stringify(text)}; got ${JSON.stringify(this.stdoutText)}`);
      await new Promise<void>((r) => {
        this.#onData.push(r);
        setTimeout(r, 100);
      });
    }
  }

  stdin(data: string | Buffer): void {
    this.ws.send(encodeFrame(this.ws.protocol, Channel.stdin, data));
  }

  closeStdin(): void {
    this.ws.send(encodeFrame(this.ws.protocol, Channel.close, Buffer.from([Channel.stdin])));
  }

  resize(width: number, height: number): void {
    this.ws.send(encodeFrame(this.ws.protocol, Channel.resize, encodeResize({ width, height })));
  }
}
