// The session token as the plugin makes it (plugin/src/manifest.ts): 32 random bytes in base64url,
// and the hex SHA-256 of that text, which alone goes into spec.sessionTokenHash.

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function newSessionToken(): Promise<{ token: string; hash: string }> {
  const token = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
  return { token, hash: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('') };
}
