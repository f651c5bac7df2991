// The Secret strategy's warning for kubernetes.io/tls secrets: Go's tls.X509KeyPair(tls.crt,
// tls.key) error, if any (crypto/tls/tls.go), with its messages. The secret is stored anyway.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';

interface PemBlock {
  type: string;
  der: Buffer;
}

/** pem.Decode, repeatedly: every well-formed block in order */
function pemBlocks(data: Buffer): PemBlock[] {
  const text = data.toString('latin1');
  const blocks: PemBlock[] = [];
  const re = /-----BEGIN ([^\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const body = m[2]!.split(/\r?\n/).filter((line) => !line.includes(':')).join('');
    blocks.push({ type: m[1]!, der: Buffer.from(body, 'base64') });
  }
  return blocks;
}

function goList(items: string[]): string {
  return `[${items.join(' ')}]`;
}

/** The error X509KeyPair returns for this pair, or undefined when it accepts it. */
export function x509KeyPairError(certPem: Buffer, keyPem: Buffer): string | undefined {
  const certBlocks = pemBlocks(certPem);
  const certs = certBlocks.filter((b) => b.type === 'CERTIFICATE');
  if (certs.length === 0) {
    const skipped = certBlocks.map((b) => b.type);
    if (skipped.length === 0) return 'tls: failed to find any PEM data in certificate input';
    if (skipped.length === 1 && skipped[0]!.endsWith('PRIVATE KEY')) {
      return 'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched';
    }
    return `tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: ${goList(skipped)}`;
  }

  const skipped: string[] = [];
  let keyBlock: PemBlock | undefined;
  for (const block of pemBlocks(keyPem)) {
    if (block.type === 'PRIVATE KEY' || block.type.endsWith(' PRIVATE KEY')) {
      keyBlock = block;
      break;
    }
    skipped.push(block.type);
  }
  if (!keyBlock) {
    if (skipped.length === 0) return 'tls: failed to find any PEM data in key input';
    if (skipped.length === 1 && skipped[0] === 'CERTIFICATE') return 'tls: found a certificate rather than a key in the PEM for the private key';
    return `tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: ${goList(skipped)}`;
  }

  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certs[0]!.der);
  } catch {
    // NB: Go names the ASN.1 problem; node cannot, so this is x509's generic wording.
    return 'x509: malformed certificate';
  }
  let key: KeyObject;
  try {
    const pkcs1 = keyBlock.type === 'RSA PRIVATE KEY';
    key = createPrivateKey({ key: keyBlock.der, format: 'der', type: pkcs1 ? 'pkcs1' : keyBlock.type === 'EC PRIVATE KEY' ? 'sec1' : 'pkcs8' });
  } catch {
    return 'tls: failed to parse private key';
  }
  const publicType = cert.publicKey.asymmetricKeyType;
  if (publicType !== 'rsa' && publicType !== 'ec' && publicType !== 'ed25519') return 'tls: unknown public key algorithm';
  if (key.asymmetricKeyType !== publicType) return 'tls: private key type does not match public key type';
  if (!cert.checkPrivateKey(key)) return 'tls: private key does not match public key';
  return undefined;
}
