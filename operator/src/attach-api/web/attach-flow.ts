// One attach from the browser, as `kubectl lxc-attach` does it: a session token made here, the
// ContainerAttach created with the user's own RBAC, the wait for an agent to take it
// (WaitingForClient, or Failed with the policy's reason), then the stream through the attach API.
import { subresourceAttachPath } from '../../../../common/src/containerattach/paths.js';
import { apiVersion, kind, nodeLabel, type ContainerAttach, type LxcAttachFields } from '../../../../common/src/containerattach/types.js';
import { AttachStream } from './attach-stream.js';
import { apiError, type KubeApi } from './kube-api.js';
import { newSessionToken } from './session-token.js';

export interface AttachRequest {
  fields: LxcAttachFields;
  node?: string;
  size: { width: number; height: number };
}

export interface AttachView {
  say(message: string, tone?: 'info' | 'ok' | 'error'): void;
  output(bytes: Uint8Array): void;
  /** the stream is open: from now on input and resizes go to it */
  attached(stream: AttachStream): void;
  changed(): void;
}

/** Finished attaches stay listed with their outcome for this long, then the agent deletes them. */
const keepFinishedSeconds = 600;
const waitForAgentMs = 60_000;

function manifest(r: AttachRequest, tokenHash: string): ContainerAttach {
  const labels: Record<string, string> = { 'app.kubernetes.io/managed-by': 'lxc-attach-web' };
  if (r.node) labels[nodeLabel] = r.node;
  const prefix = r.fields.container.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'attach';
  return {
    apiVersion, kind, metadata: { generateName: `${prefix}-`, labels },
    spec: {
      ...r.fields, ...(r.node ? { nodeName: r.node } : {}),
      mode: 'Interactive', stdin: true, tty: true, terminal: { ...r.size, term: 'xterm-256color' },
      sessionTokenHash: tokenHash, ttlSecondsAfterFinished: keepFinishedSeconds,
    },
  };
}

async function waitForAgent(api: KubeApi, name: string): Promise<ContainerAttach> {
  const deadline = Date.now() + waitForAgentMs;
  for (;;) {
    const obj = await api.get(name);
    const phase = obj.status?.phase;
    if (phase === 'WaitingForClient' || phase === 'Failed' || phase === 'Succeeded') return obj;
    if (Date.now() > deadline) throw new Error(`no agent took ${name} within ${waitForAgentMs / 1000}s (phase ${phase ?? 'Pending'})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Why the attach API refused the WebSocket: a browser is told nothing, so ask with a plain GET. */
async function refusalOf(api: KubeApi, name: string): Promise<string> {
  const res = await fetch(api.url(subresourceAttachPath(api.namespace, name)), { cache: 'no-store' });
  const err = await apiError(res);
  if (res.status === 400) return 'the attach API or the agent refused the stream';
  return `Error from server (${err.reason}): ${err.message}`;
}

export async function runAttach(api: KubeApi, r: AttachRequest, view: AttachView): Promise<void> {
  const { token, hash } = await newSessionToken();
  let obj: ContainerAttach;
  try {
    obj = await api.create(manifest(r, hash));
  } catch (err) {
    view.say(`Refused: ${(err as Error).message}`, 'error');
    return;
  }
  const name = obj.metadata.name!;
  view.changed();
  view.say(`${name}: waiting for an agent to take it`);
  let ready: ContainerAttach;
  try {
    ready = await waitForAgent(api, name);
  } catch (err) {
    view.say(`${name}: ${(err as Error).message}`, 'error');
    await api.delete(name).catch(() => undefined);
    return;
  }
  if (ready.status?.phase !== 'WaitingForClient') {
    const s = ready.status ?? {};
    view.say(`Refused: ${name} ${s.phase}${s.reason ? ` (${s.reason})` : ''}: ${s.message ?? ''}`, 'error');
    view.changed();
    return;
  }
  const url = new URL(api.url(subresourceAttachPath(api.namespace, name)), location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const stream = new AttachStream(url.href, token, {
    output: (bytes) => view.output(bytes),
    opened: (protocol) => {
      view.say(`${name}: attached on node ${ready.status?.nodeName ?? '?'} (${protocol})`, 'ok');
      stream.resize(r.size);
      view.attached(stream);
      view.changed();
    },
  });
  const end = await stream.ended;
  if (end.kind === 'exited') {
    if ('exitCode' in end.outcome) view.say(`${name}: exited with code ${end.outcome.exitCode}`, end.outcome.exitCode === 0 ? 'ok' : 'error');
    else view.say(`${name}: failed (${end.outcome.reason}): ${end.outcome.error}`, 'error');
  } else if (end.kind === 'refused') {
    view.say(`Refused: ${await refusalOf(api, name).catch((err: Error) => err.message)}`, 'error');
    await api.delete(name).catch(() => undefined);
  } else {
    view.say(`${name}: connection lost (WebSocket closed with ${end.code} before the command's exit status): its outcome is unknown here`, 'error');
  }
  view.changed();
}
