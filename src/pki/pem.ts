/**
 * PEM framing (RFC 7468). Parsing is strict about the base64 body because the input comes from
 * clients: a lax decoder would silently drop junk and make "which bytes did we import" unclear.
 */

export interface PemBlock {
  label: string;
  /** RFC 1421 headers such as `Proc-Type: 4,ENCRYPTED` (legacy OpenSSL encrypted keys). */
  headers: Record<string, string>;
  der: Buffer;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]{1,64})-----\r?\n([\s\S]*?)-----END \1-----/g;
const HEADER = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Every well-formed block in `text`, in order. Text outside blocks (openssl's "Bag Attributes",
 * `openssl x509 -text` dumps) is ignored, as other tools do. A block whose body is not
 * base64 yields `der` of length 0 so callers can reject it instead of skipping it.
 */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const lines = m[2].split(/\r?\n/).map((l) => l.trim());
    const headers: Record<string, string> = {};
    let i = 0;
    // Headers come first and end with an empty line.
    if (lines.length && HEADER.test(lines[0])) {
      for (; i < lines.length && lines[i] !== ''; i++) {
        const h = HEADER.exec(lines[i]);
        if (h) headers[h[1]] = h[2];
      }
    }
    const body = lines.slice(i).filter((l) => l !== '');
    const b64 = body.join('');
    const ok = BASE64.test(b64) && b64.length % 4 === 0;
    out.push({ label: m[1], headers, der: ok ? Buffer.from(b64, 'base64') : Buffer.alloc(0) });
  }
  return out;
}

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
