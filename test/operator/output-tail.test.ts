import assert from 'node:assert/strict';
import { OutputTail } from '../../operator/src/attach/output-tail.js';

describe('OutputTail', () => {
  it('keeps everything below the limit', () => {
    const t = new OutputTail(16);
    t.push(Buffer.from('hello '));
    t.push(Buffer.from('world'));
    assert.equal(t.text(), 'hello world');
    assert.equal(t.truncated, false);
  });

  it('keeps the last bytes and says it truncated', () => {
    const t = new OutputTail(8);
    for (let i = 0; i < 100; i++) t.push(Buffer.from(`line ${i}\n`));
    assert.equal(t.truncated, true);
    assert.equal(t.text(), 'line 99\n');
    assert.equal(t.totalBytes, 790);
  });

  it('never starts inside a multi-byte character', () => {
    const t = new OutputTail(5);
    t.push(Buffer.from('aaaa€€')); // € is 3 bytes: the last 5 bytes start inside the first €
    assert.equal(t.text(), '€');
  });

  it('stays within the limit when invalid bytes become U+FFFD', () => {
    const t = new OutputTail(4);
    t.push(Buffer.from([0xff, 0xfe, 0xfd, 0xfc, 0xfb]));
    assert.ok(Buffer.byteLength(t.text()) <= 4);
  });
});
