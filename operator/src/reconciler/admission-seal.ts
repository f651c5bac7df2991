// Proof that this agent admitted an object: an HMAC over the object's uid, the node and its spec,
// keyed by a secret derived from the agent's TLS private key (kept in its data dir). Anyone who
// may write containerattaches/status (any node's agent) can set phase WaitingForClient, but cannot
// make a seal this agent accepts, so a restarted agent takes back only what it admitted itself.
import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { ContainerAttach } from '../../../common/src/containerattach/types.js';

export class AdmissionSeal {
  readonly #key: Buffer;
  readonly #node: string;

  constructor(tlsPrivateKeyPem: string, node: string) {
    this.#key = Buffer.from(hkdfSync('sha256', tlsPrivateKeyPem, node, 'lxcattach.io admission seal', 32));
    this.#node = node;
  }

  /** Stored in status.admissionSeal when the agent admits the object. */
  seal(obj: ContainerAttach): string {
    const spec = createHash('sha256').update(canonicalJson(obj.spec)).digest('hex');
    return createHmac('sha256', this.#key).update(`${obj.metadata.uid ?? ''}\n${this.#node}\n${spec}`).digest('hex');
  }

  verify(obj: ContainerAttach): boolean {
    const got = Buffer.from(obj.status?.admissionSeal ?? '', 'hex');
    const want = Buffer.from(this.seal(obj), 'hex');
    return got.length === want.length && timingSafeEqual(got, want);
  }
}

/** JSON with sorted keys: the API server need not return fields in the order they were stored. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
