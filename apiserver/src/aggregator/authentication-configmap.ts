// kube-system/extension-apiserver-authentication, as kube-apiserver's cluster authentication trust
// controller writes it (pkg/controlplane/controller/clusterauthenticationtrust, getConfigMapDataFor):
// list values are JSON arrays. There is no client-ca-file: this server authenticates no client
// certificates (bearer tokens only), and kube leaves the key out then.
import type { Obj } from '../objects.js';
import { FRONT_PROXY_CLIENT_CN } from './front-proxy-certificates.js';

export const AUTHENTICATION_CONFIGMAP = { namespace: 'kube-system', name: 'extension-apiserver-authentication' };

/** the identity headers the proxy sets (and strips from clients) */
export const REQUEST_HEADERS = {
  username: 'X-Remote-User',
  uid: 'X-Remote-Uid',
  group: 'X-Remote-Group',
  extraPrefix: 'X-Remote-Extra-',
};

export function authenticationConfigMap(requestHeaderCaPem: string): Obj {
  return {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: AUTHENTICATION_CONFIGMAP.name, namespace: AUTHENTICATION_CONFIGMAP.namespace },
    data: {
      'requestheader-allowed-names': JSON.stringify([FRONT_PROXY_CLIENT_CN]),
      'requestheader-client-ca-file': requestHeaderCaPem,
      'requestheader-extra-headers-prefix': JSON.stringify([REQUEST_HEADERS.extraPrefix]),
      'requestheader-group-headers': JSON.stringify([REQUEST_HEADERS.group]),
      'requestheader-uid-headers': JSON.stringify([REQUEST_HEADERS.uid]),
      'requestheader-username-headers': JSON.stringify([REQUEST_HEADERS.username]),
    },
  };
}
