// /version: kubectl (and gcloud's kubectl dispatcher) read major/minor; the rest are the fields a
// real server reports, filled honestly for this server.
import os from 'node:os';

const archNames: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };

export const KUBE_VERSION = { major: '1', minor: '32', patch: '4' };

export function versionInfo(): Record<string, string> {
  return {
    major: KUBE_VERSION.major,
    minor: KUBE_VERSION.minor,
    // A build-metadata suffix, like k3s' "v1.32.4+k3s1": the API level is 1.32, the server is this one.
    gitVersion: `v${KUBE_VERSION.major}.${KUBE_VERSION.minor}.${KUBE_VERSION.patch}+lxcattach`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'node',
    platform: `${os.platform()}/${archNames[os.arch()] ?? os.arch()}`,
  };
}
