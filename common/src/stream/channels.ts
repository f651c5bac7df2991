// Kubernetes remote-command framing over WebSocket (k8s.io/apimachinery wsstream): the first byte
// of each binary message is the channel; base64 protocols send '0'+channel then base64 text.

export const protocolV5 = 'v5.channel.k8s.io';
export const protocolV4 = 'v4.channel.k8s.io';
export const protocolV4Base64 = 'v4.base64.channel.k8s.io';
/** What the agent accepts, best first. There is no base64 variant of v5 upstream. */
export const supportedProtocols = [protocolV5, protocolV4, protocolV4Base64] as const;

export const Channel = {
  stdin: 0,
  stdout: 1,
  stderr: 2,
  status: 3,
  resize: 4,
  /** v5 only: [255, channel] closes that channel (stdin EOF) */
  close: 255,
} as const;

export function isBase64(protocol: string): boolean {
  return protocol.includes('base64');
}

export function supportsClose(protocol: string): boolean {
  return protocol === protocolV5;
}

/** Encodes one message for `protocol`: a Buffer for binary protocols, a string for base64 ones. */
export function encodeFrame(protocol: string, channel: number, payload: Uint8Array | string = ''): Buffer | string {
  const data = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (isBase64(protocol)) return String.fromCharCode(48 + channel) + data.toString('base64');
  const frame = Buffer.allocUnsafe(data.length + 1);
  frame[0] = channel;
  data.copy(frame, 1);
  return frame;
}

interface Frame {
  channel: number;
  payload: Buffer;
}

/** Decodes a received message; throws on a message of the wrong kind for the protocol. */
export function decodeFrame(protocol: string, message: Buffer, isBinary: boolean): Frame {
  if (isBase64(protocol)) {
    if (isBinary) throw new Error('binary message on a base64 protocol');
    const text = message.toString('latin1');
    if (text.length === 0) throw new Error('empty message');
    return { channel: text.charCodeAt(0) - 48, payload: Buffer.from(text.slice(1), 'base64') };
  }
  if (!isBinary) throw new Error('text message on a binary protocol');
  if (message.length === 0) throw new Error('empty message');
  return { channel: message[0], payload: message.subarray(1) };
}

/** Decodes a message as ws hands it over with binaryType 'fragments': a binary message as the
 *  list of its fragments, never joined. The payload stays in pieces too, so large output is not
 *  copied on its way to stdout (the agent sends the channel byte and each chunk as two fragments). */
export function decodeFragments(protocol: string, message: Buffer | Buffer[], isBinary: boolean): { channel: number; payload: Buffer[] } {
  if (!Array.isArray(message)) {
    const { channel, payload } = decodeFrame(protocol, message, isBinary);
    return { channel, payload: payload.length > 0 ? [payload] : [] };
  }
  // NB: ws hands over only binary messages in fragments; text ones come joined.
  if (isBase64(protocol)) throw new Error('binary message on a base64 protocol');
  const [first, ...rest] = message.filter((fragment) => fragment.length > 0);
  if (!first) throw new Error('empty message');
  const head = first.subarray(1);
  return { channel: first[0], payload: head.length > 0 ? [head, ...rest] : rest };
}

/** The terminal size message of channel 4 (client-go's untagged TerminalSize). */
export interface TerminalSize {
  width: number;
  height: number;
}

export function encodeResize(size: TerminalSize): string {
  return JSON.stringify({ Width: size.width, Height: size.height }) + '\n';
}

/** Servers read resize messages with encoding/json, whose field matching is case-insensitive;
 *  one message may carry several JSON objects. Invalid sizes are dropped. */
export function decodeResize(payload: Buffer): TerminalSize[] {
  const sizes: TerminalSize[] = [];
  const text = payload.toString('utf8');
  for (const chunk of text.split(/(?<=\})\s*(?=\{)/)) {
    if (chunk.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(chunk);
    } catch {
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    const fields = Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), v]));
    const { width, height } = fields as { width?: unknown; height?: unknown };
    if (Number.isInteger(width) && Number.isInteger(height) && (width as number) >= 0 && (height as number) >= 0 &&
      (width as number) <= 65535 && (height as number) <= 65535) {
      sizes.push({ width: width as number, height: height as number });
    }
  }
  return sizes;
}
