#!/bin/sh
':' /*-
# The first lines of the plugin bundle (dist/kubectl-lxc_attach.mjs): sh runs them, and JavaScript
# sees a string and a comment. Node.js 20 parses every certificate named by NODE_EXTRA_CA_CERTS,
# with its own root store, before it runs a line of the plugin (45-85 ms, most of a short attach's
# start-up); the plugin applies that variable itself, only for a connection that uses the default
# roots (plugin/src/extra-ca-certs.ts), so it is handed over under another name.
if [ -n "${NODE_EXTRA_CA_CERTS-}" ]; then
	export KUBECTL_LXC_ATTACH_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS"
	unset NODE_EXTRA_CA_CERTS
fi
exec "${KUBECTL_LXC_ATTACH_NODE:-node}" "$0" "$@"
*/
