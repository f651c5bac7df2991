// Paging for list requests with limit/continue. etcd serves every page from one revision until it is
// compacted (5 minutes by default); here a paged list keeps its snapshot (references to immutable
// stored objects) for the same time, so all pages are consistent.
import { randomBytes } from 'node:crypto';
import type { Obj } from '../objects.js';
import { badRequest, resourceExpired } from '../status.js';

const TTL_MS = 5 * 60 * 1000;
const MAX_SNAPSHOTS = 64;

interface Snapshot { items: Obj[]; rv: number; expires: number }

interface Page { items: Obj[]; continueToken?: string; remaining?: number; rv: number }

export class ListPages {
  #snaps = new Map<string, Snapshot>();

  /** First page of a sorted, filtered list. */
  first(items: Obj[], rv: number, limit: number | undefined): Page {
    if (!limit || limit <= 0 || items.length <= limit) return { items, rv };
    this.#gc();
    const id = randomBytes(9).toString('base64url');
    this.#snaps.set(id, { items, rv, expires: Date.now() + TTL_MS });
    return this.#page(id, items, rv, 0, limit);
  }

  next(token: string, limit: number | undefined): Page {
    let parsed: { v?: string; rv?: number; start?: number; s?: string };
    try {
      parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as typeof parsed;
    } catch (e) {
      throw badRequest(`continue key is not valid: ${(e as Error).message}`);
    }
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.start !== 'number' || typeof parsed.s !== 'string') {
      throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
    }
    const snap = this.#snaps.get(parsed.s);
    if (!snap || snap.expires < Date.now()) {
      throw resourceExpired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
    }
    return this.#page(parsed.s, snap.items, snap.rv, parsed.start, limit && limit > 0 ? limit : snap.items.length);
  }

  #page(id: string, all: Obj[], rv: number, start: number, limit: number): Page {
    const items = all.slice(start, start + limit);
    const end = start + items.length;
    if (end >= all.length) {
      this.#snaps.delete(id);
      return { items, rv };
    }
    const token = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: end, s: id })).toString('base64');
    return { items, rv, continueToken: token, remaining: all.length - end };
  }

  #gc(): void {
    const now = Date.now();
    for (const [k, s] of this.#snaps) if (s.expires < now) this.#snaps.delete(k);
    while (this.#snaps.size >= MAX_SNAPSHOTS) this.#snaps.delete(this.#snaps.keys().next().value!);
  }
}
