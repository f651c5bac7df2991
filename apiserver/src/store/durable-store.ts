// The durable object store: one global resourceVersion counter, objects in memory, every write
// appended to a checksummed write-ahead log and on disk (O_DSYNC) before it is acknowledged, and
// periodic compaction into a snapshot (temp file + fsync + rename).
//
// Readers see committed state only; writers see committed state plus writes still waiting for their
// fsync (the pending overlay), so two writes to one object in the same flush window are ordered and
// optimistic concurrency works, while nothing that could still be lost by a crash is ever served.
//
// Files in the data directory:
//   snapshot            records: {snapshot:{rv,count}}, {b,k,o}..., {end:count}
//   wal-<seq>.log       records: {rv,b,k,o} (o null = delete); replayed after the snapshot, rv > snapshot rv
import { constants } from 'node:fs';
import { open, readdir, readFile, rename, unlink, writeFile, mkdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Obj } from '../objects.js';
import { decodeRecords, encodeRecord } from './record-log.js';
import { acquireDirLock, releaseDirLock } from './dir-lock.js';
import { StoreError } from './store-error.js';

export { StoreError };

/** One committed change, as the watch cache receives it. */
export interface Change {
  bucket: string;
  key: string;
  rv: number;
  /** null for a deletion */
  obj: Obj | null;
  /** the object before the change (undefined on creation) */
  prev: Obj | undefined;
}

interface WalRecord { rv: number; b: string; k: string; o: Obj | null }
interface Queued { rec: WalRecord; buf: Buffer; resolve: () => void; reject: (e: unknown) => void }

export interface StoreOptions {
  /** compact when the log holds more records than this and more than twice the live objects */
  compactAfterRecords?: number;
  log?: (message: string) => void;
}

const walName = (seq: number) => `wal-${String(seq).padStart(12, '0')}.log`;

export class DurableStore {
  readonly dir: string;
  #wal!: FileHandle;
  /** bytes in the current log: where a failed append is cut back to */
  #walSize = 0;
  #walSeq = 0;
  #walRecords = 0;
  #committed = new Map<string, Map<string, Obj>>();
  #pending = new Map<string, { obj: Obj | null; count: number }>();
  #rv = 0;
  #committedRv = 0;
  #queue: Queued[] = [];
  #flushing: Promise<void> | null = null;
  #compacting: Promise<void> | null = null;
  #broken: Error | null = null;
  #closed = false;
  #opts: Required<StoreOptions>;
  /** called after each fsync'ed batch, in resourceVersion order */
  onCommit: (changes: Change[]) => void = () => {};

