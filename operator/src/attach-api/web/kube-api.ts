// The few Kubernetes API calls the page makes, same origin (kubectl proxy adds the user's
// credentials): list, create, read and delete ContainerAttach objects in one namespace.
import { containerAttachPath } from '../../../../common/src/containerattach/paths.js';
import type { ContainerAttach } from '../../../../common/src/containerattach/types.js';

export class ApiError extends Error {
  readonly code = 'WEB_ERR_API';
  readonly status: number;
  readonly reason: string;

  constructor(status: number, reason: string, message: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

/** The server's Status message, as kubectl prints it ("Error from server (Forbidden): ..."). */
export async function apiError(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const status = JSON.parse(text) as { message?: string; reason?: string };
    return new ApiError(res.status, status.reason ?? res.statusText, status.message ?? text);
  } catch {
    return new ApiError(res.status, res.statusText, text.trim() || `${res.status} ${res.statusText}`);
  }
}

export class KubeApi {
  /** what comes before /apis on this origin (kubectl proxy --api-prefix) */
  readonly #prefix: string;
  readonly namespace: string;

  constructor(prefix: string, namespace: string) {
    this.#prefix = prefix;
    this.namespace = namespace;
  }

  url(path: string): string {
    return this.#prefix + path;
  }

  async #call<T>(method: string, path: string, body?: object): Promise<T> {
    const res = await fetch(this.url(path), {
      method,
      headers: body ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
      cache: 'no-store',
    });
    if (!res.ok) throw await apiError(res);
    return res.json() as Promise<T>;
  }

  async list(): Promise<ContainerAttach[]> {
    return (await this.#call<{ items: ContainerAttach[] }>('GET', containerAttachPath(this.namespace))).items;
  }

  create(obj: ContainerAttach): Promise<ContainerAttach> {
    return this.#call('POST', containerAttachPath(this.namespace), obj);
  }

  get(name: string): Promise<ContainerAttach> {
    return this.#call('GET', containerAttachPath(this.namespace, name));
  }

  async delete(name: string): Promise<void> {
    await this.#call('DELETE', containerAttachPath(this.namespace, name)).catch((err: unknown) => {
      if (!(err instanceof ApiError && err.status === 404)) throw err;
    });
  }
}
