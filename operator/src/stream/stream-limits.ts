// Limits on the agent's HTTPS port (the "stream" key of the agent's --config file): how many
// connections, how many from one source address, how long a connection may take to get from TCP
// accept through the TLS handshake to its request headers, and how many failed token attempts one
// source may make in a minute.
import { AgentError } from '../agent-error.js';

export interface StreamLimits {
  /** open connections on the port, sessions included */
  maxConnections: number;
  /** open connections from one source address */
  maxConnectionsPerSource: number;
  /** TCP accept -> TLS handshake -> request headers, in seconds */
  preUpgradeTimeoutSeconds: number;
  /** refused stream requests (no such attach, wrong token, token used) per source per minute */
  failedAttemptsPerMinute: number;
}

/** Room for a node's default 64 sessions plus scrapes and probes; one workstation (or one NAT)
 *  can hold 32 sessions; a real client sends its request within a second. */
export const defaultStreamLimits: Readonly<StreamLimits> = {
  maxConnections: 256,
  maxConnectionsPerSource: 32,
  preUpgradeTimeoutSeconds: 10,
  failedAttemptsPerMinute: 20,
};

const bounds: Record<keyof StreamLimits, [number, number]> = {
  maxConnections: [1, 65536],
  maxConnectionsPerSource: [1, 65536],
  preUpgradeTimeoutSeconds: [1, 300],
  failedAttemptsPerMinute: [1, 100000],
};

export function parseStreamLimits(raw: unknown, where = 'stream'): StreamLimits {
  if (raw === undefined || raw === null) return { ...defaultStreamLimits };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new AgentError('AGENT_ERR_CONFIG', `${where} must be a mapping`);
  const limits: StreamLimits = { ...defaultStreamLimits };
  for (const [key, value] of Object.entries(raw)) {
    const range = bounds[key as keyof StreamLimits];
    if (!range) throw new AgentError('AGENT_ERR_CONFIG', `${where}.${key} is not a stream setting`);
    if (!Number.isInteger(value) || (value as number) < range[0] || (value as number) > range[1]) {
      throw new AgentError('AGENT_ERR_CONFIG', `${where}.${key} must be an integer from ${range[0]} to ${range[1]}`);
    }
    limits[key as keyof StreamLimits] = value as number;
  }
  return limits;
}