  private constructor(dir: string, opts: StoreOptions) {
    this.dir = dir;
    this.#opts = {
      compactAfterRecords: opts.compactAfterRecords ?? 20000,
      log: opts.log ?? ((m) => process.stderr.write(`store: ${m}\n`)),
    };
  }

  static async open(dir: string, opts: StoreOptions = {}): Promise<DurableStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await acquireDirLock(dir);
    const s = new DurableStore(dir, opts);
    try {
      await s.#load();
    } catch (e) {
      await releaseDirLock(dir);
      throw e;
    }
    return s;
  }

  /** The resourceVersion of the last committed write. */
  get resourceVersion(): number {
    return this.#committedRv;
  }

  get(bucket: string, key: string): Obj | undefined {
    return this.#committed.get(bucket)?.get(key);
  }

  /** What a writer must build on: the newest state including writes not yet fsync'ed. */
  getForWrite(bucket: string, key: string): Obj | undefined {
    const p = this.#pending.get(`${bucket}\0${key}`);
    if (p) return p.obj ?? undefined;
    return this.get(bucket, key);
  }

  /** Committed objects of one bucket (group/resource), unordered. */
  list(bucket: string): IterableIterator<Obj> {
    return (this.#committed.get(bucket) ?? new Map<string, Obj>()).values();
  }

  count(bucket: string): number {
    return this.#committed.get(bucket)?.size ?? 0;
  }

  /**
   * Stores obj (or deletes with null) under a new resourceVersion, written into
   * obj.metadata.resourceVersion. Resolves once the write is durable. obj must not be mutated later.
   */
  write(bucket: string, key: string, obj: Obj | null): Promise<number> {
    if (this.#closed) return Promise.reject(new StoreError('STORE_ERR_CLOSED', 'store is closed'));
    if (this.#broken) return Promise.reject(new StoreError('STORE_ERR_BROKEN', 'store failed earlier', { cause: this.#broken }));
    const rv = ++this.#rv;
    if (obj) (obj.metadata as Obj).resourceVersion = String(rv);
    const rec: WalRecord = { rv, b: bucket, k: key, o: obj };
    const pk = `${bucket}\0${key}`;
    const p = this.#pending.get(pk);
    if (p) { p.obj = obj; p.count++; } else this.#pending.set(pk, { obj, count: 1 });
    return new Promise<number>((resolve, reject) => {
      this.#queue.push({ rec, buf: encodeRecord(rec), resolve: () => resolve(rv), reject });
      this.#flushing ??= this.#flushLoop();
    });
  }

  async #flushLoop(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue;
        this.#queue = [];
        const size = this.#walSize;
        const bytes = Buffer.concat(batch.map((q) => q.buf));
        try {
          const { bytesWritten } = await this.#wal.write(bytes);
          if (bytesWritten !== bytes.length) throw new Error(`short write: ${bytesWritten} of ${bytes.length} bytes`);
        } catch (e) {
          this.#fail(e, size, batch);
          return;
        }
        this.#walSize += bytes.length;
        this.#walRecords += batch.length;
        const changes = batch.map((q) => this.#apply(q.rec));
        this.#committedRv = batch[batch.length - 1]!.rec.rv;
        for (const q of batch) {
          const pk = `${q.rec.b}\0${q.rec.k}`;
          const p = this.#pending.get(pk)!;
          if (--p.count === 0) this.#pending.delete(pk);
        }
        try {
          this.onCommit(changes);
        } finally {
          for (const q of batch) q.resolve();
        }
        if (this.#needsCompaction()) await this.#startCompaction();
      }
    } finally {
      this.#flushing = null;
    }
  }

  #fail(e: unknown, size: number, batch: Queued[]): void {
    // Cut any partial bytes off so that later appends stay readable; if even that fails, stop
    // accepting writes rather than acknowledge records that replay would not reach.
    this.#wal.truncate(size).catch((te: unknown) => {
      this.#broken = new StoreError('STORE_ERR_BROKEN', `cannot truncate the log after a failed write: ${String(te)}`, { cause: te });
      this.#opts.log(this.#broken.message);
    });
    const err = new StoreError('STORE_ERR_WRITE', `write to the log failed: ${(e as Error).message}`, { cause: e });
    this.#opts.log(err.message);
    for (const q of [...batch, ...this.#queue]) {
      const pk = `${q.rec.b}\0${q.rec.k}`;
      this.#pending.delete(pk);
      q.reject(err);
    }
    this.#queue = [];
    this.#rv = this.#committedRv;
  }

  #apply(rec: WalRecord): Change {
    let bucket = this.#committed.get(rec.b);
    if (!bucket) this.#committed.set(rec.b, (bucket = new Map()));
    const prev = bucket.get(rec.k);
    if (rec.o) bucket.set(rec.k, rec.o);
    else bucket.delete(rec.k);
    return { bucket: rec.b, key: rec.k, rv: rec.rv, obj: rec.o, prev };
  }

  #liveCount(): number {
    let n = 0;
    for (const b of this.#committed.values()) n += b.size;
    return n;
  }

  #needsCompaction(): boolean {
    return !this.#compacting && this.#walRecords > this.#opts.compactAfterRecords && this.#walRecords > 2 * this.#liveCount();
  }

  /** Rotates the log and writes a snapshot of the committed state in the background. */
  async #startCompaction(): Promise<void> {
    const oldSeq = this.#walSeq;
    await this.#wal.close();
    this.#walSeq++;
    await this.#openLog();
    await this.#syncDir();
    this.#walRecords = 0;
    const image = this.#snapshotImage();
    this.#compacting = this.#writeSnapshot(image, oldSeq)
      .catch((e: unknown) => this.#opts.log(`compaction failed (the log stays authoritative): ${(e as Error).message}`))
      .finally(() => { this.#compacting = null; });
  }

  #snapshotImage(): Buffer[] {
    const bufs: Buffer[] = [encodeRecord({ snapshot: { rv: this.#committedRv, count: this.#liveCount() } })];
    let count = 0;
    for (const [b, objs] of this.#committed) {
      for (const [k, o] of objs) { bufs.push(encodeRecord({ b, k, o })); count++; }
    }
    bufs.push(encodeRecord({ end: count }));
    return bufs;
  }

  async #writeSnapshot(image: Buffer[], upToSeq: number): Promise<void> {
    const tmp = path.join(this.dir, 'snapshot.tmp');
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writev(image);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path.join(this.dir, 'snapshot'));
    await this.#syncDir();
    for (const f of await readdir(this.dir)) {
      const m = /^wal-(\d+)\.log$/.exec(f);
      if (m && Number(m[1]) <= upToSeq) await unlink(path.join(this.dir, f));
    }
  }

  async #syncDir(): Promise<void> {
    const d = await open(this.dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }

  async #load(): Promise<void> {
    let snapRv = 0;
    const snapPath = path.join(this.dir, 'snapshot');
    const snap = await readFile(snapPath).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
    if (snap) {
      const { records, problem } = decodeRecords<Obj>(snap);
      const head = records[0]?.snapshot as { rv: number; count: number } | undefined;
      const tail = records[records.length - 1];
      if (problem || !head || !tail || tail.end !== records.length - 2) {
        throw new StoreError('STORE_ERR_CORRUPT_SNAPSHOT', `snapshot ${snapPath} is corrupt (${problem ?? 'incomplete'}); refusing to start`);
      }
      for (const r of records.slice(1, -1)) this.#apply({ rv: 0, b: r.b as string, k: r.k as string, o: r.o as Obj });
      snapRv = head.rv;
    }
    this.#rv = snapRv;
    const wals = (await readdir(this.dir)).filter((f) => /^wal-\d+\.log$/.test(f)).sort();
    for (const f of wals) {
      const file = path.join(this.dir, f);
      const buf = await readFile(file);
      const { records, validBytes, problem } = decodeRecords<WalRecord>(buf);
      for (const r of records) {
        if (r.rv <= snapRv) continue;
        this.#apply(r);
        this.#rv = Math.max(this.#rv, r.rv);
      }
      this.#walRecords += records.length;
      if (problem) await this.#discardTail(file, buf, validBytes, problem);
      this.#walSeq = Number(/\d+/.exec(f)![0]);
    }
    this.#committedRv = this.#rv;
    if (wals.length === 0) this.#walSeq = 1;
    await this.#openLog();
    await this.#syncDir();
  }

  /** Opens the current log for appending. With O_DSYNC each append is durable (data and the new
   *  size) when write() returns: one trip to the thread pool where write and fdatasync took two. */
  async #openLog(): Promise<void> {
    const flags = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_DSYNC;
    this.#wal = await open(path.join(this.dir, walName(this.#walSeq)), flags, 0o600);
    this.#walSize = (await this.#wal.stat()).size;
  }

  /** A torn or corrupt tail is cut off (kept aside for inspection) so it is never replayed or served. */
  async #discardTail(file: string, buf: Buffer, validBytes: number, problem: string): Promise<void> {
    const aside = `${file}.discarded-${Date.now()}`;
    await writeFile(aside, buf.subarray(validBytes), { mode: 0o600 });
    const fh = await open(file, 'r+');
    try {
      await fh.truncate(validBytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    this.#opts.log(`discarded ${buf.length - validBytes} bytes at the end of ${path.basename(file)} (${problem}); kept in ${path.basename(aside)}`);
  }

  /** Waits for queued writes and any compaction, then closes the log. */
  async close(): Promise<void> {
    if (this.#closed) return;
    while (this.#flushing) await this.#flushing;
    if (this.#compacting) await this.#compacting;
    this.#closed = true;
    await this.#wal.close();
    await releaseDirLock(this.dir);
  }
}
