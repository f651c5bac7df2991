// Typed errors of the agent and the standalone server: a stable code, and the cause kept. (Kubernetes
// API failures are common/src/kube/client.ts's KubeApiError; an attach that fails is not an error
// here but a Failed status with a reason.)

type AgentErrorCode = 'AGENT_ERR_CONFIG';

export class AgentError extends Error {
  readonly code: AgentErrorCode;

  constructor(code: AgentErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AgentError';
    this.code = code;
  }
}
