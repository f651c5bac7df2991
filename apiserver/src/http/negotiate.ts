// Content negotiation: which representation a response takes (JSON, YAML, Table, PartialObjectMetadata)
// and which decoder a request body needs.
import { notAcceptable } from '../status.js';

interface MediaRange {
  type: string;
  subtype: string;
  params: Record<string, string>;
  q: number;
}

export function parseMediaType(value: string): { base: string; params: Record<string, string> } {
  const [base, ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const i = p.indexOf('=');
    if (i < 0) continue;
    params[p.slice(0, i).trim().toLowerCase()] = p.slice(i + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return { base: (base ?? '').trim().toLowerCase(), params };
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [{ type: '*', subtype: '*', params: {}, q: 1 }];
  const out: MediaRange[] = [];
  for (const part of header.split(',')) {
    if (!part.trim()) continue;
    const { base, params } = parseMediaType(part);
    const [type, subtype] = base.split('/');
    const q = params.q !== undefined ? Number(params.q) : 1;
    delete params.q;
    out.push({ type: type ?? '', subtype: subtype ?? '', params, q: Number.isFinite(q) ? q : 0 });
  }
  // Stable sort by q, like goautoneg, keeps the client's order among equals.
  return out.map((r, i) => ({ r, i })).sort((a, b) => b.r.q - a.r.q || a.i - b.i).map((x) => x.r);
}

type OutputKind = 'object' | 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList';

export interface Output {
  format: 'json' | 'yaml';
  as: OutputKind;
  /** the Content-Type to answer with */
  contentType: string;
  pretty: boolean;
}

interface NegotiateOptions {
  /** Table and PartialObjectMetadata transforms are allowed (get, list, watch) */
  transforms: boolean;
  list: boolean;
  /** media types the endpoint can encode, in the server's order */
  supported: string[];
  pretty: boolean;
}

const metaGroup = 'meta.k8s.io';

export function negotiateOutput(accept: string | undefined, o: NegotiateOptions): Output {
  for (const r of parseAccept(accept)) {
    if (r.q <= 0) continue;
    const full = `${r.type}/${r.subtype}`;
    const wild = r.type === '*' || (r.subtype === '*' && r.type === 'application');
    const isJson = full === 'application/json' || wild;
    const isYaml = full === 'application/yaml';
    if (!isJson && !isYaml) continue;
    const as = r.params.as;
    if (!as) {
      if (r.params.g || r.params.v) continue;
      return { format: isYaml ? 'yaml' : 'json', as: 'object', contentType: isYaml ? 'application/yaml' : 'application/json', pretty: o.pretty };
    }
    if (!o.transforms || r.params.g !== metaGroup || (r.params.v !== 'v1' && r.params.v !== 'v1beta1')) continue;
    if (as === 'Table' || (as === 'PartialObjectMetadata' && !o.list) || (as === 'PartialObjectMetadataList' && o.list)) {
      const base = isYaml ? 'application/yaml' : 'application/json';
      return { format: isYaml ? 'yaml' : 'json', as, contentType: `${base};as=${as};g=${metaGroup};v=${r.params.v}`, pretty: o.pretty };
    }
  }
  throw notAcceptable(o.supported);
}

export function isPrettyRequest(userAgent: string | undefined, query: URLSearchParams): boolean {
  const p = query.get('pretty');
  if (p) return p === 'true' || p === '1' || p === 't' || p === 'T' || p === 'TRUE' || p === 'True';
  const ua = userAgent ?? '';
  return ua.startsWith('curl') || ua.startsWith('Wget') || ua.startsWith('Mozilla/5.0');
}
