// Checks a ContainerAttach spec against the node's policy before anything runs. A refusal names
// the rule, so the object's status says exactly which setting said no.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { ContainerAttachSpec } from '../../../common/src/containerattach/types.js';
import type { Policy } from './agent-config.js';
import { idAllowed, matchesAnyGlob } from './policy-patterns.js';

interface PolicyRefusal {
  rule: keyof Policy;
  message: string;
}

export interface SessionCounts {
  node: number;
  namespace: number;
}

/** Where lxc-attach -l without -o writes (liblxc's default log file). */
export function defaultLogFile(container: string): string {
  return `/var/log/lxc/${container}.log`;
}

/** The real location of a node path: its symlinks resolved as far as the path exists, so that a
 *  link inside an allowed directory cannot point outside it. */
function realLocation(p: string): string {
  const normal = path.resolve(p);
  let existing = normal;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(existing), ...rest);
    } catch {
      // NB: not there (yet): a log file is created by the attach; resolve its parent instead.
      if (existing === '/') return normal;
      rest.unshift(path.basename(existing));
      existing = path.dirname(existing);
    }
  }
}

function isUnder(file: string, dirs: readonly string[]): boolean {
  if (file.split('/').includes('..')) return false;
  const real = realLocation(file);
  return dirs.some((d) => {
    const dir = realLocation(d);
    return real.startsWith(dir === '/' ? '/' : dir + '/');
  });
}

function pathRule(rule: keyof Policy, what: string, file: string | undefined, dirs: readonly string[]): PolicyRefusal | undefined {
  if (file === undefined || isUnder(file, dirs)) return undefined;
  const allowed = dirs.length ? dirs.join(', ') : 'none';
  return { rule, message: `${what} ${file} is not under an allowed directory (${rule}: ${allowed})` };
}

const list = (items: readonly string[]): string => (items.length ? items.join(', ') : 'none');

/** Which containers, nodes, users, groups and LSM labels the object's namespace may use. */
function tenancyRefusal(spec: ContainerAttachSpec, policy: Policy, node: string): PolicyRefusal | undefined {
  if (!matchesAnyGlob(policy.allowedContainers, spec.container)) {
    return { rule: 'allowedContainers', message: `container ${spec.container} is not allowed (allowedContainers: ${list(policy.allowedContainers)})` };
  }
  if (!matchesAnyGlob(policy.allowedNodes, node)) {
    return { rule: 'allowedNodes', message: `node ${node} is not allowed (allowedNodes: ${list(policy.allowedNodes)})` };
  }
  // NB: without -u/-g lxc-attach runs as the container's init user and group, root in practice.
  const uid = spec.uid ?? 0;
  if (!idAllowed(policy.allowedUids, uid)) {
    const what = spec.uid === undefined ? 'uid 0 (no -u: the container\'s root)' : `uid ${uid}`;
    return { rule: 'allowedUids', message: `${what} is not allowed (allowedUids: ${list(policy.allowedUids)})` };
  }
  const gid = spec.gid ?? 0;
  if (!idAllowed(policy.allowedGids, gid)) {
    const what = spec.gid === undefined ? 'gid 0 (no -g: the container\'s root group)' : `gid ${gid}`;
    return { rule: 'allowedGids', message: `${what} is not allowed (allowedGids: ${list(policy.allowedGids)})` };
  }
  if (spec.selinuxContext !== undefined && !policy.allowedSelinuxContexts.includes(spec.selinuxContext)) {
    return { rule: 'allowedSelinuxContexts', message: `LSM label ${spec.selinuxContext} (-c) is not allowed (allowedSelinuxContexts: ${list(policy.allowedSelinuxContexts)})` };
  }
  return undefined;
}

export function checkPolicy(spec: ContainerAttachSpec, policy: Policy, counts: SessionCounts, node: string): PolicyRefusal | undefined {
  const tenancy = tenancyRefusal(spec, policy, node);
  if (tenancy) return tenancy;
  if (spec.lxcPath !== undefined && !policy.allowedLxcPaths.includes(spec.lxcPath)) {
    return { rule: 'allowedLxcPaths', message: `lxc path ${spec.lxcPath} is not allowed (allowedLxcPaths: ${policy.allowedLxcPaths.join(', ') || 'none'})` };
  }
  const logFile = spec.log?.file ?? (spec.log?.priority !== undefined ? defaultLogFile(spec.container) : undefined);
  const refusal =
    pathRule('rcFileDirectories', 'rcfile', spec.rcFile, policy.rcFileDirectories) ??
    pathRule('logFileDirectories', 'log file', logFile, policy.logFileDirectories) ??
    pathRule('ptyLogDirectories', 'pty log', spec.ptyLog, policy.ptyLogDirectories);
  if (refusal) return refusal;
  const denied = (spec.elevatedPrivileges ?? []).filter((p) => !policy.elevatedPrivileges.includes(p));
  if (denied.length) {
    return { rule: 'elevatedPrivileges', message: `elevated privileges ${denied.join(', ')} are not allowed (elevatedPrivileges: ${policy.elevatedPrivileges.join(', ') || 'none'})` };
  }
  if (spec.namespaces !== undefined && !policy.allowNamespaceSelection) {
    return { rule: 'allowNamespaceSelection', message: 'entering only some namespaces (-s) is not allowed (allowNamespaceSelection: false)' };
  }
  const deadline = spec.activeDeadlineSeconds;
  if (policy.maxActiveDeadlineSeconds > 0 && deadline !== undefined && deadline > policy.maxActiveDeadlineSeconds) {
    return { rule: 'maxActiveDeadlineSeconds', message: `activeDeadlineSeconds ${deadline} is above the limit (maxActiveDeadlineSeconds: ${policy.maxActiveDeadlineSeconds})` };
  }
  const connect = spec.connectTimeoutSeconds;
  if (spec.mode === 'Interactive' && connect !== undefined && connect > policy.maxConnectTimeoutSeconds) {
    return { rule: 'maxConnectTimeoutSeconds', message: `connectTimeoutSeconds ${connect} is above the limit (maxConnectTimeoutSeconds: ${policy.maxConnectTimeoutSeconds})` };
  }
  if (policy.maxSessions > 0 && counts.node >= policy.maxSessions) {
    return { rule: 'maxSessions', message: `this node already runs ${counts.node} attaches (maxSessions: ${policy.maxSessions})` };
  }
  if (policy.maxSessionsPerNamespace > 0 && counts.namespace >= policy.maxSessionsPerNamespace) {
    return { rule: 'maxSessionsPerNamespace', message: `this namespace already runs ${counts.namespace} attaches on this node (maxSessionsPerNamespace: ${policy.maxSessionsPerNamespace})` };
  }
  return undefined;
}

/** The deadline the agent enforces: the spec's, capped by the policy. */
export function effectiveDeadlineSeconds(spec: ContainerAttachSpec, policy: Policy): number | undefined {
  const cap = policy.maxActiveDeadlineSeconds > 0 ? policy.maxActiveDeadlineSeconds : undefined;
  if (spec.activeDeadlineSeconds === undefined) return cap;
  return cap === undefined ? spec.activeDeadlineSeconds : Math.min(cap, spec.activeDeadlineSeconds);
}
