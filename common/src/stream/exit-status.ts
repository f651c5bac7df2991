// The metav1.Status sent on channel 3 when the process ends, as the kubelet writes it, and how a
// client reads the exit code back out of it.

export interface StreamStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: { reason: string; message: string }[] };
}

export function successStatus(): StreamStatus {
  return { metadata: {}, status: 'Success' };
}

/** exitCode 1..255 (128+N for a signal, as lxc-attach reports it). */
export function exitCodeStatus(exitCode: number): StreamStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command, exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    // NB: the cause's type is serialised under "reason" (StatusCause.Type json:"reason").
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** A failure that is not the process's own exit (attach failed, stream broken, ...). */
export function errorStatus(message: string, reason = 'InternalError'): StreamStatus {
  return { metadata: {}, status: 'Failure', message, reason };
}

export type StreamOutcome = { exitCode: number } | { error: string; reason: string };

/** What the client makes of a status frame: an exit code, or an error that must never be 0. */
export function parseStatus(payload: Buffer | string): StreamOutcome {
  let status: StreamStatus;
  try {
    status = JSON.parse(payload.toString()) as StreamStatus;
  } catch {
    return { error: 'malformed status frame from the agent', reason: 'BadStatus' };
  }
  if (status.status === 'Success') return { exitCode: 0 };
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = cause && /^[0-9]{1,3}$/.test(cause.message) ? Number(cause.message) : NaN;
    if (code >= 1 && code <= 255) return { exitCode: code };
    return { error: `invalid exit code in status: ${cause?.message}`, reason: 'BadStatus' };
  }
  return { error: status.message ?? 'the attach failed', reason: status.reason ?? 'Failure' };
}
