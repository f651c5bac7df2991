// The protobuf wire format as the gogo-generated k8s.io code reads it (generated.pb.go): varints of
// at most ten bytes, length-delimited fields bounds-checked, unknown fields skipped, and the same
// error texts ("unexpected EOF", "proto: integer overflow", ...).

export class ProtobufDecodeError extends Error {
  readonly code = 'PROTOBUF_DECODE';
  constructor(message: string, readonly gvk?: { group: string; version: string; kind: string }, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProtobufDecodeError';
  }
}

export const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
const WIRE_START_GROUP = 3;
const WIRE_END_GROUP = 4;
const WIRE_FIXED32 = 5;

const UNEXPECTED_EOF = 'unexpected EOF';
const INT_OVERFLOW = 'proto: integer overflow';
const NEGATIVE_LENGTH = 'proto: negative length found during unmarshaling';

interface FieldTag {
  fieldNum: number;
  wireType: number;
}

/** A cursor over one message's bytes. */
export class WireReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array, private readonly messageName: string) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** an unsigned varint, as the low 64 bits */
  varint(): bigint {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (shift >= 64n) throw new ProtobufDecodeError(INT_OVERFLOW);
      if (this.pos >= this.buf.length) throw new ProtobufDecodeError(UNEXPECTED_EOF);
      const b = this.buf[this.pos++]!;
      value |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    return BigInt.asUintN(64, value);
  }

  tag(): FieldTag {
    const wire = this.varint();
    const fieldNum = Number(BigInt.asIntN(32, wire >> 3n));
    const wireType = Number(wire & 7n);
    if (wireType === WIRE_END_GROUP) throw new ProtobufDecodeError(`proto: ${this.messageName}: wiretype end group for non-group`);
    if (fieldNum <= 0) throw new ProtobufDecodeError(`proto: ${this.messageName}: illegal tag ${fieldNum} (wire type ${wireType})`);
    return { fieldNum, wireType };
  }

  /** the bytes of a length-delimited field */
  bytes(): Uint8Array {
    const length = BigInt.asIntN(64, this.varint());
    if (length < 0n) throw new ProtobufDecodeError(NEGATIVE_LENGTH);
    const end = BigInt(this.pos) + length;
    if (end > BigInt(this.buf.length)) throw new ProtobufDecodeError(UNEXPECTED_EOF);
    const out = this.buf.subarray(this.pos, Number(end));
    this.pos = Number(end);
    return out;
  }

  /** skipGenerated: step over a field this message does not know */
  skip(wireType: number): void {
    let depth = 0;
    let type = wireType;
    for (;;) {
      switch (type) {
        case WIRE_VARINT:
          this.varint();
          break;
        case WIRE_FIXED64:
          this.advance(8);
          break;
        case WIRE_LEN:
          this.bytes();
          break;
        case WIRE_START_GROUP:
          depth++;
          break;
        case WIRE_END_GROUP:
          if (depth === 0) throw new ProtobufDecodeError('proto: unexpected end of group');
          depth--;
          break;
        case WIRE_FIXED32:
          this.advance(4);
          break;
        default:
          throw new ProtobufDecodeError(`proto: illegal wireType ${type}`);
      }
      if (depth === 0) return;
      type = Number(this.varint() & 7n);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.buf.length) throw new ProtobufDecodeError(UNEXPECTED_EOF);
    this.pos += n;
  }
}

export function wrongWireType(wireType: number, goField: string): ProtobufDecodeError {
  return new ProtobufDecodeError(`proto: wrong wireType = ${wireType} for field ${goField}`);
}
