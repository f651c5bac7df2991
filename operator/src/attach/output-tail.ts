// The last bytes of a batch attach's stdout or stderr, for status.stdoutTail/stderrTail: bounded,
// and cut only at a UTF-8 character boundary so the tail is always valid text.

export class OutputTail {
  readonly #limit: number;
  #chunks: Buffer[] = [];
  #size = 0;
  #total = 0;

  constructor(limitBytes: number) {
    this.#limit = limitBytes;
  }

  push(chunk: Buffer): void {
    this.#total += chunk.length;
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    while (this.#chunks.length > 1 && this.#size - this.#chunks[0].length >= this.#limit) {
      this.#size -= this.#chunks[0].length;
      this.#chunks.shift();
    }
  }

  /** bytes seen in all, kept or not */
  get totalBytes(): number {
    return this.#total;
  }

  get truncated(): boolean {
    return this.#total > this.#limit;
  }

  /** The tail as text: at most `limit` bytes, starting at a character boundary. Bytes that are not
   *  UTF-8 become U+FFFD (as the whole tail would be shown by any Kubernetes client). */
  text(): string {
    let buf = Buffer.concat(this.#chunks, this.#size);
    if (buf.length > this.#limit) buf = buf.subarray(buf.length - this.#limit);
    if (this.truncated) {
      // Skip continuation bytes (10xxxxxx) left over from a character cut at the front.
      let start = 0;
      while (start < buf.length && start < 3 && (buf[start] & 0xc0) === 0x80) start++;
      buf = buf.subarray(start);
    }
    let text = buf.toString('utf8');
    // A replacement character at the very end may be a character still arriving; the helper has
    // exited when this is called, so it stays: the bytes really were incomplete.
    while (Buffer.byteLength(text) > this.#limit) text = text.slice((text.codePointAt(0) ?? 0) > 0xffff ? 2 : 1);
    return text;
  }
}
