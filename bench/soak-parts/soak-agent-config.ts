// The agent's --config for the soak: the default open policy, with the session limits and the
// port's connection limits raised above the peak, so the load is judged, not refused.
export function soakAgentConfig(peakSessions: number): string {
  const sessions = Math.max(64, peakSessions + 100);
  return [
    'policy:',
    `  maxSessions: ${sessions}`,
    `  maxSessionsPerNamespace: ${sessions}`,
    'stream:',
    `  maxConnections: ${sessions * 2}`,
    `  maxConnectionsPerSource: ${sessions * 2}`,
    '  failedAttemptsPerMinute: 100000',
    '',
  ].join('\n');
}
