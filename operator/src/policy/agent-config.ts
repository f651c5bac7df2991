// The agent's configuration file (--config): the policy every ContainerAttach on this node must
// satisfy, with per-namespace overrides. Rendered by the Helm chart from its values.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { privileges, type Privilege } from '../../../common/src/options/values.js';
import { AgentError } from '../agent-error.js';
import { defaultStreamLimits, parseStreamLimits, type StreamLimits } from '../stream/stream-limits.js';
import { idRangePattern } from './policy-patterns.js';

export interface Policy {
  /** container names (globs: `*`, `?`) objects may attach to */
  allowedContainers: string[];
  /** node names (globs) whose agents may run objects of this namespace */
  allowedNodes: string[];
  /** uids objects may run as (-u): `*`, `N` or `N-M`; an object without -u runs as the
   *  container's root and counts as uid 0 */
  allowedUids: string[];
  /** gids (-g), as allowedUids */
  allowedGids: string[];
  /** LSM labels objects may transition into (-c), matched exactly */
  allowedSelinuxContexts: string[];
  /** lxc paths objects may name with -P; the node's default lxc path is always allowed */
  allowedLxcPaths: string[];
  rcFileDirectories: string[];
  logFileDirectories: string[];
  ptyLogDirectories: string[];
  /** which privileges objects may elevate (-e, and -s which implies -e) */
  elevatedPrivileges: Privilege[];
  /** whether objects may enter only some namespaces (-s) */
  allowNamespaceSelection: boolean;
  /** concurrent attaches on this node; 0 = unlimited */
  maxSessions: number;
  maxSessionsPerNamespace: number;
  defaultConnectTimeoutSeconds: number;
  /** cap on spec.connectTimeoutSeconds */
  maxConnectTimeoutSeconds: number;
  /** cap on spec.activeDeadlineSeconds; 0 = none */
  maxActiveDeadlineSeconds: number;
}

export interface AgentConfig {
  policy: Policy;
  namespaceOverrides: Record<string, Partial<Policy>>;
  /** refuse streams that do not come through the attach API (kubectl lxc-attach --via=apiserver) */
  requireAttachApi?: boolean;
  /** CA (PEM file) that signs the attach API's relay client certificate */
  attachApiClientCaFile?: string;
  /** limits of the agent's HTTPS port */
  stream: StreamLimits;
  /** after a hang-up (deadline, client gone, shutdown), how long an attach's processes have before
   *  the helper kills all of them */
  hangupGraceSeconds: number;
}

export const defaultHangupGraceSeconds = 5;

function parseGrace(v: unknown): number {
  if (v === undefined || v === null) return defaultHangupGraceSeconds;
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 3600) {
    throw new AgentError('AGENT_ERR_CONFIG', 'hangupGraceSeconds must be an integer from 0 to 3600');
  }
  return v as number;
}

/** Without a config file (standalone mode on one host, run by its admin) every container, node and
 *  id is allowed; an LSM label never is. The Helm chart renders a closed policy instead. */
export const defaultPolicy: Readonly<Policy> = {
  allowedContainers: ['*'],
  allowedNodes: ['*'],
  allowedUids: ['*'],
  allowedGids: ['*'],
  allowedSelinuxContexts: [],
  allowedLxcPaths: ['/var/lib/lxc'],
  rcFileDirectories: [],
  logFileDirectories: [],
  ptyLogDirectories: [],
  elevatedPrivileges: [],
  allowNamespaceSelection: false,
  maxSessions: 32,
  maxSessionsPerNamespace: 8,
  defaultConnectTimeoutSeconds: 60,
  maxConnectTimeoutSeconds: 600,
  maxActiveDeadlineSeconds: 0,
};

type Check = (value: unknown, where: string) => unknown;

const absolutePaths: Check = (v, where) => {
  if (!Array.isArray(v) || !v.every((p) => typeof p === 'string' && p.startsWith('/'))) {
    throw new AgentError('AGENT_ERR_CONFIG', `${where} must be a list of absolute paths`);
  }
  return v.map((p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p));
};

const count: Check = (v, where) => {
  if (!Number.isInteger(v) || (v as number) < 0) throw new AgentError('AGENT_ERR_CONFIG', `${where} must be an integer >= 0`);
  return v;
};

const names: Check = (v, where) => {
  if (!Array.isArray(v) || !v.every((p) => typeof p === 'string' && p.length > 0)) {
    throw new AgentError('AGENT_ERR_CONFIG', `${where} must be a list of names or globs`);
  }
  return v;
};

const idRanges: Check = (v, where) => {
  const valid = (r: unknown): boolean => {
    if (typeof r === 'number') r = String(r);
    if (typeof r !== 'string' || !idRangePattern.test(r)) return false;
    const [low, high = low] = r.split('-').map(Number);
    return r === '*' || (low <= high && high < 2 ** 32 - 1);
  };
  if (!Array.isArray(v) || !v.every(valid)) {
    throw new AgentError('AGENT_ERR_CONFIG', `${where} must be a list of ids or ranges ("*", "1000", "1000-1999")`);
  }
  return v.map(String);
};

