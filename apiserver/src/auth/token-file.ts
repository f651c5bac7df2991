// kube-apiserver's --token-auth-file: CSV lines `token,user,uid,"group1,group2"`
// (staging/src/k8s.io/apiserver/pkg/authentication/token/tokenfile/tokenfile.go NewCSV).
import { readFileSync } from 'node:fs';
import type { UserInfo } from './user-info.js';

export class TokenFileError extends Error {
  readonly code = 'APISERVER_ERR_TOKEN_FILE';
}

/** encoding/csv with TrimLeadingSpace and FieldsPerRecord -1: quoted fields, "" escapes a quote */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let i = 0;
  let atFieldStart = true;
  const endField = () => { fields.push(field); field = ''; atFieldStart = true; };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0] === '')) records.push(fields);
    fields = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (atFieldStart && (c === ' ' || c === '\t')) { i++; continue; }
    if (atFieldStart && c === '"') {
      atFieldStart = false;
      i++;
      for (;;) {
        if (i >= text.length) throw new TokenFileError(`record ${records.length + 1}: extraneous or missing " in quoted-field`);
        if (text[i] === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        field += text[i++];
      }
      continue;
    }
    atFieldStart = false;
    if (c === ',') { endField(); i++; continue; }
    if (c === '\n' || c === '\r') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += c;
    i++;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/** token -> user; later lines win over earlier ones with the same token, as in kube */
export function readTokenFile(file: string, warn: (m: string) => void = () => undefined): Map<string, UserInfo> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new TokenFileError(`cannot read token file '${file}': ${(e as Error).message}`, { cause: e });
  }
  const tokens = new Map<string, UserInfo>();
  parseCsv(text).forEach((record, index) => {
    const recordNum = index + 1;
    if (record.length < 3) {
      throw new TokenFileError(`token file '${file}' must have at least 3 columns (token, user name, user uid), found ${record.length}`);
    }
    const token = record[0]!;
    if (token === '') {
      warn(`empty token has been found in token file '${file}', record number '${recordNum}'`);
      return;
    }
    if (tokens.has(token)) warn(`duplicate token has been found in token file '${file}', record number '${recordNum}'`);
    const user: UserInfo = { username: record[1]!, uid: record[2]!, groups: [] };
    if (record.length >= 4) user.groups = record[3]!.split(',');
    tokens.set(token, user);
  });
  return tokens;
}
