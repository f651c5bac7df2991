// apimachinery's pkg/util/validation string checks: the schema module has the ones ObjectMeta needs;
// IsConfigMapKey (Secret data keys) is the one only built-ins use.
import { byteLength, maxLenError, regexError } from '../schema/name-validation.js';

export { isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../schema/index.js';

const CONFIG_MAP_KEY_FMT = '[-._a-zA-Z0-9]+';
const CONFIG_MAP_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
const configMapKey = new RegExp(`^${CONFIG_MAP_KEY_FMT}$`);

/** IsConfigMapKey: the rule for Secret data keys */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLenError(253));
  if (!configMapKey.test(value)) errs.push(regexError(CONFIG_MAP_KEY_MSG, CONFIG_MAP_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}
