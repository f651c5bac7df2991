// Typed errors of the agent and the standalone server: a stable code, and the cause kept.

export type AgentErrorCode =
  | 'AGENT_ERR_CONFIG'
  | 'AGENT_ERR_KUBE_API'
  | 'AGENT_ERR_HELPER'
  | 'AGENT_ERR_STREAM'
  | 'AGENT_ERR_TLS';

export class AgentError extends Error {
  readonly code: AgentErrorCode;

  constructor(code: AgentErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AgentError';
    this.code = code;
  }
}

/** An error that retrying cannot fix: the object gets a Failed status instead of a requeue. */
export class TerminalError extends Error {
  readonly reason: string;

  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
    this.reason = reason;
  }
}
