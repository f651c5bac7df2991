// The syntax error Go's encoding/json reports for a malformed document ("invalid character 'x'
// looking for beginning of value", "unexpected end of JSON input"), as kube-apiserver's 400
// messages embed it; the schema module's strict parser words its errors that way.
import { parseJsonStrict } from '../schema/index.js';

/** Go's error text for text, or null when text is valid JSON. */
export function goJsonSyntaxError(text: string): string | null {
  try {
    parseJsonStrict(text);
    return null;
  } catch (e) {
    if ((e as { code?: string }).code === 'JSON_SYNTAX') return (e as Error).message;
    throw e;
  }
}
