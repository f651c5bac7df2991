import { stringify } from 'yaml';
import { containerAttachCrd } from '../common/src/containerattach/crd.js';
import { optionsMarkdown } from '../common/src/options/options-doc.js';

export const crdFile = 'crds/containerattaches.lxcattach.io.yaml';

/** Repository path -> content of every file generated from the option table. */
export function generatedFiles(): Record<string, string> {
  return {
    [crdFile]: '# Generated from common/src/containerattach/crd.ts by `node dist/scripts/generate.js`; do not edit.\n' +
      stringify(containerAttachCrd(), { lineWidth: 0 }),
    'docs/options.md': optionsMarkdown(),
  };
}
