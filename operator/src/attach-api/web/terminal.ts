// The terminal page: the namespace's ContainerAttach objects, the form, and an xterm.js terminal
// wired to runAttach. The namespace and the API prefix come from the page's own path,
// PREFIX/apis/subresources.lxcattach.io/v1alpha1/namespaces/NS/terminal/index.html.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { subresourceGroupVersion } from '../../../../common/src/containerattach/paths.js';
import type { ContainerAttach, LxcAttachFields } from '../../../../common/src/containerattach/types.js';
import type { AttachStream } from './attach-stream.js';
import { runAttach } from './attach-flow.js';
import { commandWords } from './command-words.js';
import { routeInlineStylesThroughCssom } from './csp-styles.js';
import { KubeApi } from './kube-api.js';

function element<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

function pageLocation(): { prefix: string; namespace: string } {
  const m = new RegExp(`^(.*)/apis/${subresourceGroupVersion}/namespaces/([^/]+)/terminal/`).exec(location.pathname);
  if (!m) throw new Error(`this page is served at .../apis/${subresourceGroupVersion}/namespaces/NAMESPACE/terminal/index.html`);
  return { prefix: m[1]!, namespace: decodeURIComponent(m[2]!) };
}

function say(message: string, tone: 'info' | 'ok' | 'error' = 'info'): void {
  const status = element('status');
  status.textContent = message;
  status.dataset.tone = tone;
}

function row(obj: ContainerAttach): HTMLTableRowElement {
  const tr = document.createElement('tr');
  const s = obj.status ?? {};
  const cells = [obj.metadata.name, obj.spec.container, s.phase ?? 'Pending', s.exitCode ?? '', s.nodeName ?? obj.spec.nodeName ?? '', s.reason ?? ''];
  for (const value of cells) {
    const td = document.createElement('td');
    td.textContent = String(value ?? '');
    tr.append(td);
  }
  tr.dataset.name = obj.metadata.name;
  return tr;
}

function formFields(): { fields: LxcAttachFields; node?: string } {
  const container = element<HTMLInputElement>('container').value.trim();
  if (!container) throw new Error('name a container');
  const fields: LxcAttachFields = { container };
  const command = commandWords(element<HTMLInputElement>('command').value);
  if (command.length) fields.command = command;
  const user = element<HTMLInputElement>('user').value.trim();
  if (user) {
    if (!/^[0-9]+$/.test(user)) throw new Error(`-u takes a numeric uid, not "${user}"`);
    fields.uid = Number(user);
  }
  const env = element<HTMLTextAreaElement>('env').value.split('\n').map((l) => l.trim()).filter(Boolean);
  const bad = env.find((v) => !/^[^=]+=/.test(v));
  if (bad) throw new Error(`-v takes NAME=VALUE, not "${bad}"`);
  if (env.length) fields.env = { set: env };
  const node = element<HTMLInputElement>('node').value.trim();
  return { fields, ...(node ? { node } : {}) };
}

function start(): void {
  routeInlineStylesThroughCssom(document);
  const { prefix, namespace } = pageLocation();
  const api = new KubeApi(prefix, namespace);
  element('namespace').textContent = namespace;
  // kubectl lxc-attach --web -n NAME [--node=NODE] fills these in.
  const given = new URLSearchParams(location.search);
  for (const field of ['container', 'node']) element<HTMLInputElement>(field).value = given.get(field) ?? '';

  const terminal = new Terminal({ convertEol: false, cursorBlink: true, scrollback: 5000, fontFamily: 'monospace' });
  const fit = new FitAddon();
  terminal.loadAddon(fit);
  terminal.open(element('terminal'));
  fit.fit();
  // For people and tests automating the page: the xterm.js Terminal, its buffer and size.
  (globalThis as { lxcAttachTerminal?: Terminal }).lxcAttachTerminal = terminal;

  let stream: AttachStream | undefined;
  terminal.onData((data) => stream?.input(data));
  terminal.onBinary((data) => stream?.input(Uint8Array.from(data, (c) => c.charCodeAt(0))));
  terminal.onResize(({ cols, rows }) => stream?.resize({ width: cols, height: rows }));
  new ResizeObserver(() => fit.fit()).observe(element('terminal'));

  const refresh = async (): Promise<void> => {
    try {
      const items = await api.list();
      items.sort((a, b) => (b.metadata as { creationTimestamp?: string }).creationTimestamp?.localeCompare((a.metadata as { creationTimestamp?: string }).creationTimestamp ?? '') ?? 0);
      element('attaches').replaceChildren(...items.map(row));
      element('list-error').textContent = '';
    } catch (err) {
      element('list-error').textContent = `Cannot list containerattaches: ${(err as Error).message}`;
    }
  };
  void refresh();
  setInterval(() => void refresh(), 2000);

  const button = element<HTMLButtonElement>('attach');
  element<HTMLFormElement>('attach-form').addEventListener('submit', (e) => {
    e.preventDefault();
    let request;
    try {
      request = formFields();
    } catch (err) {
      say((err as Error).message, 'error');
      return;
    }
    button.disabled = true;
    stream = undefined;
    terminal.reset();
    fit.fit();
    void runAttach(api, { ...request, size: { width: terminal.cols, height: terminal.rows } }, {
      say,
      output: (bytes) => terminal.write(bytes),
      attached: (s) => {
        stream = s;
        terminal.focus();
      },
      changed: () => void refresh(),
    }).catch((err: Error) => say(err.message, 'error')).finally(() => {
      stream = undefined;
      button.disabled = false;
    });
  });
}

start();
