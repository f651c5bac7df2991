// Checksummed, length-prefixed records: the on-disk unit of the write-ahead log and the snapshot.
//
//   | magic u32 0x4c584131 ("LXA1") | length u32 | crc32(payload) u32 | payload (JSON, UTF-8) |
//
// A record is valid only if all 12 header bytes, the whole payload and the checksum are there, so a
// write torn by kill -9 or a power cut (a partial header, a short payload, stale bytes) is detected
// and never replayed.

const MAGIC = 0x4c584131;
const HEADER_BYTES = 12;
/** Larger than any request (3 MiB) after JSON re-encoding; a bigger length is corruption. */
const MAX_PAYLOAD = 64 * 1024 * 1024;

const crcTable = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = crcTable[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function encodeRecord(payload: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  out.writeUInt32BE(MAGIC, 0);
  out.writeUInt32BE(body.length, 4);
  out.writeUInt32BE(crc32(body), 8);
  body.copy(out, HEADER_BYTES);
  return out;
}

interface DecodeResult<T> {
  records: T[];
  /** offset just past the last valid record */
  validBytes: number;
  /** why decoding stopped before the end of the buffer, if it did */
  problem?: string;
}

export function decodeRecords<T>(buf: Buffer): DecodeResult<T> {
  const records: T[] = [];
  let off = 0;
  while (off < buf.length) {
    if (buf.length - off < HEADER_BYTES) return { records, validBytes: off, problem: `truncated record header at offset ${off}` };
    if (buf.readUInt32BE(off) !== MAGIC) return { records, validBytes: off, problem: `bad record magic at offset ${off}` };
    const len = buf.readUInt32BE(off + 4);
    if (len > MAX_PAYLOAD) return { records, validBytes: off, problem: `implausible record length ${len} at offset ${off}` };
    if (buf.length - off - HEADER_BYTES < len) return { records, validBytes: off, problem: `truncated record payload at offset ${off}` };
    const body = buf.subarray(off + HEADER_BYTES, off + HEADER_BYTES + len);
    if (crc32(body) !== buf.readUInt32BE(off + 8)) return { records, validBytes: off, problem: `checksum mismatch at offset ${off}` };
    let value: T;
    try {
      value = JSON.parse(body.toString('utf8')) as T;
    } catch (e) {
      return { records, validBytes: off, problem: `undecodable record at offset ${off}: ${(e as Error).message}` };
    }
    records.push(value);
    off += HEADER_BYTES + len;
  }
  return { records, validBytes: off };
}
