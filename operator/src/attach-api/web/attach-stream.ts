// The browser's end of the attach stream: a WebSocket speaking v5.channel.k8s.io (v4 as a
// fallback) with the session token offered as a subprotocol entry, since a browser cannot set the
// token header. Output goes to the terminal, stdin and resize messages come from it; the stream
// ends with its exit status (channel 3), or without one when the connection is lost.
import { sessionTokenProtocolPrefix } from '../../../../common/src/containerattach/paths.js';
import { Channel, encodeResize, protocolV4, protocolV5, type TerminalSize } from '../../../../common/src/stream/channels.js';
import { parseStatus, type StreamOutcome } from '../../../../common/src/stream/exit-status.js';
import { base64url } from './session-token.js';

export type StreamEnd =
  | { kind: 'exited'; outcome: StreamOutcome }
  | { kind: 'refused' }
  | { kind: 'lost'; code: number };

interface StreamHandlers {
  output(bytes: Uint8Array): void;
  opened(protocol: string): void;
}

export class AttachStream {
  readonly #ws: WebSocket;
  readonly ended: Promise<StreamEnd>;

  constructor(url: string, token: string, handlers: StreamHandlers) {
    const tokenEntry = sessionTokenProtocolPrefix + base64url(new TextEncoder().encode(token));
    this.#ws = new WebSocket(url, [protocolV5, protocolV4, tokenEntry]);
    this.#ws.binaryType = 'arraybuffer';
    let opened = false;
    let outcome: StreamOutcome | undefined;
    this.#ws.onopen = () => {
      opened = true;
      handlers.opened(this.#ws.protocol);
    };
    this.#ws.onmessage = (e: MessageEvent<ArrayBuffer | string>) => {
      if (typeof e.data === 'string' || e.data.byteLength === 0) return;
      const bytes = new Uint8Array(e.data);
      const payload = bytes.subarray(1);
      if (bytes[0] === Channel.stdout || bytes[0] === Channel.stderr) handlers.output(payload);
      else if (bytes[0] === Channel.status) outcome = parseStatus(new TextDecoder().decode(payload));
    };
    this.ended = new Promise((resolve) => {
      this.#ws.onclose = (e) => {
        if (outcome) resolve({ kind: 'exited', outcome });
        else resolve(opened ? { kind: 'lost', code: e.code } : { kind: 'refused' });
      };
    });
  }

  #send(channel: number, payload: Uint8Array): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    const frame = new Uint8Array(payload.length + 1);
    frame[0] = channel;
    frame.set(payload, 1);
    this.#ws.send(frame);
  }

  input(data: string | Uint8Array): void {
    this.#send(Channel.stdin, typeof data === 'string' ? new TextEncoder().encode(data) : data);
  }

  resize(size: TerminalSize): void {
    this.#send(Channel.resize, new TextEncoder().encode(encodeResize(size)));
  }

  close(): void {
    this.#ws.close();
  }
}
