import assert from 'node:assert/strict';
import { parseTerminalPagePath, sessionTokenProtocolPrefix, terminalPagePath } from '../../common/src/containerattach/paths.js';
import { sessionTokenOf } from '../../common/src/containerattach/session-token.js';

const entry = (token: string): string => sessionTokenProtocolPrefix + Buffer.from(token).toString('base64url');

describe('the session token of a stream request', () => {
  it('comes from the header, else from the subprotocol entry a browser offers', () => {
    assert.equal(sessionTokenOf({ 'x-lxcattach-session-token': 'from-header' }), 'from-header');
    assert.equal(sessionTokenOf({ 'sec-websocket-protocol': `v5.channel.k8s.io, ${entry('tök-en')}, v4.channel.k8s.io` }), 'tök-en');
    assert.equal(sessionTokenOf({ 'x-lxcattach-session-token': 'from-header', 'sec-websocket-protocol': entry('other') }), 'from-header');
  });

  it('is absent without either, and for an empty entry', () => {
    assert.equal(sessionTokenOf({}), undefined);
    assert.equal(sessionTokenOf({ 'x-lxcattach-session-token': '' }), undefined);
    assert.equal(sessionTokenOf({ 'sec-websocket-protocol': 'v5.channel.k8s.io' }), undefined);
    assert.equal(sessionTokenOf({ 'sec-websocket-protocol': sessionTokenProtocolPrefix }), undefined);
    // kube-apiserver's bearer entry is the caller's credential, never a session token
    assert.equal(sessionTokenOf({ 'sec-websocket-protocol': `base64url.bearer.authorization.k8s.io.${Buffer.from('t').toString('base64url')}` }), undefined);
  });
});

describe('the terminal page paths', () => {
  it('round-trip a namespace and a file', () => {
    assert.equal(terminalPagePath('team-a'), '/apis/subresources.lxcattach.io/v1alpha1/namespaces/team-a/terminal/index.html');
    assert.deepEqual(parseTerminalPagePath(terminalPagePath('team-a', 'terminal.js')), { namespace: 'team-a', file: 'terminal.js' });
    assert.deepEqual(parseTerminalPagePath('/apis/subresources.lxcattach.io/v1alpha1/namespaces/team-a/terminal?x=1'), { namespace: 'team-a', file: '' });
  });

  it('match nothing else of the group', () => {
    for (const other of ['/apis/subresources.lxcattach.io/v1alpha1/namespaces/a/containerattaches/x/attach',
      '/apis/subresources.lxcattach.io/v1alpha1/namespaces/a/terminal/x/y', '/apis/subresources.lxcattach.io/v1alpha1/terminal/index.html',
      '/apis/lxcattach.io/v1alpha1/namespaces/a/terminal/index.html']) {
      assert.equal(parseTerminalPagePath(other), undefined, other);
    }
  });
});
