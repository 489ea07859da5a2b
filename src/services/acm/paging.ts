import { createHmac } from 'node:crypto';
import { InvalidArgsException } from './errors.js';

/**
 * Opaque NextTokens: the offset and a fingerprint of the query, MACed so a client cannot forge
 * or reuse one for another query (AWS answers InvalidArgsException / ValidationException).
 */
export class Paging {
  constructor(private readonly key: Buffer) {}

  token(offset: number, query: string): string {
    const body = `${offset}.${this.fp(query)}`;
    return Buffer.from(`${body}.${this.mac(body)}`).toString('base64url');
  }

  offset(token: string | undefined, query: string, bad: (msg: string) => Error = (m) => InvalidArgsException(m)): number {
    if (token === undefined) return 0;
    const parts = Buffer.from(token, 'base64url').toString('utf8').split('.');
    if (parts.length === 3) {
      const [off, fp, mac] = parts;
      if (mac === this.mac(`${off}.${fp}`) && fp === this.fp(query) && /^\d+$/.test(off)) return Number(off);
    }
    throw bad('The NextToken is not valid.');
  }

  private fp(query: string): string {
    return createHmac('sha256', this.key).update('q:' + query).digest('base64url').slice(0, 12);
  }

  private mac(s: string): string {
    return createHmac('sha256', this.key).update(s).digest('base64url').slice(0, 22);
  }
}
