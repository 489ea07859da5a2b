/**
 * S3's REST-XML: responses are written here by hand (a handful of fixed shapes), request bodies
 * (CreateBucketConfiguration, Delete) are read with fast-xml-parser. Elements follow the
 * Amazon S3 API Reference for each operation; the namespace is S3's 2006-03-01 one.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ServiceError } from '../../kernel/errors.js';
import { MalformedXML } from './errors.js';

export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
export const XML_CONTENT_TYPE = 'application/xml';

/**
 * Text as XML character data. Characters XML 1.0 cannot carry at all (most C0 controls) are
 * written as character references, as S3 does; clients that need them exact ask for
 * encoding-type=url.
 */
export function esc(v: string): string {
  return v.replace(/[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) => {
    switch (c) {
      case '&': return '&amp;';
      case '<': return '&lt;';
      case '>': return '&gt;';
      case '"': return '&quot;';
      case "'": return '&apos;';
      default: return `&#x${c.charCodeAt(0).toString(16)};`;
    }
  });
}

/** `<tag>value</tag>`, escaped; nothing when the value is undefined. */
export function leaf(tag: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  return `<${tag}>${esc(String(value))}</${tag}>`;
}

/** `<tag>…</tag>` around already-rendered children. */
export function el(tag: string, ...children: string[]): string {
  return `<${tag}>${children.join('')}</${tag}>`;
}

export function document(root: string, ...children: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NS}">${children.join('')}</${root}>`;
}

/** S3's error body: Code, Message, the error's own elements, RequestId, HostId. */
export function errorDocument(err: ServiceError, requestId: string, hostId: string): string {
  const extra = Object.entries(err.extra ?? {}).map(([k, v]) => leaf(k, v as string | number)).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${leaf('Code', err.code)}${leaf('Message', err.message)}${extra}${leaf('RequestId', requestId)}${leaf('HostId', hostId)}</Error>`;
}

/** Timestamps in listings: ISO 8601 with milliseconds (`2026-01-01T00:00:00.000Z`). */
export function isoTime(d: Date): string {
  return d.toISOString();
}

/** HTTP dates (Last-Modified, Date): RFC 1123 in GMT. */
export function httpDate(d: Date): string {
  return d.toUTCString();
}

/**
 * encoding-type=url as S3 applies it to keys and prefixes: UTF-8 percent-encoding with a space as
 * '+' and '/' left as is (so `a b/ü+x` is `a+b/%C3%BC%2Bx`); botocore reads it back with
 * unquote_plus.
 */
export function urlEncodeKey(s: string): string {
  return encodeURIComponent(s)
    .replace(/%2F/g, '/')
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, trimValues: true, isArray: (name) => name === 'Object' });

/** A request body as a plain object; MalformedXML unless it is well-formed with the expected root. */
export function parseXmlBody(body: Buffer, root: string): Record<string, unknown> {
  const text = body.toString('utf8');
  if (XMLValidator.validate(text) !== true) throw MalformedXML();
  const doc = parser.parse(text) as Record<string, unknown>;
  const top = doc[root];
  if (top === undefined) throw MalformedXML();
  return top && typeof top === 'object' ? (top as Record<string, unknown>) : {};
}
