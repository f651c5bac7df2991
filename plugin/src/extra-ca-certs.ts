// NODE_EXTRA_CA_CERTS, applied by the plugin instead of by Node.js at start-up: the bundle's first
// lines (plugin/bundle-start.sh) hand it over as KUBECTL_LXC_ATTACH_EXTRA_CA_CERTS. The meaning is
// Node.js's: the file's certificates extend the default roots, and neither is used for a
// connection given its own CA (every kubeconfig cluster with certificate-authority, and the
// agent's pinned certificate).
import { readFileSync } from 'node:fs';
import type { RequestOptions } from 'node:http';
import { rootCertificates } from 'node:tls';
import type { RequestSigner } from '../../common/src/kube/client.js';

const handedOver = 'KUBECTL_LXC_ATTACH_EXTRA_CA_CERTS';

/** Puts NODE_EXTRA_CA_CERTS back, so that the processes the plugin starts (credential plugins)
 *  see the environment the user set. */
export function restoreExtraCaCerts(env: NodeJS.ProcessEnv): void {
  const file = env[handedOver];
  if (file === undefined) return;
  delete env[handedOver];
  env.NODE_EXTRA_CA_CERTS = file;
}

/** `signer`, with the default roots and the NODE_EXTRA_CA_CERTS file for an API server whose
 *  kubeconfig names no CA. An unreadable file is a warning, as it is to Node.js. */
export function withExtraCaCerts(signer: RequestSigner, env: NodeJS.ProcessEnv, warn: (line: string) => void): RequestSigner {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file) return signer;
  let roots: string[] | undefined;
  return {
    getCurrentCluster: () => signer.getCurrentCluster(),
    async applyToHTTPSOptions(opts: RequestOptions & { ca?: unknown; rejectUnauthorized?: boolean }) {
      await signer.applyToHTTPSOptions(opts);
      if (opts.ca !== undefined || opts.rejectUnauthorized === false) return;
      if (!roots) {
        roots = [...rootCertificates];
        try {
          roots.push(readFileSync(file, 'utf8'));
        } catch (err) {
          warn(`Warning: Ignoring extra certs from \`${file}\`, load failed: ${(err as Error).message}`);
        }
      }
      opts.ca = roots;
    },
  };
}
