// Messages that stand for lxc-attach's own error messages obey what silences those: -q, and a log
// priority above ERROR (-l CRIT, ALERT, FATAL; an unknown level shows them, as in liblxc).
import type { LxcAttachFields } from '../../common/src/containerattach/types.js';
import { ExitError } from './plugin-errors.js';

const priorities = ['TRACE', 'DEBUG', 'INFO', 'NOTICE', 'WARN', 'ERROR', 'CRIT', 'ALERT', 'FATAL'];
const error = priorities.indexOf('ERROR');

function lxcErrorsVisible(fields: LxcAttachFields): boolean {
  if (fields.log?.quiet) return false;
  const rank = priorities.indexOf((fields.log?.priority ?? 'ERROR').toUpperCase());
  return rank === -1 || rank <= error;
}

/** Exit 1 with an lxc-attach-style error line ("kubectl lxc-attach: NAME: MESSAGE"), unless silenced. */
export function lxcError(fields: LxcAttachFields, message: string): ExitError {
  return new ExitError(1, { stderr: lxcErrorsVisible(fields) ? `kubectl lxc-attach: ${fields.container}: ${message}\n` : '' });
}

/** What lxc-attach's main() refuses after parsing (the CRD says the same for manifests). */
export function checkLxcAttachRules(fields: LxcAttachFields): ExitError | undefined {
  if (fields.selinuxContext !== undefined && fields.elevatedPrivileges?.includes('LSM')) {
    return lxcError(fields, 'Cannot combine elevated LSM privileges while requesting LSM profile');
  }
  return undefined;
}
