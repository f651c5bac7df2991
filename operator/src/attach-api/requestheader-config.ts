// kube-system/extension-apiserver-authentication as an aggregated server reads it: the CA that signs
// kube-aggregator's front-proxy client certificate, the names that certificate may carry, and the
// headers carrying the user. The list values are JSON arrays (k8s
// pkg/controlplane/controller/clusterauthenticationtrust getConfigMapDataFor).
export const authConfigMap = { namespace: 'kube-system', name: 'extension-apiserver-authentication' } as const;

export interface RequestHeaderConfig {
  /** PEM bundle of requestheader-client-ca-file */
  caPem: string;
  /** empty: any CN the CA signed */
  allowedNames: string[];
  usernameHeaders: string[];
  uidHeaders: string[];
  groupHeaders: string[];
  extraHeaderPrefixes: string[];
}

class RequestHeaderConfigError extends Error {
  readonly code = 'ATTACHAPI_ERR_AUTH_CONFIG';
}

function stringList(data: Record<string, string>, key: string): string[] {
  const raw = data[key];
  if (raw === undefined || raw === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new RequestHeaderConfigError(`${authConfigMap.namespace}/${authConfigMap.name}: ${key} is not a JSON list`);
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new RequestHeaderConfigError(`${authConfigMap.namespace}/${authConfigMap.name}: ${key} is not a list of strings`);
  }
  return value;
}

/** Like KubeVirt's readRequestHeader: without requestheader-client-ca-file there is no way to
 *  tell kube-aggregator from anyone else, so that is an error, not an open door. */
export function parseRequestHeaderConfig(data: Record<string, string> | undefined): RequestHeaderConfig {
  const d = data ?? {};
  const caPem = d['requestheader-client-ca-file'];
  if (!caPem?.includes('BEGIN CERTIFICATE')) {
    throw new RequestHeaderConfigError(
      `${authConfigMap.namespace}/${authConfigMap.name} has no requestheader-client-ca-file: the API server is not configured for aggregation (--requestheader-client-ca-file)`,
    );
  }
  const usernameHeaders = stringList(d, 'requestheader-username-headers');
  if (usernameHeaders.length === 0) {
    throw new RequestHeaderConfigError(`${authConfigMap.namespace}/${authConfigMap.name} names no requestheader-username-headers`);
  }
  return {
    caPem,
    allowedNames: stringList(d, 'requestheader-allowed-names'),
    usernameHeaders,
    uidHeaders: stringList(d, 'requestheader-uid-headers'),
    groupHeaders: stringList(d, 'requestheader-group-headers'),
    extraHeaderPrefixes: stringList(d, 'requestheader-extra-headers-prefix'),
  };
}
