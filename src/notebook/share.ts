/**
 * Share links: a cell's code travels in the URL's fragment (never sent to a server), as
 * `#cell=<id>&code=<payload>`. The payload is `z` + base64url of the deflated UTF-8 text when
 * the browser can compress (CompressionStream), else `b` + base64url of the UTF-8 text.
 * Opening such a link shows the code in the cell; it never runs until the reader presses Run.
 */

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pipe(
  bytes: Uint8Array,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const piped = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(piped).arrayBuffer());
}

export async function encodeCode(code: string): Promise<string> {
  const bytes = new TextEncoder().encode(code);
  if (typeof CompressionStream === 'function') {
    try {
      return 'z' + toBase64Url(await pipe(bytes, new CompressionStream('deflate-raw')));
    } catch {
      // fall back to plain base64url below
    }
  }
  return 'b' + toBase64Url(bytes);
}

/** Decodes a payload; throws on malformed input (the caller shows a message). */
export async function decodeCode(payload: string): Promise<string> {
  const kind = payload[0];
  const bytes = fromBase64Url(payload.slice(1));
  if (kind === 'b') return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  if (kind === 'z') {
    const raw = await pipe(bytes, new DecompressionStream('deflate-raw'));
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  }
  throw new Error('unknown share link format');
}

export function shareFragment(cellId: string, payload: string): string {
  return `#cell=${encodeURIComponent(cellId)}&code=${payload}`;
}

/** Reads `#cell=…&code=…`; null when the fragment is something else. */
export function parseShareFragment(hash: string): { cellId: string; payload: string } | null {
  if (!hash.startsWith('#cell=')) return null;
  const params = new URLSearchParams(hash.slice(1));
  const cellId = params.get('cell');
  const payload = params.get('code');
  if (!cellId || !payload || !/^[zb][A-Za-z0-9_-]*$/.test(payload)) return null;
  return { cellId, payload };
}
