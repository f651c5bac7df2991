// The terminal page in a real headless Chromium, through a real `kubectl proxy` (kubectl 1.32) to
// the standalone API server, its aggregator and the attach API, onto a real LXC container: the
// page makes the session token and the ContainerAttach with the user's own RBAC, and streams
// through containerattaches/NAME/attach with the token as a WebSocket subprotocol entry.
// Needs root (LXC) and /usr/bin/chromium (scripts/setup.sh installs it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { containerAttachPath, terminalPagePath } from '../../common/src/containerattach/paths.js';
import { attachSubresourceRule, containerAttachObjectsRule, terminalPageRule, userRoleManifest } from '../support/user-roles.js';
import { contentSecurityPolicy } from '../../operator/src/attach-api/terminal-page.js';
import { AgentCluster } from '../support/agent-cluster.js';
import { launchChromium, startKubectlProxy } from '../support/browser.js';
import { containerNames } from '../support/containers.js';
import { decodePng, distinctColours, pixelsOfColour } from '../support/png.js';
import { Proc, kubectlOk, pluginBin, tempDir, waitFor } from '../support/processes.js';

/** carol may do everything; alice may open the page but not create containerattaches/attach; bob has no role. */
const roles = [userRoleManifest('carol', [containerAttachObjectsRule, terminalPageRule, attachSubresourceRule('get, create')]),
  userRoleManifest('alice', [containerAttachObjectsRule, terminalPageRule, attachSubresourceRule('get')])].join('---\n');

