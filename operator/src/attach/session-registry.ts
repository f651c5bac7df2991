// The sessions of this agent, by object uid, with the counts the policy limits.
import type { SessionCounts } from '../policy/check-policy.js';
import type { AttachSession } from './session.js';

export class SessionRegistry {
  readonly #byUid = new Map<string, AttachSession>();

  get(uid: string): AttachSession | undefined {
    return this.#byUid.get(uid);
  }

  find(namespace: string, name: string): AttachSession | undefined {
    for (const s of this.#byUid.values()) {
      if (s.key.namespace === namespace && s.key.name === name) return s;
    }
    return undefined;
  }

  add(session: AttachSession): void {
    this.#byUid.set(session.key.uid, session);
  }

  delete(uid: string): void {
    this.#byUid.delete(uid);
  }

  all(): AttachSession[] {
    return [...this.#byUid.values()];
  }

  /** Sessions waiting for a client or running, on the node and in one namespace. */
  counts(namespace: string): SessionCounts {
    let node = 0;
    let inNamespace = 0;
    for (const s of this.#byUid.values()) {
      if (s.state === 'finished') continue;
      node++;
      if (s.key.namespace === namespace) inNamespace++;
    }
    return { node, namespace: inNamespace };
  }
}
