import { createHmac } from 'node:crypto';
import { InvalidNextTokenException } from './errors.js';

export interface Position {
  /** eventTime in ms, as stored. */
  time: number;
  seq: number;
}

/**
 * LookupEvents' NextToken: the position of the last event returned (eventTime, storage seq)
 * and a fingerprint of the query, MACed. Because it is a position and not an offset, events
 * recorded while a client pages (its own LookupEvents calls among them) neither repeat nor
 * shift a page. A token is valid only for the same account, region and parameters
 * (cloudtrail.md §6: "It must be reused with the same parameters").
 */
export class EventCursor {
  constructor(private readonly key: Buffer) {}

  token(p: Position, query: string): string {
    const body = `${p.time}.${p.seq}.${this.fp(query)}`;
    return Buffer.from(`${body}.${this.mac(body)}`).toString('base64url');
  }

  position(token: string | undefined, query: string): Position | undefined {
    if (token === undefined) return undefined;
    const parts = Buffer.from(token, 'base64url').toString('utf8').split('.');
    if (parts.length === 4) {
      const [time, seq, fp, mac] = parts;
      if (/^\d{1,16}$/.test(time) && /^\d{1,16}$/.test(seq) && mac === this.mac(`${time}.${seq}.${fp}`)) {
        if (fp === this.fp(query)) return { time: Number(time), seq: Number(seq) };
        throw InvalidNextTokenException('The NextToken was issued for a request with other parameters. Repeat the original parameters with it.');
      }
    }
    throw InvalidNextTokenException('Invalid NextToken.');
  }

  private fp(query: string): string {
    return createHmac('sha256', this.key).update('q:' + query).digest('base64url').slice(0, 16);
  }

  private mac(s: string): string {
    return createHmac('sha256', this.key).update('t:' + s).digest('base64url').slice(0, 22);
  }
}
