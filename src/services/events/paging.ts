import { createHmac } from 'node:crypto';
import { ValidationException } from './errors.js';

/**
 * NextTokens of the List operations: the name of the last item returned and a fingerprint
 * of the query, MACed. A position rather than an offset, so items created or deleted while a
 * client pages neither repeat nor shift a page. Valid only for the same account, region and
 * parameters, as AWS's ("Keep all other arguments unchanged").
 */
export class EventsPaging {
  constructor(private readonly key: Buffer) {}

  token(lastName: string, query: string): string {
    const body = `${Buffer.from(lastName).toString('base64url')}.${this.fp(query)}`;
    return Buffer.from(`${body}.${this.mac(body)}`).toString('base64url');
  }

  /** The name to continue after, or undefined for the first page. */
  after(token: string | undefined, query: string): string | undefined {
    if (token === undefined) return undefined;
    const parts = Buffer.from(token, 'base64url').toString('utf8').split('.');
    if (parts.length === 3 && parts[2] === this.mac(`${parts[0]}.${parts[1]}`) && parts[1] === this.fp(query))
      return Buffer.from(parts[0], 'base64url').toString('utf8');
    throw ValidationException('The provided NextToken is not valid.');
  }

  /** One page of items sorted by name. */
  page<T extends { name: string }>(items: T[], token: string | undefined, limit: number | undefined, query: string): { items: T[]; next?: string } {
    const after = this.after(token, query);
    const rest = after === undefined ? items : items.filter((x) => x.name > after);
    const n = limit ?? 100;
    const items_ = rest.slice(0, n);
    return { items: items_, next: rest.length > n ? this.token(items_[items_.length - 1].name, query) : undefined };
  }

  private fp(query: string): string {
    return createHmac('sha256', this.key).update('q:' + query).digest('base64url').slice(0, 16);
  }

  private mac(s: string): string {
    return createHmac('sha256', this.key).update('t:' + s).digest('base64url').slice(0, 22);
  }
}