async function terminalText(p: Page): Promise<string> {
  return p.evaluate(() => {
    type Buffer = { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined };
    const t = (globalThis as unknown as { lxcAttachTerminal: { buffer: { active: Buffer } } }).lxcAttachTerminal;
    const lines: string[] = [];
    for (let i = 0; i < t.buffer.active.length; i++) lines.push(t.buffer.active.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n');
  });
}

async function terminalSize(p: Page): Promise<{ rows: number; cols: number }> {
  return p.evaluate(() => {
    const t = (globalThis as unknown as { lxcAttachTerminal: { rows: number; cols: number } }).lxcAttachTerminal;
    return { rows: t.rows, cols: t.cols };
  });
}

async function waitForText(p: Page, pattern: RegExp, timeoutMs = 15_000): Promise<RegExpExecArray> {
  let last = '';
  try {
    return await waitFor(`the terminal to show ${pattern}`, async () => pattern.exec((last = await terminalText(p))) ?? undefined, timeoutMs, 100);
  } catch (err) {
    throw new Error(`${(err as Error).message}; the terminal shows:\n${last}\nstatus: ${await p.textContent('#status')}`, { cause: err });
  }
}

async function waitForStatus(p: Page, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  let last = '';
  try {
    return await waitFor(`the status to say ${pattern}`, async () => (pattern.test((last = (await p.textContent('#status')) ?? '')) ? last : undefined), timeoutMs, 100);
  } catch (err) {
    throw new Error(`${(err as Error).message}; it says: ${last}`, { cause: err });
  }
}

describe('the terminal page in a real Chromium through kubectl proxy', function () {
  this.timeout(120_000);
  const { privileged } = containerNames();
  const cluster = new AgentCluster();
  const dir = tempDir('web-terminal');
  const proxies: Record<string, { proc: Proc; url: string }> = {};
  let browser: Browser;
  const cspViolations: string[] = [];

  before(async () => {
    const tokenFile = path.join(dir, 'tokens.csv');
    const users = ['carol', 'alice', 'bob'];
    writeFileSync(tokenFile, users.map((u, i) => `token-${u}-${process.pid},${u},uid-${i},"devs"`).join('\n') + '\n');
    await cluster.start(undefined, ['--token-auth-file', tokenFile], { attachApi: true });
    kubectlOk(cluster.api.kubeconfig, ['apply', '-f', '-'], roles);
    const admin = parse(readFileSync(cluster.api.kubeconfig, 'utf8')) as { users: { user: Record<string, unknown> }[] };
    for (const u of users) {
      const copy = structuredClone(admin);
      for (const entry of copy.users) entry.user = { token: `token-${u}-${process.pid}` };
      const kubeconfig = path.join(dir, `${u}.kubeconfig`);
      writeFileSync(kubeconfig, stringify(copy));
      proxies[u] = await startKubectlProxy(kubeconfig);
    }
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    for (const p of Object.values(proxies)) await p.proc.stop();
    await cluster.stop();
  });

  async function open(user: string, viewport = { width: 1200, height: 700 }): Promise<Page> {
    const p = await browser.newPage({ viewport });
    p.on('console', (m) => {
      if (/Content[- ]Security[- ]Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    const res = await p.goto(proxies[user]!.url + terminalPagePath('default'));
    assert.equal(res?.status(), 200);
    await p.waitForFunction(() => 'lxcAttachTerminal' in globalThis);
    return p;
  }

  async function attachWith(p: Page, o: { command?: string; user?: string; env?: string }): Promise<void> {
    await p.fill('#container', privileged);
    await p.fill('#node', cluster.node);
    await p.fill('#command', o.command ?? '');
    await p.fill('#user', o.user ?? '');
    await p.fill('#env', o.env ?? '');
    await p.click('#attach');
  }

  it('serves the page, its script and style with their content types and a self-only CSP, and only to whom RBAC lets get terminal', async () => {
    const base = proxies.carol!.url;
    for (const [file, type] of [['index.html', 'text/html'], ['terminal.js', 'text/javascript'], ['terminal.css', 'text/css']]) {
      const res = await fetch(base + terminalPagePath('default', file));
      assert.equal(res.status, 200, file);
      assert.match(res.headers.get('content-type') ?? '', new RegExp(`^${type}; charset=utf-8$`), file);
      assert.equal(res.headers.get('content-security-policy'), contentSecurityPolicy);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.match(await res.text(), file === 'index.html' ? /<div|<section id="terminal"/ : /./);
    }
    assert.doesNotMatch(contentSecurityPolicy, /unsafe|\*|http/);
    const missing = await fetch(base + terminalPagePath('default', 'nothing.js'));
    assert.equal(missing.status, 404);
    const port = /"msg":"Attach API started"[^\n]*"port":(\d+)/.exec(cluster.attachApi!.stderr)![1];
    const direct = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: terminalPagePath('default'), rejectUnauthorized: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', reject);
    });
    assert.equal(direct.status, 401, 'the attach API serves the page only behind the API server (its front-proxy certificate)');
    assert.doesNotMatch(direct.body, /<html/);
    const bob = await fetch(proxies.bob!.url + terminalPagePath('default'));
    assert.equal(bob.status, 403);
    assert.match(await bob.text(), /User \\"bob\\" cannot get resource \\"terminal\\" in API group \\"subresources.lxcattach.io\\" in the namespace \\"default\\"/);
  });

  it('runs a command with -u and -v in the container and shows its output, exit code, phase and node', async () => {
    const p = await open('carol');
    await attachWith(p, { command: 'sh -c \'echo "uid=$(id -u) greeting=$GREETING"; exit 3\'', user: '1000', env: 'GREETING=hello web' });
    await waitForStatus(p, /exited with code 3$/);
    await waitForText(p, /uid=1000 greeting=hello web/);
    const row = await waitFor('the list to show the outcome', async () => {
      const cells = await p.$$eval('#attaches tr:first-child td', (tds) => tds.map((td) => td.textContent));
      return cells[2] === 'Failed' ? cells : undefined;
    }, 10_000, 200);
    assert.equal(row[1], privileged);
    assert.equal(row[3], '3');
    assert.equal(row[4], cluster.node);
    await p.close();
  });

  it('types into a shell, follows the window\'s size (stty size), shows the exit code, and looks right on a screenshot', async () => {
    const p = await open('carol');
    await attachWith(p, { command: 'sh' });
    const attached = await waitForStatus(p, /attached on node/);
    assert.match(attached, /\(v5\.channel\.k8s\.io\)$/, 'the stream speaks v5, never the token entry as its protocol');
    await p.click('#terminal');
    await p.keyboard.type('echo typed-$((6*7))\n');
    await waitForText(p, /^typed-42$/m);
    const before = await terminalSize(p);
    await p.keyboard.type('stty size\n');
    await waitForText(p, new RegExp(`^${before.rows} ${before.cols}$`, 'm'));

    await p.setViewportSize({ width: 900, height: 500 });
    const after = await waitFor('xterm to fit the smaller window', async () => {
      const s = await terminalSize(p);
      return s.cols < before.cols && s.rows < before.rows ? s : undefined;
    }, 10_000, 100);
    await p.keyboard.type('clear; stty size\n');
    await waitForText(p, new RegExp(`^${after.rows} ${after.cols}$`, 'm'));

    await p.setViewportSize({ width: 1200, height: 700 });
    const grown = await waitFor('xterm to fit the larger window', async () => {
      const s = await terminalSize(p);
      return s.cols > after.cols && s.rows > after.rows ? s : undefined;
    }, 10_000, 100);
    await p.keyboard.type('clear; stty size\n');
    await waitForText(p, new RegExp(`^${grown.rows} ${grown.cols}$`, 'm'));
    await p.keyboard.type('clear; echo "the screenshot shows this line"; ls /\n');
    await waitForText(p, /^the screenshot shows this line$/m);
    const shot = await p.screenshot();
    writeFileSync(path.join(dir, 'web-terminal.png'), shot);
    if (process.env.LXCAT_WRITE_SCREENSHOT) writeFileSync(process.env.LXCAT_WRITE_SCREENSHOT, shot);
    const image = decodePng(shot);
    assert.deepEqual([image.width, image.height], [1200, 700]);
    assert.ok(distinctColours(image) > 20, `the screenshot is not blank (${distinctColours(image)} colours)`);
    const box = (await p.locator('#terminal .xterm-screen').boundingBox())!;
    assert.ok(box.width > 600 && box.height > 400, `the terminal fills its part of the page: ${JSON.stringify(box)}`);
    const empty = { x: Math.round(box.x), y: Math.round(box.y + box.height / 2), width: Math.round(box.width), height: Math.round(box.height / 2) - 1 };
    const black = pixelsOfColour(image, empty, [0, 0, 0]);
    assert.ok(black > 0.95 * empty.width * empty.height, `the terminal's empty lower half is its black background (${black} of ${empty.width * empty.height})`);
    const text = { x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width), height: 60 };
    assert.ok(pixelsOfColour(image, text, [255, 255, 255], 60) > 200, 'the lines at the top of the terminal are drawn in light glyphs');

    await p.keyboard.type('exit 5\n');
    await waitForStatus(p, /exited with code 5$/);
    await p.close();
  });

  it('shows a refused attach: a user without create on containerattaches/attach gets kube-apiserver\'s 403, and the object is gone', async () => {
    const names = async (): Promise<string[]> =>
      (await cluster.client.request<{ items: { metadata: { name: string } }[] }>('GET', containerAttachPath('default'))).items.map((i) => i.metadata.name);
    const existing = new Set(await names());
    const p = await open('alice');
    await attachWith(p, { command: 'echo never' });
    const said = await waitForStatus(p, /^Refused/);
    assert.match(said, /^Refused: Error from server \(Forbidden\): containerattaches\.subresources\.lxcattach\.io "[^"]+" is forbidden: User "alice" cannot create resource "containerattaches\/attach" in API group "subresources\.lxcattach\.io" in the namespace "default"/);
    await waitFor('the refused object to be deleted', async () => ((await names()).some((n) => !existing.has(n)) ? undefined : true));
    assert.doesNotMatch(await terminalText(p), /never/);
    await p.close();
  });

  it('shows an attach the agent refused before any stream, with its reason', async () => {
    const p = await open('carol');
    await p.fill('#container', `${privileged}-missing`);
    await p.fill('#node', cluster.node);
    await p.click('#attach');
    const said = await waitForStatus(p, /^Refused/);
    assert.match(said, /^Refused: lxcat-[0-9]+-priv-missing-[a-z0-9]+ Failed \(ContainerNotFound\): /);
    await p.close();
  });

  it('the page raised no Content-Security-Policy violation, and no process logged a session token', () => {
    assert.deepEqual(cspViolations, []);
    const logs = [cluster.api.proc, cluster.agent.proc, cluster.attachApi!, ...Object.values(proxies).map((x) => x.proc)].map((p) => p.stdout + p.stderr).join('\n');
    assert.doesNotMatch(logs, /session-token\.lxcattach\.io/);
  });

  it('kubectl lxc-attach --web prints the URL of the page, serves it on 127.0.0.1 for the kubeconfig\'s user, and stops on Ctrl-C', async () => {
    const web = new Proc(pluginBin, ['--web', '-n', privileged, `--node=${cluster.node}`],
      { PATH: process.env.PATH, HOME: tempDir('web-plugin-home'), KUBECONFIG: path.join(dir, 'carol.kubeconfig') });
    try {
      const url = await waitFor('the plugin to print the URL', () => /^http:\/\/127\.0\.0\.1:\d+\S+$/m.exec(web.stdout)?.[0], 15_000);
      assert.equal(new URL(url).pathname, terminalPagePath('default'));
      const p = await browser.newPage({ viewport: { width: 1200, height: 700 } });
      await p.goto(url);
      await p.waitForFunction(() => 'lxcAttachTerminal' in globalThis);
      assert.equal(await p.inputValue('#container'), privileged, 'the form has the container of -n');
      assert.equal(await p.inputValue('#node'), cluster.node);
      await p.fill('#command', 'sh -c \'echo through-the-plugin; exit 7\'');
      await p.click('#attach');
      await waitForStatus(p, /exited with code 7$/);
      await waitForText(p, /^through-the-plugin$/m);
      await p.close();

      const origin = new URL(url).origin;
      const other = await fetch(`${origin}/api/v1/namespaces/default/secrets`);
      assert.equal(other.status, 403, 'the proxy serves the page\'s paths only');
      const foreign = await fetch(`${origin}${containerAttachPath('default')}`, { headers: { Origin: 'http://evil.example' } });
      assert.equal(foreign.status, 403, 'nor another site\'s requests');
      assert.match(await foreign.text(), /requests from http:\/\/evil\.example are refused/);
    } finally {
      await web.stop('SIGINT');
    }
    assert.equal(web.child.exitCode, 130);
    assert.match(web.stderr, /^Serving the terminal page on 127\.0\.0\.1 until Ctrl-C\.\n$/);
  });

  it('kubectl lxc-attach --web refuses the options of an attach from this terminal', () => {
    const r = spawnSync(pluginBin, ['--web', '--batch'], { encoding: 'utf8', env: { PATH: process.env.PATH, KUBECONFIG: path.join(dir, 'carol.kubeconfig') } });
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'error: --web opens the terminal page; --batch is for attaching from this terminal\n');
  });

  it('shows a lost connection when the relay goes away mid-session', async () => {
    const p = await open('carol');
    await attachWith(p, { command: 'sh' });
    await waitForStatus(p, /attached on node/);
    await p.click('#terminal');
    await p.keyboard.type('echo still-here\n');
    await waitForText(p, /^still-here$/m);
    await cluster.attachApi!.stop('SIGKILL');
    cluster.attachApi = undefined;
    const said = await waitForStatus(p, /connection lost/);
    assert.match(said, /WebSocket closed with \d+ before the command's exit status/);
    await p.close();
  });
});
