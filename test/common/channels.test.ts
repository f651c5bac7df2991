import assert from 'node:assert/strict';
import { decodeFrame, decodeResize, encodeFrame, protocolV4Base64, protocolV5 } from '../../common/src/stream/channels.js';
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