const positive: Check = (v, where) => {
  if (!Number.isInteger(v) || (v as number) < 1) throw new AgentError('AGENT_ERR_CONFIG', `${where} must be an integer >= 1`);
  return v;
};

const policyChecks: Record<keyof Policy, Check> = {
  allowedContainers: names,
  allowedNodes: names,
  allowedUids: idRanges,
  allowedGids: idRanges,
  allowedSelinuxContexts: names,
  allowedLxcPaths: absolutePaths,
  rcFileDirectories: absolutePaths,
  logFileDirectories: absolutePaths,
  ptyLogDirectories: absolutePaths,
  elevatedPrivileges: (v, where) => {
    if (!Array.isArray(v) || !v.every((p) => (privileges as readonly unknown[]).includes(p))) {
      throw new AgentError('AGENT_ERR_CONFIG', `${where} must be a list of ${privileges.join(', ')}`);
    }
    return v;
  },
  allowNamespaceSelection: (v, where) => {
    if (typeof v !== 'boolean') throw new AgentError('AGENT_ERR_CONFIG', `${where} must be true or false`);
    return v;
  },
  maxSessions: count,
  maxSessionsPerNamespace: count,
  defaultConnectTimeoutSeconds: positive,
  maxConnectTimeoutSeconds: positive,
  maxActiveDeadlineSeconds: count,
};

function parsePolicy(raw: unknown, where: string): Partial<Policy> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new AgentError('AGENT_ERR_CONFIG', `${where} must be a mapping`);
  const policy: Partial<Policy> = {};
  for (const [key, value] of Object.entries(raw)) {
    const check = policyChecks[key as keyof Policy];
    if (!check) throw new AgentError('AGENT_ERR_CONFIG', `${where}.${key} is not a policy setting`);
    (policy as Record<string, unknown>)[key] = check(value, `${where}.${key}`);
  }
  return policy;
}

export function parseConfig(text: string, source = 'config'): AgentConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new AgentError('AGENT_ERR_CONFIG', `${source}: not YAML`, { cause: err });
  }
  raw ??= {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new AgentError('AGENT_ERR_CONFIG', `${source}: must be a mapping`);
  const { policy, namespaceOverrides, requireAttachApi, attachApiClientCaFile, stream, hangupGraceSeconds, ...rest } = raw as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) throw new AgentError('AGENT_ERR_CONFIG', `${source}: unknown key ${unknown[0]}`);
  const overrides: Record<string, Partial<Policy>> = {};
  if (namespaceOverrides !== undefined && namespaceOverrides !== null) {
    if (typeof namespaceOverrides !== 'object' || Array.isArray(namespaceOverrides)) {
      throw new AgentError('AGENT_ERR_CONFIG', `${source}: namespaceOverrides must be a mapping`);
    }
    for (const [ns, p] of Object.entries(namespaceOverrides)) overrides[ns] = parsePolicy(p, `namespaceOverrides.${ns}`);
  }
  if (requireAttachApi !== undefined && typeof requireAttachApi !== 'boolean') {
    throw new AgentError('AGENT_ERR_CONFIG', `${source}: requireAttachApi must be true or false`);
  }
  if (attachApiClientCaFile !== undefined && (typeof attachApiClientCaFile !== 'string' || !attachApiClientCaFile.startsWith('/'))) {
    throw new AgentError('AGENT_ERR_CONFIG', `${source}: attachApiClientCaFile must be an absolute path`);
  }
  // Without the CA no client can prove it is the attach API: every stream would be refused.
  if (requireAttachApi === true && !attachApiClientCaFile) {
    throw new AgentError('AGENT_ERR_CONFIG', `${source}: requireAttachApi needs attachApiClientCaFile (the CA of the attach API's relay certificate)`);
  }
  return {
    policy: { ...defaultPolicy, ...parsePolicy(policy, 'policy') },
    namespaceOverrides: overrides,
    stream: parseStreamLimits(stream),
    hangupGraceSeconds: parseGrace(hangupGraceSeconds),
    requireAttachApi: requireAttachApi === true,
    ...(attachApiClientCaFile ? { attachApiClientCaFile: attachApiClientCaFile as string } : {}),
  };
}

export function loadConfig(file: string | undefined): AgentConfig {
  if (!file) {
    return {
      policy: { ...defaultPolicy }, namespaceOverrides: {}, stream: { ...defaultStreamLimits }, hangupGraceSeconds: defaultHangupGraceSeconds,
      requireAttachApi: false,
    };
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AgentError('AGENT_ERR_CONFIG', `cannot read config ${file}`, { cause: err });
  }
  return parseConfig(text, file);
}

/** The policy for objects in one Kubernetes namespace. */
export function policyFor(config: AgentConfig, namespace: string): Policy {
  return { ...config.policy, ...config.namespaceOverrides[namespace] };
}
