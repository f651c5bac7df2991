import assert from 'node:assert/strict';
import { decodeFragments, decodeFrame, decodeResize, encodeFrame, protocolV4Base64, protocolV5 } from '../../common/src/stream/channels.js';
import { exitCodeStatus, parseStatus, successStatus } from '../../common/src/stream/exit-status.js';

describe('remote-command framing', () => {
  it('puts the channel in the first byte for binary protocols', () => {
    const f = encodeFrame(protocolV5, 1, 'hi') as Buffer;
    assert.deepEqual([...f], [1, 104, 105]);
    assert.deepEqual(decodeFrame(protocolV5, f, true), { channel: 1, payload: Buffer.from('hi') });
  });

  it('uses a digit and base64 text for base64 protocols', () => {
    const f = encodeFrame(protocolV4Base64, 2, 'hi');
    assert.equal(f, '2aGk=');
    assert.deepEqual(decodeFrame(protocolV4Base64, Buffer.from(f as string), false), { channel: 2, payload: Buffer.from('hi') });
  });

  it('refuses a text message on a binary protocol', () => {
    assert.throws(() => decodeFrame(protocolV5, Buffer.from('0x'), false), /text message/);
  });

  it('reads a message in fragments without joining them: the channel leads, the payload stays in pieces', () => {
    const chunk = Buffer.from('output');
    const pieces = decodeFragments(protocolV5, [Buffer.of(1), chunk], true);
    assert.equal(pieces.channel, 1);
    assert.equal(pieces.payload.length, 1);
    assert.equal(pieces.payload[0], chunk, 'the fragment itself, not a copy');
    assert.deepEqual(decodeFragments(protocolV5, [Buffer.alloc(0), Buffer.from([2, 104]), Buffer.from('i')], true),
      { channel: 2, payload: [Buffer.from('h'), Buffer.from('i')] });
    assert.deepEqual(decodeFragments(protocolV5, [Buffer.of(3)], true), { channel: 3, payload: [] });
    // A message in one piece, binary or (base64 protocols) text, as decodeFrame reads it.
    assert.deepEqual(decodeFragments(protocolV5, Buffer.from([1, 104, 105]), true), { channel: 1, payload: [Buffer.from('hi')] });
    assert.deepEqual(decodeFragments(protocolV4Base64, Buffer.from('2aGk='), false), { channel: 2, payload: [Buffer.from('hi')] });
  });

  it('refuses fragments that hold nothing, and binary fragments on a base64 protocol', () => {
    assert.throws(() => decodeFragments(protocolV5, [Buffer.alloc(0)], true), /empty message/);
    assert.throws(() => decodeFragments(protocolV4Base64, [Buffer.from('2aGk=')], true), /binary message on a base64 protocol/);
  });

  it('reads resize messages case-insensitively, several per message', () => {
    assert.deepEqual(decodeResize(Buffer.from('{"Width":120,"Height":40}\n{"width":80,"height":24}')), [
      { width: 120, height: 40 }, { width: 80, height: 24 },
    ]);
    assert.deepEqual(decodeResize(Buffer.from('{"Width":-1,"Height":40}')), []);
  });

  it('reads exit codes from status frames and never turns a failure into 0', () => {
    assert.deepEqual(parseStatus(JSON.stringify(successStatus())), { exitCode: 0 });
    assert.deepEqual(parseStatus(JSON.stringify(exitCodeStatus(130))), { exitCode: 130 });
    assert.equal('error' in parseStatus('{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"0"}]}}'), true);
    assert.equal('error' in parseStatus('not json'), true);
  });
});
