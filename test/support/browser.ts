// A real headless Chromium (Debian's chromium package, installed by scripts/setup.sh) driven by
// playwright-core, and a real `kubectl proxy` in front of the API server: the way a person opens
// the terminal page.
import { chromium, type Browser } from 'playwright-core';
import { Proc, kubectlBin, tempDir, waitFor } from './processes.js';

export const chromiumBin = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumBin,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
}

/** `kubectl proxy --port=0` for a kubeconfig, with a fresh HOME; resolves with its base URL. */
export async function startKubectlProxy(kubeconfig: string): Promise<{ proc: Proc; url: string }> {
  const proc = new Proc(kubectlBin, ['proxy', '--port=0', '--address=127.0.0.1'], { PATH: process.env.PATH, HOME: tempDir('kubectl-proxy-home'), KUBECONFIG: kubeconfig });
  const url = await waitFor('kubectl proxy to listen', () => {
    if (proc.child.exitCode !== null) throw new Error(`kubectl proxy exited: ${proc.stderr}`);
    const m = /Starting to serve on (127\.0\.0\.1:\d+)/.exec(proc.stdout);
    return m ? `http://${m[1]}` : undefined;
  });
  return { proc, url };
}
