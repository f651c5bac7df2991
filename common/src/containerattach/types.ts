// The ContainerAttach resource as TypeScript types (docs/options.md lists its fields). The CRD schema is
// generated from the option table and the session fields in crd.ts; these types mirror it.
import type { NamespaceName, Privilege } from '../options/values.js';

export const group = 'lxcattach.io';
export const version = 'v1alpha1';
export const apiVersion = `${group}/${version}`;
export const kind = 'ContainerAttach';
export const plural = 'containerattaches';
export const singular = 'containerattach';
export const shortName = 'lxca';
export const category = 'lxc';

/** Label that routes an object to one node's agent (agents watch it with a label selector). */
export const nodeLabel = `${group}/node`;

type EnvPolicy = 'Keep' | 'Clear';
type AttachMode = 'Interactive' | 'Batch';

/** The lxc-attach options, one field each (see common/src/options/lxc-attach-options.ts). */
export interface LxcAttachFields {
  container: string;
  lxcPath?: string;
  rcFile?: string;
  arch?: string;
  elevatedPrivileges?: Privilege[];
  namespaces?: NamespaceName[];
  remountSysProc?: boolean;
  env?: { policy?: EnvPolicy; set?: string[]; keep?: string[] };
  uid?: number;
  gid?: number;
  ptyLog?: string;
  selinuxContext?: string;
  log?: { file?: string; priority?: string; quiet?: boolean };
  command?: string[];
}

export interface TerminalSpec {
  width?: number;
  height?: number;
  term?: string;
}

interface SessionFields {
  nodeName?: string;
  mode?: AttachMode;
  stdin?: boolean;
  tty?: boolean;
  terminal?: TerminalSpec;
  sessionTokenHash?: string;
  activeDeadlineSeconds?: number;
  connectTimeoutSeconds?: number;
  ttlSecondsAfterFinished?: number;
}

export type ContainerAttachSpec = LxcAttachFields & SessionFields;

export type Phase = 'Pending' | 'WaitingForClient' | 'Running' | 'Succeeded' | 'Failed';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface ContainerAttachStatus {
  phase?: Phase;
  observedGeneration?: number;
  conditions?: Condition[];
  nodeName?: string;
  agent?: string;
  endpoint?: string;
  tlsFingerprint?: string;
  /** HMAC the admitting agent keeps to recognise its own admissions after a restart */
  admissionSeal?: string;
  startTime?: string;
  completionTime?: string;
  exitCode?: number;
  signal?: number;
  reason?: string;
  message?: string;
  stdoutTail?: string;
  stderrTail?: string;
  stdoutTruncated?: boolean;
  stderrTruncated?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

export interface ContainerAttach {
  apiVersion: typeof apiVersion;
  kind: typeof kind;
  metadata: ObjectMeta;
  spec: ContainerAttachSpec;
  status?: ContainerAttachStatus;
}
