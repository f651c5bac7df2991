// The ContainerAttach the plugin creates (or prints with --dry-run=client).
import { createHash, randomBytes } from 'node:crypto';
import {
  apiVersion, kind, nodeLabel, type ContainerAttach, type ContainerAttachSpec, type LxcAttachFields, type TerminalSpec,
} from '../../common/src/containerattach/types.js';

const managedByLabel = 'app.kubernetes.io/managed-by';
const managedBy = 'kubectl-lxc_attach';

/** A generateName prefix from the container name: lower-case DNS-1123 characters, at most 50. */
function namePrefix(container: string): string {
  const cleaned = container.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50).replace(/-+$/, '');
  return `${cleaned || 'attach'}-`;
}

interface SessionToken {
  token: string;
  hash: string;
}

/** A random single-use token; only its SHA-256 goes into the object. */
export function newSessionToken(): SessionToken {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: createHash('sha256').update(token).digest('hex') };
}

interface ManifestOptions {
  fields: LxcAttachFields;
  node?: string;
  interactive?: { tty: boolean; terminal?: TerminalSpec; tokenHash: string };
}

export function buildManifest(o: ManifestOptions): ContainerAttach {
  const labels: Record<string, string> = { [managedByLabel]: managedBy };
  if (o.node) labels[nodeLabel] = o.node;
  const spec: ContainerAttachSpec = { ...o.fields };
  if (o.node) spec.nodeName = o.node;
  if (o.interactive) {
    spec.mode = 'Interactive';
    spec.stdin = true;
    spec.tty = o.interactive.tty;
    if (o.interactive.tty && o.interactive.terminal) spec.terminal = o.interactive.terminal;
    spec.sessionTokenHash = o.interactive.tokenHash;
  } else {
    spec.mode = 'Batch';
  }
  return { apiVersion, kind, metadata: { generateName: namePrefix(o.fields.container), labels }, spec };
}
